"""Finding a WSGI application from a ``MODULE:APP`` reference, as ``shallot serve`` takes it.

``MODULE`` is a dotted module name imported as-is (the current folder is searched first, as with
``python -m``); ``APP`` is a dotted attribute path inside it (``app``, ``site.wsgi``), defaulting
to ``application``, the name mod_wsgi and Django use::

    load_app("myproject.web:app")
    load_app("hello")  # hello.application
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

__all__ = ["AppNotFound", "find_app_module", "load_app"]


class AppNotFound(LookupError):
    """The reference names no importable callable; ``reference`` is what was asked for and
    ``str(error)`` says what failed."""

    def __init__(self, reference: str, reason: str) -> None:
        super().__init__(f"{reference}: {reason}")
        self.reference = reference
        self.reason = reason


def _split(reference: str) -> tuple[str, str]:
    """``(module, attribute path)`` of a well-formed reference, else :class:`AppNotFound`."""
    module_name, _, attribute = reference.partition(":")
    attribute = attribute or "application"
    if not module_name or not all(part.isidentifier() for part in module_name.split(".")):
        raise AppNotFound(reference, "expected MODULE:APP, e.g. myproject.web:app")
    if not all(part.isidentifier() for part in attribute.split(".")):
        raise AppNotFound(reference, f"{attribute!r} is not an attribute path")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    return module_name, attribute


def find_app_module(reference: str) -> None:
    """Check, without running it, that the reference is well formed and its module exists.

    Parent packages of a dotted module are imported to find it (that is how Python finds
    submodules); the module itself is not. Raises :class:`AppNotFound` otherwise.
    """
    module_name, _ = _split(reference)
    try:
        found = importlib.util.find_spec(module_name)
    except ModuleNotFoundError as error:
        raise AppNotFound(reference, f"no module named {error.name!r}") from None
    if found is None:
        raise AppNotFound(reference, f"no module named {module_name!r}")


def load_app(reference: str) -> WSGIApplication:
    """Import ``MODULE[:APP]`` and return the callable it names.

    Raises :class:`AppNotFound` when the reference is malformed, the module is missing (an
    ``ImportError`` raised *inside* an existing module propagates unchanged, with its traceback),
    the attribute is missing or is not callable.
    """
    module_name, attribute = _split(reference)
    try:
        found: object = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        missing = error.name or ""
        if module_name != missing and not module_name.startswith(missing + "."):
            raise
        raise AppNotFound(reference, f"no module named {missing!r}") from None
    for part in attribute.split("."):
        try:
            found = getattr(found, part)
        except AttributeError:
            raise AppNotFound(reference, f"{module_name} has no attribute {attribute!r}") from None
    if not callable(found):
        raise AppNotFound(reference, f"{attribute} is a {type(found).__name__}, not a WSGI app")
    return cast("WSGIApplication", found)

"""Property names in Clark notation, ``{namespace}local``: the one spelling every storage keys on.

A WebDAV property is an XML element; its name is the element's namespace and local name. Clark
notation writes both in one string, as ElementTree does for namespaced tags. shallot-props accepts
only the braced form, so a name has exactly one spelling: a property in no namespace is ``{}local``
(ElementTree writes such a tag as bare ``local``; convert it with :func:`clark_name`). The local
part must be an XML NCName, and the namespace may not hold braces or characters XML forbids, so
every stored name can be written back as an element.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from shallot.props.errors import InvalidPropertyName

MAX_NAME_LENGTH = 1024
"""The longest accepted name in characters: far above real names, low enough to bound keys."""

_NAME_START = (
    "A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_NAME_CHAR = _NAME_START + r"\-.0-9\u00b7\u0300-\u036f\u203f-\u2040"
_NCNAME = re.compile(f"[{_NAME_START}][{_NAME_CHAR}]*")
_NAMESPACE_CHAR = "\t\n\r\u0020-\u007a\u007c\u007e-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff"
"""XML ``Char`` less the braces, which would make the Clark spelling ambiguous."""
_NAMESPACE = re.compile(f"[{_NAMESPACE_CHAR}]*")
_CLARK = re.compile(f"\\{{([{_NAMESPACE_CHAR}]*)\\}}({_NCNAME.pattern})")


class PropertyName(NamedTuple):
    """A property name split into its namespace (``""`` for none) and its local name."""

    namespace: str
    local: str

    @property
    def clark(self) -> str:
        """The name in Clark notation, ``{namespace}local``."""
        return f"{{{self.namespace}}}{self.local}"


def split_name(name: str) -> PropertyName:
    """Split and validate a Clark name; raise :class:`InvalidPropertyName` saying what is wrong."""
    match = _CLARK.fullmatch(name) if isinstance(name, str) else None
    if match is not None and len(name) <= MAX_NAME_LENGTH:
        return PropertyName(match[1], match[2])
    raise _fault(name)


def _fault(name: str) -> InvalidPropertyName:
    """The error for a name that is not a valid Clark name, saying which rule it breaks."""
    if not isinstance(name, str):
        return InvalidPropertyName(repr(name), "not a string")
    if len(name) > MAX_NAME_LENGTH:
        return InvalidPropertyName(name[:40] + "...", f"longer than {MAX_NAME_LENGTH} characters")
    if not name.startswith("{"):
        return InvalidPropertyName(name, "not Clark notation: write {namespace}local, or {}local")
    end = name.find("}")
    if end < 0:
        return InvalidPropertyName(name, "no closing brace after the namespace")
    if _NAMESPACE.fullmatch(name[1:end]) is None:
        return InvalidPropertyName(name, "the namespace holds a brace or a character XML forbids")
    return InvalidPropertyName(name, "the local name is not an XML NCName")


def validate_name(name: str) -> str:
    """``name`` unchanged if it is a valid Clark name; else raise :class:`InvalidPropertyName`."""
    if isinstance(name, str) and len(name) <= MAX_NAME_LENGTH and _CLARK.fullmatch(name):
        return name
    raise _fault(name)


def clark_name(namespace: str, local: str) -> str:
    """Build and validate the Clark name of ``local`` in ``namespace`` (``""`` for no namespace)."""
    return validate_name(f"{{{namespace}}}{local}")

"""The request-target as the client sent it, which some WSGI servers pass along.

A server percent-decodes ``PATH_INFO``, and what it leaves undecoded differs: cheroot keeps an
encoded slash (``%2F``) and a ``%`` not followed by two hex digits as they came, wsgiref decodes
the slash. Only the raw request line tells a literal ``%`` or ``/`` from an encoded one, so the
packages that must tell (routing's malformed-path check, the WebDAV server's, the proxy's
upstream path, Digest's ``uri`` comparison, ``OPTIONS *``) read it here: cheroot and uWSGI pass
it as ``REQUEST_URI``, gunicorn as ``RAW_URI``; wsgiref passes neither.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["asks_about_the_server", "has_malformed_escape", "raw_request_target"]

_MALFORMED_ESCAPE = re.compile("%(?![0-9A-Fa-f]{2})")


def raw_request_target(environ: Mapping[str, object]) -> str | None:
    """The request-target as sent (``REQUEST_URI``, else ``RAW_URI``), or ``None`` when the
    server passes neither."""
    target = environ.get("REQUEST_URI") or environ.get("RAW_URI")
    return target if isinstance(target, str) and target else None


def has_malformed_escape(text: str) -> bool:
    """Whether ``text`` holds a ``%`` not followed by two hex digits."""
    return _MALFORMED_ESCAPE.search(text) is not None


def asks_about_the_server(environ: Mapping[str, object]) -> bool:
    """Whether the request is ``OPTIONS *``, about the server rather than a resource: wsgiref
    passes the target ``*`` as ``PATH_INFO``, cheroot as ``/*`` (with the raw target ``*``)."""
    if environ.get("REQUEST_METHOD") != "OPTIONS":
        return False
    return environ.get("PATH_INFO") == "*" or raw_request_target(environ) == "*"

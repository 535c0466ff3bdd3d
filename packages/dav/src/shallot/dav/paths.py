"""Request paths to resource paths and back, and the confinement rules every path passes.

A WSGI server hands ``PATH_INFO`` percent-decoded, as latin-1 text. :func:`decode_path` turns it
into a *resource path*: a Unicode string beginning with ``/``, its segments separated by single
slashes, without a trailing slash (the root is ``/``). It refuses, with a 400, everything that
could name something outside the share or name it ambiguously:

- bytes that are not UTF-8, NUL and other control characters;
- ``.`` and ``..`` segments, whether sent plainly or percent-encoded (the server decodes
  ``%2e%2e`` to ``..`` before it gets here; a double-encoded ``%252e`` stays a harmless name);
- backslashes (a path separator on Windows), drive names (``C:``) and Windows device names
  (``CON``, ``NUL``, ``COM1``, ``LPT1.txt`` ...), on every platform, so a share means the same
  thing to every client and never reaches a device when served from Windows.

Providers add what only they can check (symbolic links, for the filesystem). :func:`quote_path`
goes the other way, for hrefs and the keys of locks and properties: every character outside
``A-Z a-z 0-9 - . _ ~ / ! $ & ' ( ) * + , ; = : @`` percent-encoded as UTF-8 with upper-case hex,
which is exactly the canonical spelling of ``shallot.locks`` and ``shallot.props``, so a key needs
no further normalising. :func:`href_text` escapes the one character left that XML cares about.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from shallot.dav.errors import DAVError
from shallot.http.request_target import has_malformed_escape, raw_request_target

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "check_path",
    "decode_path",
    "decode_request_path",
    "href_text",
    "join_path",
    "parent_path",
    "path_name",
    "quote_path",
    "url_to_path",
]

_SAFE = "/-._~!$&'()*+,;=:@"
_PLAIN = re.compile(r"[A-Za-z0-9/\-._~]*")
_CONTROL = re.compile("[\x00-\x1f\x7f]")
_DEVICE = re.compile(r"(?:CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³]|CONIN\$|CONOUT\$)(?:\..*)?", re.I)
_DRIVE = re.compile(r"[A-Za-z]:")
_ENCODED_SLASH = re.compile("%2[Ff]")


def decode_path(path_info: str) -> str:
    """The resource path of the WSGI ``PATH_INFO`` string ``path_info`` (see the module docs)."""
    if path_info.isascii():
        return check_path(path_info or "/")
    try:
        text = path_info.encode("latin-1").decode("utf-8")
    except UnicodeError:
        raise DAVError(400, "the path is not UTF-8") from None
    return check_path(text)


def decode_request_path(environ: Mapping[str, object]) -> str:
    """The resource path of a request (:func:`decode_path` of its ``PATH_INFO``).

    A server leaves two things in ``PATH_INFO`` as they came, so the raw URI it passes along
    (``REQUEST_URI``, ``RAW_URI``) is checked when ``PATH_INFO`` holds a ``%``: a ``%`` not
    followed by two hex digits, and an encoded slash (``%2F``, which no file name can hold, and
    which would otherwise name a file called ``a%2Fb``), are 400.
    """
    path_info = environ.get("PATH_INFO")
    if not isinstance(path_info, str):
        path_info = ""
    if "%" in path_info:
        raw_target = raw_request_target(environ)
        if raw_target is not None:
            raw_path = raw_target.partition("?")[0]
            if has_malformed_escape(raw_path):
                raise DAVError(400, "malformed percent-encoding in the path")
            if _ENCODED_SLASH.search(raw_path):
                raise DAVError(400, "an encoded slash in the path")
    return decode_path(path_info)


def url_to_path(url_path: str) -> str:
    """The resource path of a percent-encoded URL path (a ``Destination``, an ``If`` tag)."""
    if "%" not in url_path:
        return check_path(url_path)
    if has_malformed_escape(url_path):
        raise DAVError(400, "malformed percent-encoding in the URL")
    try:
        text = unquote(url_path, errors="strict")
    except UnicodeError:
        raise DAVError(400, "the URL is not UTF-8") from None
    return check_path(text)


def check_path(text: str) -> str:
    """``text`` (a decoded path) as a resource path, or a 400 naming the rule it breaks."""
    if not text.startswith("/"):
        raise DAVError(400, "the path does not begin with '/'")
    if _CONTROL.search(text):
        raise DAVError(400, "the path holds a control character")
    if "\\" in text:
        raise DAVError(400, "the path holds a backslash")
    segments = [segment for segment in text.split("/") if segment]
    for segment in segments:
        if segment in (".", ".."):
            raise DAVError(400, "the path has a '.' or '..' segment")
        if _DEVICE.fullmatch(segment.rstrip(" ")) or _DRIVE.match(segment):
            raise DAVError(400, "the path names a Windows device or drive")
    return "/" + "/".join(segments)


def quote_path(path: str) -> str:
    """``path`` percent-encoded for a URL (see the module documentation)."""
    if _PLAIN.fullmatch(path):
        return path
    return quote(path, safe=_SAFE)


def href_text(url: str) -> str:
    """A URL from :func:`quote_path` as XML text (``&`` escaped)."""
    return url.replace("&", "&amp;") if "&" in url else url


def join_path(parent: str, name: str) -> str:
    """The resource path of ``name`` inside the collection ``parent``."""
    return f"{parent}/{name}" if parent != "/" else f"/{name}"


def parent_path(path: str) -> str:
    """The resource path of the collection holding ``path`` (the root for the root)."""
    return path.rsplit("/", 1)[0] or "/"


def path_name(path: str) -> str:
    """The last segment of ``path`` (``""`` for the root)."""
    return path.rsplit("/", 1)[1]

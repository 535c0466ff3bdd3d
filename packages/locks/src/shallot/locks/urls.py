"""Lock URLs: one canonical spelling per resource, so every spelling of a path meets the same locks.

The manager passes every URL through :func:`normalize_url` before it reaches a storage. The input is
a URL path as it appears in a request line or an ``href``: percent-encoded, beginning with ``/``,
without scheme, host, query or fragment. The canonical form:

- each segment is percent-decoded (as UTF-8) and encoded again one way: letters, digits, ``-._~``,
  the sub-delimiters ``!$&'()*+,;=`` and ``:@`` stay literal, every other character becomes ``%XX``
  with upper-case hex, so ``/a%7eb``, ``/a~b`` and ``/a%7Eb`` are one resource;
- an encoded slash (``%2F``) stays encoded: it belongs to its segment, it does not separate two;
- empty segments collapse and a trailing slash is dropped (``/`` stays ``/``): a collection is the
  same resource with or without its slash, so comparisons ignore it;
- case is kept: ``/A`` and ``/a`` are two resources.

Refused with :class:`~shallot.locks.errors.InvalidURL`: a URL not beginning with ``/``, a raw ``?``
or ``#``, a ``%`` not followed by two hex digits, escapes that are not UTF-8, a NUL, and ``.`` or
``..`` segments (also when encoded): resolving those is the server's business, and a lock must never
leak to another path through them.

The other helpers take canonical URLs. Canonical URLs are ASCII, and every URL below ``/a`` begins
with ``/a/``, which is what lets the storages find a subtree with one ordered range (``/a/`` up to,
not including, ``/a0``).
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

from shallot.locks.errors import InvalidURL

_LITERAL = "!$&'()*+,;=:@"
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_CANONICAL = re.compile(r"(?:/[A-Za-z0-9\-._~!$&'()*+,;=:@]+)+")
"""Paths already in canonical form, bar dot segments: most URLs, returned without re-encoding."""


def normalize_url(url: str) -> str:
    """The canonical form of URL path ``url`` (see the module docstring), or ``InvalidURL``."""
    if _CANONICAL.fullmatch(url) and "/./" not in url + "/" and "/../" not in url + "/":
        return url
    if not url.startswith("/"):
        raise InvalidURL(url, "not an absolute path beginning with '/'")
    if "?" in url or "#" in url:
        raise InvalidURL(url, "a query or fragment is not part of a lockable URL")
    if _BAD_ESCAPE.search(url):
        raise InvalidURL(url, "'%' is not followed by two hex digits")
    segments: list[str] = []
    for raw in url.split("/"):
        if not raw:
            continue
        try:
            text = unquote(raw, errors="strict")
            segment = quote(text, safe=_LITERAL)
        except UnicodeError:
            raise InvalidURL(url, "percent escapes or characters are not valid UTF-8") from None
        if text in (".", ".."):
            raise InvalidURL(url, "'.' and '..' segments are refused")
        if "\x00" in text:
            raise InvalidURL(url, "NUL in a segment")
        segments.append(segment)
    return "/" + "/".join(segments)


def subtree_prefix(url: str) -> str:
    """What every canonical URL strictly below ``url`` begins with (``/`` for the root)."""
    return url if url == "/" else url + "/"


def subtree_end(url: str) -> str:
    """The first string after every canonical URL below ``url`` (they are ``>= prefix, < end``)."""
    return subtree_prefix(url)[:-1] + "0"


def is_within(url: str, root: str) -> bool:
    """Whether canonical ``url`` is ``root`` or below it (``/a/b`` is in ``/a``, ``/ab`` not)."""
    return url == root or url.startswith(subtree_prefix(root))


def ancestors(url: str) -> list[str]:
    """The canonical ``url``'s ancestors, nearest first, ending with ``/`` (empty for the root)."""
    found: list[str] = []
    while url != "/":
        url = url.rsplit("/", 1)[0] or "/"
        found.append(url)
    return found

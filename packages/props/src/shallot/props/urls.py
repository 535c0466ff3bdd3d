"""Resource URLs normalised to one spelling, and subtrees as half-open ranges of those spellings.

Properties are keyed by the URL path of their resource. Clients spell one path many ways (``/a%7Eb``
and ``/a~b``, ``/dir`` and ``/dir/``, ``/caf%c3%a9`` and ``/café``), so every URL is normalised
first:

- it must be an absolute path (``/...``), without ``.`` or ``..`` segments (resolve those before)
  and without malformed ``%`` escapes;
- each segment is percent-decoded to bytes and re-encoded one way: unreserved characters,
  sub-delimiters, ``:`` and ``@`` literal, every other byte as ``%XX`` in upper case; non-ASCII
  characters are taken as UTF-8; an escaped ``/`` (``%2F``) stays escaped and so stays inside its
  segment;
- empty segments and the trailing slash are dropped (``/a//b/`` is ``/a/b``); the root is ``/``;
- case is kept as given.

A normalised URL is therefore plain ASCII, so byte order and string order agree, and a
:class:`Subtree` (a resource and its descendants) is the URL itself plus one contiguous range,
``[root + "/", root + "0")``: ``0`` follows ``/`` in ASCII. ``/a/bc`` and ``/a/b-c`` are outside the
subtree of ``/a/b``; ``/a/b/c`` is inside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote_from_bytes, unquote_to_bytes

from shallot.props.errors import InvalidResourceURL

_SAFE = "!$&'()*+,;=:@"
"""Sub-delimiters, ``:`` and ``@``: legal unescaped in a path segment (RFC 3986, 3.3)."""
_MALFORMED_ESCAPE = re.compile("%(?![0-9A-Fa-f]{2})")
_PLAIN = re.compile(r"(?:/[-A-Za-z0-9._~!$&'()*+,;=:@]+)+")
"""Segments of characters that stay literal: such a URL is normal unless a segment is . or ..."""
_DOT_SEGMENTS = (b".", b"..")


def normalize_url(url: str) -> str:
    """The one spelling of the resource path ``url``; :class:`InvalidResourceURL` if none."""
    if not isinstance(url, str):
        raise InvalidResourceURL(repr(url), "not a string")
    if _PLAIN.fullmatch(url) and "/." not in url:
        return url
    if not url.startswith("/"):
        raise InvalidResourceURL(url, "not an absolute path (it must start with /)")
    if _MALFORMED_ESCAPE.search(url):
        raise InvalidResourceURL(url, "a % not followed by two hexadecimal digits")
    segments = []
    for segment in url.split("/"):
        if not segment:
            continue
        raw = unquote_to_bytes(segment)
        if raw in _DOT_SEGMENTS:
            raise InvalidResourceURL(url, "a . or .. segment (resolve it before)")
        segments.append(quote_from_bytes(raw, safe=_SAFE))
    return "/" + "/".join(segments)


@dataclass(frozen=True, slots=True)
class Subtree:
    """A resource and all its descendants; ``root`` is a normalised URL (see :func:`normalize_url`).

    Its members are ``root`` and every URL ``u`` with ``lower <= u < upper``; storages turn that
    into one index range scan, never a pattern match.
    """

    root: str

    @property
    def lower(self) -> str:
        """The prefix of every descendant: ``root + "/"`` (``"/"`` for the root, which holds
        all)."""
        return self.root if self.root == "/" else self.root + "/"

    @property
    def upper(self) -> str:
        """The first URL past every descendant: :attr:`lower` with its last ``/`` made ``0``."""
        return self.lower[:-1] + "0"

    def __contains__(self, url: object) -> bool:
        """Whether the normalised ``url`` is the root or one of its descendants."""
        return isinstance(url, str) and (url == self.root or url.startswith(self.lower))

    def overlaps(self, other: Subtree) -> bool:
        """Whether the two subtrees share a URL, that is one's root lies in the other."""
        return other.root in self or self.root in other

    def rebase(self, url: str, root: str) -> str:
        """The URL that ``url`` (a member of this subtree) gets when the subtree moves to ``root``.

        Never called on the root subtree ``/``: it overlaps every other, so is never copied or
        moved.
        """
        return root + url[len(self.root) :]

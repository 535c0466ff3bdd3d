"""WebDAV mount documents (RFC 4709): ``GET <collection>?davmount`` tells a client what to mount.

A browser cannot mount a WebDAV folder itself, but it hands a document to the program registered
for its media type. ``GET /photos/?davmount`` on a collection answers ``application/davmount+xml``::

    <dm:mount xmlns:dm="http://purl.org/NET/webdav/mount">
      <dm:url>https://files.example/photos/</dm:url>
      <dm:open>beach%202024.jpg</dm:open>
      <dm:username>ann</dm:username>
    </dm:mount>

- ``dm:url`` (always): the collection's absolute URL as the client reached it: the request's
  scheme and ``Host`` (with :class:`~shallot.dav.proxy.TrustedProxies` in front, the ones the
  client used), ``SCRIPT_NAME``, the collection's path, a final ``/``.
- ``dm:open`` (when the query names one, ``?davmount&open=NAME``): a member of the collection for
  the client to open once mounted, as a relative URL (a single percent-encoded segment). A name
  with a ``/``, an empty name or several ``open`` are 400; a name the collection does not hold is
  404.
- ``dm:username`` (when the request was authenticated): the user name, so the client asks for the
  right account's password.

RFC 4709 defines the document for collections only. On anything else the query means nothing
here: a file is served as if the query were not there (as any other query is), an unmapped URL is
404. Every value is XML-escaped (and characters XML cannot carry become U+FFFD), so a hostile
name or header cannot change the document; a ``Host`` that is not a host name is 400. The answer
is ``Cache-Control: private, no-cache``: it may name the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from shallot.dav.errors import DAVError
from shallot.dav.paths import check_path, join_path, quote_path
from shallot.dav.xml_write import escape_text
from shallot.http import Request, Response

if TYPE_CHECKING:
    from shallot.dav.handlers.context import DAVRequest

__all__ = ["DAVMOUNT_NS", "DAVMOUNT_TYPE", "MountDocument", "davmount_response", "wants_davmount"]

DAVMOUNT_NS = "http://purl.org/NET/webdav/mount"
"""The XML namespace of RFC 4709's elements."""

DAVMOUNT_TYPE = "application/davmount+xml"
"""The media type of a mount document."""

_HOST = re.compile(r"(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]+)(?::[0-9]{1,5})?")


@dataclass(frozen=True, slots=True)
class MountDocument:
    """An RFC 4709 mount document: the collection ``url``, and optionally a member to ``open``
    (a relative URL) and the ``username`` to log in with."""

    url: str
    open: str | None = None
    username: str | None = None

    def to_xml(self) -> bytes:
        """The document as UTF-8 XML, every value escaped."""
        parts = [
            '<?xml version="1.0" encoding="utf-8"?>\n',
            f'<dm:mount xmlns:dm="{DAVMOUNT_NS}">',
            f"<dm:url>{escape_text(self.url)}</dm:url>",
        ]
        if self.open is not None:
            parts.append(f"<dm:open>{escape_text(self.open)}</dm:open>")
        if self.username is not None:
            parts.append(f"<dm:username>{escape_text(self.username)}</dm:username>")
        parts.append("</dm:mount>\n")
        return "".join(parts).encode("utf-8")


def wants_davmount(query_string: str) -> bool:
    """Whether the query asks for a mount document (it has a ``davmount`` field, valued or
    not)."""
    if "davmount" not in query_string:
        return False
    return "davmount" in parse_qs(query_string, keep_blank_values=True)


def davmount_response(request: DAVRequest) -> Response:
    """The mount document of the request's collection (see the module documentation)."""
    environ = request.environ
    fields = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    member = _member(request, fields.get("open", []))
    host = Request(environ).host
    if not _HOST.fullmatch(host):
        raise DAVError(400, "the Host header is not a host name")
    url = request.url if request.url.endswith("/") else request.url + "/"
    scheme = "https" if environ.get("wsgi.url_scheme") == "https" else "http"
    document = MountDocument(
        f"{scheme}://{host}{request.script_name}{url}",
        None if member is None else quote_path(member),
        request.principal,
    )
    return Response(document.to_xml(), DAVMOUNT_TYPE, [("Cache-Control", "private, no-cache")])


def _member(request: DAVRequest, names: list[str]) -> str | None:
    """The member named by ``open``, checked: ``None`` when there is none."""
    if not names:
        return None
    if len(names) > 1:
        raise DAVError(400, "davmount takes at most one 'open' member")
    (name,) = names
    if not name or "/" in name:
        raise DAVError(400, "'open' must name one member of the collection")
    if request.provider.info(check_path(join_path(request.path, name))) is None:
        raise DAVError(404, "the collection has no such member")
    return name

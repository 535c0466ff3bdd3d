"""``DirectoryBrowser``: an HTML listing for a browser's GET on a collection.

Any GET or HEAD on a collection is answered here with a plain HTML table (name, size, modified,
type) built from the page template and style sheet shipped in the package (``templates/``); every
other request passes to the app. It works without JavaScript: the column headers are links that
sort by that column (``?sort=name|size|modified|type&order=asc|desc``), and ``aria-sort`` says
how the table is sorted. A "Mount" link above the table fetches the folder's RFC 4709 mount
document (``?davmount``, answered by the server behind), which a browser hands to the WebDAV
client registered for it. Names are HTML-escaped and links percent-encoded, so a hostile file name
is shown as text and never runs. Hidden and refused names are not listed (the provider leaves
them out).
"""

from __future__ import annotations

import html
from importlib import resources
from string import Template
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote

from shallot.dav.davmount import wants_davmount
from shallot.dav.handlers.context import INFO_KEY
from shallot.dav.live_properties import last_modified
from shallot.dav.paths import quote_path
from shallot.http import Response

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from shallot.dav.provider import ResourceInfo
    from shallot.dav.shares import Shares

__all__ = ["DirectoryBrowser"]

_COLUMNS = ("name", "size", "modified", "type")


def _resource(name: str) -> str:
    return resources.files("shallot.dav").joinpath("templates").joinpath(name).read_text("utf-8")


class DirectoryBrowser:
    """WSGI middleware answering GET and HEAD on collections with an HTML listing."""

    def __init__(self, app: WSGIApplication, shares: Shares) -> None:
        self.app = app
        self.shares = shares
        self._page = Template(_resource("listing.html"))
        self._css = _resource("listing.css")

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self.app(environ, start_response)
        target = self.shares.target(environ)
        provider = target.share.provider
        info = provider.info(target.path)
        query_string = environ.get("QUERY_STRING", "")
        if info is None or not info.is_collection or wants_davmount(query_string):
            environ[INFO_KEY] = (info,)
            return self.app(environ, start_response)
        query = parse_qs(query_string)
        column = query.get("sort", ["name"])[0]
        column = column if column in _COLUMNS else "name"
        descending = query.get("order", ["asc"])[0] == "desc"
        members = sorted(provider.members(target.path), key=_sort_key(column), reverse=descending)
        base = quote_path(environ.get("SCRIPT_NAME", "").rstrip("/")) + target.url.rstrip("/")
        top = target.path == "/" and target.share.mount == "/"
        page = self._render(base, top, members, column, descending)
        response = Response(page, "text/html; charset=utf-8", [("Cache-Control", "no-cache")])
        return response(environ, start_response)

    def _render(
        self,
        base: str,
        top: bool,
        members: list[ResourceInfo],
        column: str,
        descending: bool,
    ) -> str:
        rows = (
            []
            if top
            else [
                '<tr class="folder"><td class="name"><a href="../">Parent folder</a></td>'
                "<td></td><td></td><td></td></tr>"
            ]
        )
        for member in members:
            link = quote_path(member.name) + ("/" if member.is_collection else "")
            kind = "Folder" if member.is_collection else member.content_type.split(";")[0]
            size = "" if member.is_collection else _size(member.size)
            name = html.escape(member.name)
            rows.append(
                f'<tr class="{"folder" if member.is_collection else "file"}">'
                f'<td class="name"><a href="{html.escape(link)}">{name}</a></td>'
                f'<td class="number">{size}</td>'
                f"<td>{last_modified(member.modified)}</td><td>{html.escape(kind)}</td></tr>"
            )
        values: dict[str, str] = {
            "title": html.escape(unquote(base) + "/"),
            "css": self._css,
            "rows": "\n".join(rows),
            "count": f"{len(members)} item{'' if len(members) == 1 else 's'}",
            "sorted_by": f"{column}, {'descending' if descending else 'ascending'}",
        }
        for name in _COLUMNS:
            order = "desc" if name == column and not descending else "asc"
            values[f"sort_{name}"] = f"?sort={name}&amp;order={order}"
            values[f"aria_{name}"] = (
                ("descending" if descending else "ascending") if name == column else "none"
            )
        return self._page.substitute(values)


def _sort_key(column: str) -> Callable[[ResourceInfo], tuple[bool, float, str, str]]:
    """Folders first (but by date), then the column, then the name regardless of case."""

    def key(info: ResourceInfo) -> tuple[bool, float, str, str]:
        folded = info.name.casefold()
        if column == "size":
            return (not info.is_collection, info.size, "", folded)
        if column == "modified":
            return (False, info.modified, "", folded)
        if column == "type":
            return (not info.is_collection, 0, info.content_type, folded)
        return (not info.is_collection, 0, "", folded)

    return key


def _size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"

"""Static files served in front of an application, Werkzeug's ``SharedDataMiddleware`` done
carefully.

::

    app = Static(app, {
        "/static": "./public",                      # a folder
        "/robots.txt": "./public/robots.txt",       # one file
        "/assets": ("my_package", "assets"),        # package data, through importlib.resources
    })

``GET`` and ``HEAD`` requests under an export are answered from disk through
:class:`shallot.http.FileResponse` (``ETag``, ``Last-Modified``, 304/412, ``Range`` with 206/416,
``HEAD``, ``wsgi.file_wrapper``); everything else reaches the application: other methods, paths
outside every export, files that are not there, disallowed names, and folders without an index
file. File names may be any UTF-8 text (``/static/caf%C3%A9.txt`` finds ``café.txt``). Paths
that could leave an export (see :mod:`shallot.middleware.exports`) get 404 from here and never
reach the application.

To a request with ``Accept-Encoding``, a file with pre-compressed siblings (``app.js.br``,
``app.js.gz``) is sent as the sibling the client prefers (see
:mod:`shallot.middleware.encodings`) with ``Content-Encoding`` and the plain file's
``Content-Type``, or as itself; either way with ``Vary: Accept-Encoding``. Each sibling is a file
of its own, so each encoding has its own ``ETag``. A request without ``Accept-Encoding`` gets the
plain file, the one answer acceptable to every client, without the sibling lookups (and without
``Vary``, which a cache may then reuse for anyone).
"""

from __future__ import annotations

import fnmatch
import mimetypes
import os
import re
import stat
from datetime import datetime, timezone
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import quote

from shallot.http import (
    FileResponse,
    Headers,
    NotModifiedResponse,
    Precondition,
    RedirectResponse,
    evaluate_preconditions,
    http_date,
    make_etag,
    not_found,
)
from shallot.http.file_response import DEFAULT_CHUNK_SIZE, guess_content_type

from .encodings import SUFFIXES, choose_encoding
from .exports import (
    ExportKind,
    PathRefused,
    confined_lstat,
    lstat_inside,
    make_export,
    relative_segments,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from shallot.http import BaseResponse, ETag

    from .exports import Export, ExportSource

__all__ = ["DEFAULT_CACHE_TIMEOUT", "Static"]

DEFAULT_CACHE_TIMEOUT = 12 * 60 * 60
"""Seconds a client may reuse a file without asking again, by default (12 hours)."""

_LOCATION_SAFE = "/:@!$&'()*+,;="


@lru_cache(maxsize=1024)
def _content_type(name: str, fallback: str) -> str:
    media_type, encoding = mimetypes.guess_type(name, strict=False)
    if media_type is None and encoding is None:
        return fallback
    return guess_content_type(name)


def _matcher(patterns: Sequence[str]) -> Callable[[list[str]], bool] | None:
    """One test for all ``disallow`` patterns: those holding ``/`` against the relative path,
    the others against every segment."""
    paths = [fnmatch.translate(pattern) for pattern in patterns if "/" in pattern]
    names = [fnmatch.translate(pattern) for pattern in patterns if "/" not in pattern]
    path_match = re.compile("|".join(paths)).match if paths else None
    name_match = re.compile("|".join(names)).match if names else None
    if path_match is None and name_match is None:
        return None

    def disallowed(segments: list[str]) -> bool:
        if name_match is not None and any(name_match(segment) for segment in segments):
            return True
        return path_match is not None and path_match("/".join(segments)) is not None

    return disallowed


class Static:
    """Serve ``exports`` (URL prefix to folder, file or ``(package, folder)``) in front of
    ``app``; see the module documentation.

    - ``disallow``: fnmatch patterns (case-sensitive) of files to leave to the application as if
      absent; a pattern with ``/`` is matched against the path below the export, one without
      against each segment (so ``".*"`` hides dotfiles and dot-folders everywhere).
    - ``cache``: add ``Cache-Control: public, max-age=<cache_timeout>``; with ``False`` no
      ``Cache-Control`` is sent, but ``ETag``/``Last-Modified`` and 304 answers still are.
    - ``fallback_mimetype``: the ``Content-Type`` of files whose type the name does not tell.
    - ``index``: file names served for a folder (the first present wins); a folder URL without
      its trailing slash is redirected (301) to it, so relative links work. ``()`` serves no
      index files and leaves folders to the application. Default ``("index.html",)``.
    - ``encodings``: the pre-compressed siblings looked for, in order of preference (``br``,
      ``gzip``, ``zstd``); ``()`` never sends one.

    Prefixes are matched on whole segments, longest first (``/static`` never serves
    ``/staticfiles``); a file missing from one export is looked for in the next that matches.
    Raises :class:`~shallot.middleware.exports.ExportError` for an export that cannot be set up
    and :class:`ValueError` for other bad options.
    """

    __slots__ = (
        "_app",
        "_chunk_size",
        "_disallowed",
        "_encodings",
        "_exports",
        "_fallback",
        "_headers",
        "_index",
        "_refused",
    )

    def __init__(
        self,
        app: WSGIApplication,
        exports: Mapping[str, ExportSource],
        *,
        disallow: str | Sequence[str] = (),
        cache: bool = True,
        cache_timeout: int = DEFAULT_CACHE_TIMEOUT,
        fallback_mimetype: str = "application/octet-stream",
        index: Sequence[str] = ("index.html",),
        encodings: Sequence[str] = ("br", "gzip"),
        chunk_size: int = DEFAULT_CHUNK_SIZE,
    ) -> None:
        """Resolve the exports once; see the class documentation."""
        if isinstance(cache_timeout, bool) or not isinstance(cache_timeout, int):
            raise ValueError(f"cache_timeout must be an int, not {cache_timeout!r}")
        if cache_timeout < 0:
            raise ValueError(f"cache_timeout must not be negative: {cache_timeout}")
        if not fallback_mimetype.isascii() or not fallback_mimetype.isprintable():
            raise ValueError(f"invalid fallback_mimetype: {fallback_mimetype!r}")
        unknown = [coding for coding in encodings if coding not in SUFFIXES]
        if unknown:
            raise ValueError(f"unknown encodings {unknown}; known: {sorted(SUFFIXES)}")
        for name in index:
            if not name or "/" in name or "\\" in name or name in (".", ".."):
                raise ValueError(f"an index file is a plain file name, not {name!r}")
        if isinstance(disallow, str):
            disallow = (disallow,)
        resolved = [make_export(prefix, source) for prefix, source in exports.items()]
        self._exports: tuple[Export, ...] = tuple(
            sorted(resolved, key=lambda export: len(export.prefix), reverse=True)
        )
        self._app = app
        self._disallowed = _matcher(disallow)
        self._headers = Headers(
            [("Cache-Control", f"public, max-age={cache_timeout}")] if cache else []
        )
        self._fallback = fallback_mimetype
        self._index = tuple(index)
        self._encodings = tuple(encodings)
        self._chunk_size = chunk_size
        self._refused = not_found()

    @property
    def exports(self) -> tuple[Export, ...]:
        """The resolved exports, in the order they are tried (longest prefix first)."""
        return self._exports

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Answer from an export, or hand the request to the application."""
        method = environ.get("REQUEST_METHOD")
        if method == "GET" or method == "HEAD":
            path: str = environ.get("PATH_INFO", "")
            for export in self._exports:
                prefix = export.prefix
                if not path.startswith(prefix):
                    continue
                rest = path[len(prefix) :]
                if export.kind is ExportKind.FILE:
                    if rest:
                        continue
                    answer = self._send_single(export.root, environ)
                elif rest and rest[0] != "/":
                    continue
                else:
                    try:
                        answer = self._find(export, rest, environ)
                    except PathRefused:
                        return self._refused(environ, start_response)
                if answer is not None:
                    return answer(environ, start_response)
        return self._app(environ, start_response)

    def _find(self, export: Export, rest: str, environ: WSGIEnvironment) -> BaseResponse | None:
        segments, trailing = relative_segments(rest)
        if segments and self._disallowed is not None and self._disallowed(segments):
            return None
        root = export.root
        located = confined_lstat(root, segments)
        if located is None:
            return None
        path, info = located
        if stat.S_ISREG(info.st_mode):
            return None if trailing else self._send(path, segments[-1], info, environ, root)
        if not stat.S_ISDIR(info.st_mode):
            return None
        for name in self._index:
            index_path = f"{path}{os.sep}{name}"
            index_info = lstat_inside(root, index_path)
            if index_info is not None and stat.S_ISREG(index_info.st_mode):
                if not trailing:
                    return _slash_redirect(environ)
                return self._send(index_path, name, index_info, environ, root)
        return None

    def _send_single(self, path: str, environ: WSGIEnvironment) -> BaseResponse | None:
        try:
            info = os.stat(path)
        except (OSError, ValueError):
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        return self._send(path, os.path.basename(path), info, environ, None)

    def _send(
        self,
        path: str,
        name: str,
        info: os.stat_result,
        environ: WSGIEnvironment,
        root: str | None,
    ) -> BaseResponse | None:
        headers = self._headers.copy()
        accept_encoding = environ.get("HTTP_ACCEPT_ENCODING")
        if accept_encoding is not None and self._encodings:
            siblings = {
                coding: sibling
                for coding in self._encodings
                if (sibling := _file_status(root, f"{path}{SUFFIXES[coding]}")) is not None
            }
            if siblings:
                headers.add("Vary", "Accept-Encoding")
                chosen = choose_encoding(accept_encoding, list(siblings))
                if chosen is not None:
                    path = f"{path}{SUFFIXES[chosen]}"
                    info = siblings[chosen]
                    headers.add("Content-Encoding", chosen)
        validators = _validators(info)
        if validators is not None:
            etag, last_modified, moment = validators
            headers.add("ETag", str(etag))
            headers.add("Last-Modified", last_modified)
            if (
                "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ
            ) and evaluate_preconditions(
                environ, etag=etag, last_modified=moment
            ) is Precondition.NOT_MODIFIED:
                return NotModifiedResponse(headers)
        try:
            return FileResponse(
                path, _content_type(name, self._fallback), headers, self._chunk_size
            )
        except (OSError, ValueError):
            return None


_validator_cache: dict[tuple[int, int, int], tuple[ETag, str, datetime]] = {}
_VALIDATOR_CACHE_SIZE = 4096


def _validators(info: os.stat_result) -> tuple[ETag, str, datetime] | None:
    """The ``ETag`` :class:`~shallot.http.FileResponse` gives a file with status ``info`` (see
    :func:`shallot.http.make_etag`), its ``Last-Modified`` value and moment; remembered per
    (size, modification time, inode), so a file's validators are made once per version.

    Taking them from the status read while finding the file lets a 304 be answered without
    opening it; ``None`` for a modification time no HTTP date can carry.
    """
    key = (info.st_size, info.st_mtime_ns, info.st_ino)
    found = _validator_cache.get(key)
    if found is None:
        try:
            last_modified = http_date(info.st_mtime)
        except ValueError:
            return None
        moment = datetime.fromtimestamp(int(info.st_mtime), timezone.utc)
        if len(_validator_cache) >= _VALIDATOR_CACHE_SIZE:
            _validator_cache.clear()
        found = _validator_cache[key] = (make_etag(*key), last_modified, moment)
    return found


def _file_status(root: str | None, path: str) -> os.stat_result | None:
    """The status of the regular file at ``path`` (confined to ``root`` unless ``None``)."""
    if root is None:
        try:
            info = os.stat(path)
        except (OSError, ValueError):
            return None
    else:
        found = lstat_inside(root, path)
        if found is None:
            return None
        info = found
    return info if stat.S_ISREG(info.st_mode) else None


def _slash_redirect(environ: WSGIEnvironment) -> RedirectResponse:
    """A 301 to the folder's URL with its trailing slash (query string kept)."""
    url: str = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    location = quote(url.encode("latin-1"), safe=_LOCATION_SAFE) + "/"
    query = environ.get("QUERY_STRING")
    if query:
        location = f"{location}?{query}"
    return RedirectResponse(location, 301)

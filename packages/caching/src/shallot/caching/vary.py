"""Cache keys for requests: which requests share one cached response.

A :class:`RequestVary` always keys on the method and the path (``SCRIPT_NAME`` and
``PATH_INFO``, so two apps mounted at different prefixes never share entries), then on the query
arguments, form fields, cookies and environ items it was told to. ``HEAD`` keys as ``GET``: a
``HEAD`` is answered from the ``GET``'s entry, without the body.

Unlike Wheezy's keys, these cannot collide: values are percent-encoded, so no value can fake a
separator, and an absent item (``!``) is told apart from an empty one (``=``), as are ``?a=1&a=2``
and ``?a=1,2``. Key layout: ``METHOD SECTIONS PATH``, where SECTIONS has no spaces::

    >>> RequestVary(query=["q"]).key(Request({"REQUEST_METHOD": "GET", "PATH_INFO": "/find",
    ...                                       "QUERY_STRING": "q=a%20b"}))
    'GET Q=a%20b /find'
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from collections.abc import Mapping

    from shallot.http import Request

__all__ = ["RequestVary", "environ_key"]

_MISSING = "!"


def environ_key(environ: Mapping[str, object]) -> str:
    """The key of a request when nothing but its method and path counts (a :class:`RequestVary`
    without items), read straight from a WSGI environ."""
    method = environ.get("REQUEST_METHOD") or "GET"
    if method == "HEAD":
        method = "GET"
    return f"{method}  {environ.get('SCRIPT_NAME', '')}{environ.get('PATH_INFO', '')}"


def _names(kind: str, names: Iterable[str]) -> tuple[str, ...]:
    if isinstance(names, str) or not isinstance(names, Iterable):
        raise TypeError(f"vary {kind} must be an iterable of names, not {type(names).__name__}")
    result = tuple(sorted(set(names)))
    for name in result:
        if not isinstance(name, str) or not name:
            raise TypeError(f"vary {kind} names must be non-empty strings: {name!r}")
    return result


def _encoded(values: Iterable[str]) -> str:
    return "=" + ",".join(quote(value, safe="") for value in values)


class RequestVary:
    """Builds the cache key of a request from its method, path and the named items.

    ``query``, ``form`` and ``cookies`` name query arguments, form fields (of urlencoded or
    multipart bodies) and cookies; ``environ`` names WSGI environ keys (``HTTP_ACCEPT_LANGUAGE``,
    ``REMOTE_USER``...). Order and repetition of names do not matter. Every value of a repeated
    argument counts, in order. :class:`TypeError` for a name list given as a single string.
    """

    __slots__ = ("cookies", "environ", "form", "query")

    def __init__(
        self,
        query: Iterable[str] = (),
        form: Iterable[str] = (),
        cookies: Iterable[str] = (),
        environ: Iterable[str] = (),
    ) -> None:
        """Vary on the named items (see the class documentation)."""
        self.query = _names("query", query)
        self.form = _names("form", form)
        self.cookies = _names("cookies", cookies)
        self.environ = _names("environ", environ)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(query={self.query!r}, form={self.form!r}, "
            f"cookies={self.cookies!r}, environ={self.environ!r})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RequestVary):
            return NotImplemented
        return (self.query, self.form, self.cookies, self.environ) == (
            other.query,
            other.form,
            other.cookies,
            other.environ,
        )

    def __hash__(self) -> int:
        return hash((self.query, self.form, self.cookies, self.environ))

    @property
    def plain(self) -> bool:
        """Whether only the method and path count (then the key is :func:`environ_key`)."""
        return not (self.query or self.form or self.cookies or self.environ)

    @property
    def reads_body(self) -> bool:
        """Whether building a key reads the request body (it varies on form fields)."""
        return bool(self.form)

    def sections(self, request: Request) -> str:
        """The part of the key made from the named items (``""`` for a plain vary); it never
        contains a space. Reading form fields may raise the request's
        :class:`~shallot.http.HTTPException` for a bad body."""
        parts: list[str] = []
        if self.query:
            args = request.args
            parts.append(
                "Q"
                + "&".join(
                    _encoded(args.getlist(name)) if name in args else _MISSING
                    for name in self.query
                )
            )
        if self.form:
            form = request.form
            parts.append(
                "F"
                + "&".join(
                    _encoded(form.getlist(name)) if name in form else _MISSING for name in self.form
                )
            )
        if self.cookies:
            cookies = request.cookies
            parts.append(
                "C"
                + "&".join(
                    _encoded((cookies[name],)) if name in cookies else _MISSING
                    for name in self.cookies
                )
            )
        if self.environ:
            environ = request.environ
            parts.append(
                "E"
                + "&".join(
                    _encoded((str(environ[name]),)) if name in environ else _MISSING
                    for name in self.environ
                )
            )
        return "".join(parts)

    def key(self, request: Request) -> str:
        """The cache key of ``request`` (see the module documentation for its layout)."""
        if self.plain:
            return environ_key(request.environ)
        environ = request.environ
        method = environ.get("REQUEST_METHOD") or "GET"
        if method == "HEAD":
            method = "GET"
        path = f"{environ.get('SCRIPT_NAME', '')}{environ.get('PATH_INFO', '')}"
        return f"{method} {self.sections(request)} {path}"

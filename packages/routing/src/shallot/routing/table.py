"""The route table: which handler answers a path and a method, found without scanning every route.

Static routes live in a dict keyed by the path as WSGI delivers it, so matching one is a single
lookup on ``PATH_INFO``, before anything is decoded. Routes with groups are indexed in a trie of
their leading literal segments (``/api/v1/users/<id>`` sits under ``api`` → ``v1`` → ``users``):
a path walks down the trie one segment at a time, so only the few patterns sharing its literal
prefix are tried, and adding routes elsewhere in the tree costs a request nothing. Candidates are
tried from the deepest (most specific) prefix up, and in registration order within a prefix.

A pattern whose converter rejects the text (``ValueError``) does not match. A path that matches
a pattern but not the request's method keeps the search going (another pattern may take the
method); when none does, the methods seen make up the ``Allow`` of a 405.

The table is read by concurrent requests while the app may still register routes: every change
replaces the containers it touches instead of mutating them in place.
"""

from __future__ import annotations

import contextlib
import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shallot.routing.exceptions import RouteError
from shallot.routing.patterns import Pattern, wsgi_path

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from shallot.routing.handlers import Handler

__all__ = ["Route", "RouteTable"]

_NO_VALUES: tuple[object, ...] = ()
_NO_METHODS: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Route:
    """One registration: ``handler`` answers ``pattern`` for ``methods``; ``name`` is what
    ``url_for`` knows it by (the handler's ``__name__`` unless given)."""

    pattern: Pattern
    handler: Handler
    methods: frozenset[str]
    name: str


def _matcher(pattern: Pattern) -> Callable[[str], tuple[object, ...] | None]:
    """A function from a path to the converted values of ``pattern``'s groups (in pattern order),
    or ``None`` when the path does not match; a converter's error propagates.

    It is generated for the pattern (for ``/<name>/<id:int>``: ``m = fullmatch(path)``, then
    ``(m[1], c1(m[2]))``), so matching a path is one call, with no loop over the groups. The
    source holds only group numbers and the names of the converters passed in.
    """
    assert pattern.regex is not None
    groupindex = pattern.regex.groupindex
    namespace: dict[str, object] = {"fullmatch": pattern.regex.fullmatch}
    items: list[str] = []
    for position, parameter in enumerate(pattern.parameters):
        group = f"m[{groupindex[parameter.name]}]"
        convert = parameter.filter.convert
        if convert is str:
            items.append(group)
        else:
            namespace[f"c{position}"] = convert
            items.append(f"c{position}({group})")
    source = (
        "def match(path):\n"
        "    m = fullmatch(path)\n"
        f"    return None if m is None else ({', '.join(items)},)\n"
    )
    exec(source, namespace)
    matcher: Callable[[str], tuple[object, ...] | None] = namespace["match"]  # type: ignore[assignment]  # defined by the exec above
    return matcher


class _Entry:
    """A pattern with groups: its matcher, and its routes by method."""

    __slots__ = ("match", "methods", "routes")

    def __init__(self, pattern: Pattern) -> None:
        self.match = _matcher(pattern)
        self.routes: dict[str, Route] = {}
        self.methods: frozenset[str] = frozenset()
        """The methods of :attr:`routes`, as one set made once: the ``Allow`` of a 405, which
        then costs no new set (nor its hash) per request."""


class _Node:
    """A trie node: the patterns whose literal prefix ends here, and the longer prefixes."""

    __slots__ = ("children", "entries")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.entries: list[_Entry] = []


def _by_method(routes: Sequence[Route]) -> dict[str, Route]:
    """Routes by method; ``HEAD`` goes to the ``GET`` route unless one takes it explicitly."""
    by_method = {method: route for route in routes for method in route.methods}
    if "GET" in by_method and "HEAD" not in by_method:
        by_method["HEAD"] = by_method["GET"]
    return by_method


class RouteTable:
    """Routes by pattern and method; see the module documentation for how matching works."""

    def __init__(self) -> None:
        self.static: dict[str, dict[str, Route]] = {}
        """Static routes: WSGI path (``PATH_INFO`` as sent) to method name to route."""
        self.static_methods: dict[str, frozenset[str]] = {}
        """The methods of each static path's routes, as one set made once (see
        :attr:`_Entry.methods`)."""
        self._root = _Node()
        self._entries: dict[str, tuple[_Entry, _Node]] = {}
        self._routes: list[Route] = []
        self._by_text: dict[str, list[Route]] = {}
        self._endpoints: dict[object, list[Route]] | None = None

    def __iter__(self) -> Iterator[Route]:
        """The routes in registration order."""
        return iter(tuple(self._routes))

    def __len__(self) -> int:
        return len(self._routes)

    def add(self, route: Route) -> None:
        """Register ``route``; :class:`RouteError` if one of its methods is taken for its pattern,
        or its pattern text was registered before with different filters."""
        text = route.pattern.text
        same = self._by_text.get(text, [])
        for other in same:
            if other.pattern != route.pattern:
                raise RouteError(text, "registered before with different filters")
            taken = other.methods & route.methods
            if taken:
                raise RouteError(
                    text, f"{', '.join(sorted(taken))} already routed to {other.handler!r}"
                )
        self._by_text[text] = [*same, route]
        self._routes = [*self._routes, route]
        self._endpoints = None
        self._reindex(route.pattern)

    def remove(self, text: str, methods: frozenset[str] | None = None) -> list[Route]:
        """Unregister ``methods`` (default: all) of pattern ``text``; the routes removed (narrowed
        to those methods) are returned, and routes keeping other methods stay. :class:`KeyError`
        when the pattern has none of ``methods``."""
        same = self._by_text.get(text, [])
        if not any(methods is None or route.methods & methods for route in same):
            raise KeyError(text)
        changed: dict[int, Route | None] = {}
        removed: list[Route] = []
        for route in same:
            taken = route.methods if methods is None else route.methods & methods
            if taken:
                removed.append(dataclasses.replace(route, methods=taken))
                rest = route.methods - taken
                changed[id(route)] = dataclasses.replace(route, methods=rest) if rest else None
        routes = [changed.get(id(route), route) for route in self._routes]
        self._routes = [route for route in routes if route is not None]
        self._endpoints = None
        kept = [route for route in self._routes if route.pattern.text == text]
        if kept:
            self._by_text[text] = kept
        else:
            del self._by_text[text]
        self._reindex(same[0].pattern)
        return removed

    def routes_for(self, endpoint: object) -> list[Route]:
        """The routes named ``endpoint`` (a ``str``) or routed to that handler, in registration
        order; found through an index built on first use after a change (an unhashable handler
        is looked for route by route)."""
        endpoints = self._endpoints
        if endpoints is None:
            routes = self._routes
            endpoints = {}
            for route in routes:
                endpoints.setdefault(route.name, []).append(route)
                with contextlib.suppress(TypeError):  # an unhashable handler is scanned for
                    endpoints.setdefault(("handler", route.handler), []).append(route)
            if self._routes is routes:  # unchanged meanwhile (routes are replaced, not mutated)
                self._endpoints = endpoints
        key = endpoint if isinstance(endpoint, str) else ("handler", endpoint)
        try:
            return endpoints.get(key, [])
        except TypeError:
            return [route for route in self._routes if route.handler == endpoint]

    def _reindex(self, pattern: Pattern) -> None:
        """Rebuild the index of ``pattern`` from its routes."""
        routes = _by_method(self._by_text.get(pattern.text, ()))
        if pattern.is_static:
            key = wsgi_path(pattern.text)
            if routes:
                self.static[key] = routes
                self.static_methods[key] = frozenset(routes)
            else:
                self.static.pop(key, None)
                self.static_methods.pop(key, None)
            return
        found = self._entries.get(pattern.text)
        if found is None:
            entry, node = _Entry(pattern), self._node(pattern.prefix)
            self._entries[pattern.text] = entry, node
            entry.routes, entry.methods = routes, frozenset(routes)
            node.entries = [*node.entries, entry]
            return
        entry, node = found
        entry.routes, entry.methods = routes, frozenset(routes)
        if not routes:
            node.entries = [other for other in node.entries if other is not entry]
            del self._entries[pattern.text]

    def _node(self, prefix: tuple[str, ...]) -> _Node:
        node = self._root
        for segment in prefix:
            child = node.children.get(segment)
            if child is None:
                child = _Node()
                node.children = {**node.children, segment: child}
            node = child
        return node

    def match(
        self, path: str, method: str
    ) -> tuple[Route | None, tuple[object, ...], frozenset[str]]:
        """Find the route with groups for ``method`` on ``path`` (decoded text).

        Returns the route and its converted values; or, when no route takes the method, ``None``
        and the methods the matching patterns accept (empty: no pattern matches ``path``).
        Static routes are not consulted: they are the :attr:`static` dict.
        """
        node = self._root
        entries = node.entries  # those of the deepest prefix found so far
        shallower: list[list[_Entry]] | None = None  # made only when two prefixes have entries
        children = node.children
        start = 1
        while children:
            end = path.find("/", start)
            if end < 0:
                break
            child = children.get(path[start:end])
            if child is None:
                break
            if child.entries:
                if entries:
                    if shallower is None:
                        shallower = [entries]
                    else:
                        shallower.append(entries)
                entries = child.entries
            children = child.children
            start = end + 1
        allowed: frozenset[str] | None = None
        while entries:
            for entry in entries:
                try:
                    values = entry.match(path)
                except (ValueError, TypeError, OverflowError):
                    continue  # a converter refused the text: no match
                if values is None:
                    continue
                route = entry.routes.get(method)
                if route is not None:
                    return route, values, _NO_METHODS
                allowed = entry.methods if allowed is None else allowed | entry.methods
            entries = shallower.pop() if shallower else []
        return None, _NO_VALUES, _NO_METHODS if allowed is None else allowed

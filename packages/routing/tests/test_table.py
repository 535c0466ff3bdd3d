"""The route table: indexing, priority, method sets, removal, and matching that does not slow
down as routes are added."""

from __future__ import annotations

import pytest

from shallot.routing import BUILTIN_FILTERS, Route, RouteError, parse_pattern
from shallot.routing.table import RouteTable


def handler_named(name: str) -> object:
    def handler(*args: object) -> str:
        return name

    handler.__name__ = name
    return handler


def add(table: RouteTable, text: str, *methods: str, name: str | None = None) -> Route:
    route = Route(
        parse_pattern(text, BUILTIN_FILTERS),
        handler_named(name or text),  # type: ignore[arg-type]  # returns a str, a ResponseValue
        frozenset(methods or ("GET",)),
        name or text,
    )
    table.add(route)
    return route


def test_static_routes_by_wsgi_path_with_head_for_get() -> None:
    table = RouteTable()
    get = add(table, "/café")
    post = add(table, "/café", "POST")
    assert table.static["/caf\u00c3\u00a9"] == {"GET": get, "HEAD": get, "POST": post}
    assert "/café" not in table.static


def test_explicit_head_wins_over_get() -> None:
    table = RouteTable()
    get = add(table, "/a/<x>")
    head = add(table, "/a/<x>", "HEAD")
    assert table.match("/a/1", "HEAD") == (head, ("1",), frozenset())
    assert table.match("/a/1", "GET") == (get, ("1",), frozenset())


def test_values_are_converted_in_pattern_order() -> None:
    table = RouteTable()
    route = add(table, "/<b:int>/and/<a>/<c:float>")
    assert table.match("/7/and/x/2.5", "GET") == (route, (7, "x", 2.5), frozenset())


def test_filters_with_groups_of_their_own() -> None:
    table = RouteTable()
    route = add(table, "/v/<major:re:([0-9]+)>.<minor:re:([0-9]+)>")
    assert table.match("/v/3.14", "GET") == (route, ("3", "14"), frozenset())


def test_deepest_literal_prefix_first_then_registration_order() -> None:
    table = RouteTable()
    catch_all = add(table, "/<rest:path>")
    files = add(table, "/files/<name:path>")
    special = add(table, "/files/special/<name>")
    first_word = add(table, "/files/<name:word>")
    assert table.match("/files/special/x", "GET")[0] is special
    assert table.match("/files/special/x/y", "GET")[0] is files
    assert table.match("/files/abc", "GET")[0] is files  # registered before first_word
    assert table.match("/other/x", "GET")[0] is catch_all
    table.remove("/files/<name:path>")
    assert table.match("/files/abc", "GET")[0] is first_word


def test_a_converter_that_refuses_means_no_match() -> None:
    table = RouteTable()
    huge = add(table, "/n/<n:int>")
    fallback = add(table, "/n/<text>")
    assert table.match("/n/12", "GET")[0] is huge
    assert table.match("/n/" + "9" * 5000, "GET") == (fallback, ("9" * 5000,), frozenset())


def test_methods_of_every_matching_pattern_make_the_allowed_set() -> None:
    table = RouteTable()
    add(table, "/u/<id:int>", "GET")
    add(table, "/u/<name>", "POST", "DELETE")
    put = add(table, "/u/<name>", "PUT", name="put")
    assert table.match("/u/5", "PATCH") == (
        None,
        (),
        frozenset({"GET", "HEAD", "POST", "DELETE", "PUT"}),
    )
    assert table.match("/u/ann", "PATCH") == (None, (), frozenset({"POST", "DELETE", "PUT"}))
    assert table.match("/u/5", "PUT") == (put, ("5",), frozenset())
    assert table.match("/v/5", "GET") == (None, (), frozenset())


def test_paths_not_under_a_prefix_never_reach_its_patterns() -> None:
    table = RouteTable()
    add(table, "/api/v1/<id:int>")
    for path in ["/api", "/api/", "/api/v1", "/api/v2/1", "/apix/v1/1", "/api/v1/x", "/"]:
        assert table.match(path, "GET") == (None, (), frozenset()), path


def test_taken_methods_and_different_filters_are_refused() -> None:
    table = RouteTable()
    add(table, "/a/<x:int>", "GET", "POST")
    with pytest.raises(RouteError, match="POST already routed to"):
        add(table, "/a/<x:int>", "POST", "PUT")
    table.add(
        Route(
            parse_pattern("/a/<x:int>", BUILTIN_FILTERS), lambda r, x: "", frozenset({"PUT"}), "x"
        )
    )
    filters = dict(BUILTIN_FILTERS)
    filters["int"] = filters["hex"]
    with pytest.raises(RouteError, match="registered before with different filters"):
        table.add(
            Route(parse_pattern("/a/<x:int>", filters), lambda r, x: "", frozenset({"X"}), "x")
        )


def test_remove_narrows_or_drops_routes_and_keeps_order() -> None:
    table = RouteTable()
    first = add(table, "/a", "GET", "POST")
    second = add(table, "/b/<x>", "GET")
    removed = table.remove("/a", frozenset({"POST"}))
    assert [route.methods for route in removed] == [frozenset({"POST"})]
    assert [route.pattern.text for route in table] == ["/a", "/b/<x>"]
    assert table.static["/a"].keys() == {"GET", "HEAD"}
    assert table.remove("/b/<x>") == [second]
    assert table.match("/b/1", "GET") == (None, (), frozenset())
    table.remove("/a")
    assert "/a" not in table.static
    assert len(table) == 0
    with pytest.raises(KeyError):
        table.remove("/a")
    assert first.methods == {"GET", "POST"}  # routes are records: removal made new ones


def test_removing_a_missing_method_is_a_key_error_and_changes_nothing() -> None:
    table = RouteTable()
    add(table, "/a/<x>", "GET")
    with pytest.raises(KeyError):
        table.remove("/a/<x>", frozenset({"POST"}))
    assert table.match("/a/1", "GET")[0] is not None


def test_a_thousand_routes_still_find_the_last() -> None:
    table = RouteTable()
    routes = [add(table, f"/r{n}/<id:int>", name=f"r{n}") for n in range(1000)]
    assert table.match("/r999/7", "GET") == (routes[-1], (7,), frozenset())
    assert table.match("/r1000/7", "GET") == (None, (), frozenset())
    assert len(table) == 1000


class Unhashable:
    """A callable handler that cannot be a dict key."""

    __hash__ = None  # type: ignore[assignment]  # what is under test

    def __eq__(self, other: object) -> bool:
        return self is other

    def __call__(self, *args: object) -> str:
        return ""


def test_routes_for_an_endpoint() -> None:
    table = RouteTable()
    first = add(table, "/a", name="page")
    second = add(table, "/b/<x>", name="page")
    other = add(table, "/c", name="other")
    assert table.routes_for("page") == [first, second]
    assert table.routes_for(other.handler) == [other]
    assert table.routes_for("nothing") == []
    odd = Unhashable()
    route = Route(parse_pattern("/d", BUILTIN_FILTERS), odd, frozenset({"GET"}), "odd")
    table.add(route)
    assert table.routes_for("odd") == [route]
    assert table.routes_for(odd) == [route]
    assert table.routes_for([1]) == []
    table.remove("/b/<x>")
    assert table.routes_for("page") == [first]

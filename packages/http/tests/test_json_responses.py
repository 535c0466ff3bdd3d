"""Tests for shallot.http.json_responses: JSONResponse and the streamed JSONGeneratorResponse."""

from __future__ import annotations

import json
import math
import threading
from datetime import date
from typing import TYPE_CHECKING

import pytest

from shallot.http.json_responses import JSONGeneratorResponse, JSONResponse
from shallot.testing import fetch, route_table

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from shallot.http.types import JSONValue
    from shallot.testing import Serve

DATA: JSONValue = {"id": 42, "name": "shallot", "tags": ["http", "wsgi"], "ok": True, "none": None}


def test_compact_by_default() -> None:
    response = JSONResponse(DATA)
    assert (
        response.data == b'{"id":42,"name":"shallot","tags":["http","wsgi"],"ok":true,"none":null}'
    )
    assert response.content_type == "application/json; charset=utf-8"
    assert response.status_code == 200


def test_dumps_options() -> None:
    assert JSONResponse({"b": 1, "a": 2}, sort_keys=True).data == b'{"a":2,"b":1}'
    assert JSONResponse([1, 2], separators=(", ", ": ")).data == b"[1, 2]"
    assert JSONResponse({"a": 1}, indent=2).data == b'{\n  "a":1\n}'
    assert JSONResponse("é").data == b'"\\u00e9"'
    assert JSONResponse("é", ensure_ascii=False).data == '"é"'.encode()

    def default(value: object) -> JSONValue:
        assert isinstance(value, date)
        return value.isoformat()

    dated = {"d": date(2024, 1, 2)}
    response = JSONResponse(dated, default=default)  # type: ignore[arg-type]  # default handles it
    assert response.data == b'{"d":"2024-01-02"}'

    class Encoder(json.JSONEncoder):
        def default(self, o: object) -> object:
            assert isinstance(o, date)
            return o.year

    response = JSONResponse(dated, cls=Encoder)  # type: ignore[arg-type]  # Encoder handles it
    assert response.data == b'{"d":2024}'
    odd_keys = {(1, 2): 1, "a": 2}
    assert JSONResponse(odd_keys, skipkeys=True).data == b'{"a":2}'  # type: ignore[arg-type]  # skipped
    assert JSONResponse([1], indent=1, separators=None).data == b"[\n 1\n]"
    assert JSONResponse({"a": [1]}, check_circular=False).data == b'{"a":[1]}'


def test_charset() -> None:
    assert JSONResponse(1, charset=None).content_type == "application/json"
    assert JSONResponse("é", charset=None, ensure_ascii=False).data == '"é"'.encode()
    latin = JSONResponse("é", charset="latin-1", ensure_ascii=False)
    assert latin.content_type == "application/json; charset=latin-1"
    assert latin.data == b'"\xe9"'


def test_status_and_headers() -> None:
    response = JSONResponse({"error": "gone"}, 410, {"Cache-Control": "no-store"})
    assert response.status_code == 410
    assert response.headers["Cache-Control"] == "no-store"


def test_bad_values_fail_at_construction() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        JSONResponse({"when": date(2024, 1, 1)})  # type: ignore[dict-item]  # the check under test
    with pytest.raises(ValueError, match="Out of range float"):
        JSONResponse(math.nan, allow_nan=False)
    circular: list[JSONValue] = []
    circular.append(circular)
    with pytest.raises(ValueError, match="Circular reference"):
        JSONResponse(circular)
    with pytest.raises(ValueError, match="not an HTTP status code"):
        JSONResponse({}, 1000)


def test_served_json(serve: Serve) -> None:
    base = serve(
        route_table(
            {
                "/": lambda: JSONResponse(DATA),
                "/created": lambda: JSONResponse([1], 201, {"Location": "/items/1"}),
            }
        )
    )
    reply = fetch(base)
    assert (reply.status, reply.reason) == (200, "OK")
    assert reply.headers["Content-Type"] == "application/json; charset=utf-8"
    assert reply.headers["Content-Length"] == str(len(reply.body))
    assert json.loads(reply.body) == DATA

    reply = fetch(base, "/created")
    assert (reply.status, reply.headers["Location"], reply.body) == (201, "/items/1", b"[1]")


def test_generator_serialises_each_element_as_it_is_produced(serve: Serve) -> None:
    produced: list[int] = []

    def elements() -> Iterator[JSONValue]:
        item: dict[str, JSONValue] = {"n": 0}
        for number in range(3):
            item["n"] = number
            produced.append(number)
            yield item

    response = JSONGeneratorResponse(elements())
    assert produced == []
    base = serve(route_table({"/": lambda: response}))
    reply = fetch(base)
    assert reply.status == 200
    assert reply.headers["Content-Type"] == "application/json; charset=utf-8"
    assert "Content-Length" not in reply.headers
    assert reply.body == b'[{"n":0},{"n":1},{"n":2}]'


@pytest.mark.parametrize(
    ("elements", "body"),
    [
        ([], b"[]"),
        (iter(()), b"[]"),
        ((1, "two", None), b'[1,"two",null]'),
        (({"a": [1, 2]} for _ in range(2)), b'[{"a":[1,2]},{"a":[1,2]}]'),
    ],
)
def test_generator_arrays(serve: Serve, elements: Iterable[JSONValue], body: bytes) -> None:
    base = serve(route_table({"/": lambda: JSONGeneratorResponse(elements)}))
    reply = fetch(base)
    assert reply.body == body
    json.loads(reply.body)


def test_generator_options_and_charset(serve: Serve) -> None:
    base = serve(
        route_table(
            {
                "/sorted": lambda: JSONGeneratorResponse([{"b": 1, "a": 2}], sort_keys=True),
                "/utf16": lambda: JSONGeneratorResponse(
                    ["é", "ü"], 202, {"X": "y"}, "utf-16", ensure_ascii=False
                ),
                "/bare": lambda: JSONGeneratorResponse([1], charset=None),
            }
        )
    )
    assert fetch(base, "/sorted").body == b'[{"a":2,"b":1}]'
    reply = fetch(base, "/utf16")
    assert (reply.status, reply.headers["X"]) == (202, "y")
    assert reply.headers["Content-Type"] == "application/json; charset=utf-16"
    assert json.loads(reply.body.decode("utf-16")) == ["é", "ü"]
    assert fetch(base, "/bare").headers["Content-Type"] == "application/json"


def test_generator_closed_and_cut_on_bad_element(serve: Serve) -> None:
    closed = threading.Event()

    def elements() -> Iterator[JSONValue]:
        try:
            yield 1
            yield {"when": date(2024, 1, 1)}  # type: ignore[dict-item]  # the failure under test
            yield 3
        finally:
            closed.set()

    base = serve(route_table({"/": lambda: JSONGeneratorResponse(elements())}))
    assert fetch(base).body == b"[1"
    assert closed.wait(5)


def test_generator_head_closes_the_source(serve: Serve) -> None:
    closed = threading.Event()

    class Elements:
        def __iter__(self) -> Iterator[JSONValue]:
            raise AssertionError("a HEAD answer must not produce the body")

        def close(self) -> None:
            closed.set()

    base = serve(route_table({"/": lambda: JSONGeneratorResponse(Elements())}))
    reply = fetch(base, method="HEAD")
    assert (reply.status, reply.body) == (200, b"")
    assert closed.is_set()


@pytest.mark.parametrize(
    "data",
    [
        "text",
        'caf\xe9 \u2603 \U0001f600 "quoted" \\ \n',
        {"a": [1, 2.5, -0.0, 1e300, None, True, False], "\xe9": {"nested": []}},
        [math.inf, -math.inf],
        42,
        3.25,
        None,
        [],
        {},
    ],
)
def test_default_output_is_json_dumps_compact(data: JSONValue) -> None:
    expected = json.dumps(data, separators=(",", ":")).encode()
    assert JSONResponse(data).data == expected


def test_failed_encoding_leaves_no_trace() -> None:
    inner: dict[str, JSONValue] = {"x": [1]}
    outer: list[JSONValue] = [inner, {"when": date(2024, 1, 1)}]  # type: ignore[dict-item]
    with pytest.raises(TypeError):
        JSONResponse(outer)
    # The containers met before the failure are not taken for a cycle the next time.
    assert JSONResponse([inner, inner]).data == b'[{"x":[1]},{"x":[1]}]'


def test_shared_data_encoded_from_many_threads() -> None:
    shared: JSONValue = {"items": [{"n": n, "tags": ["a", "b"]} for n in range(200)]}
    expected = json.dumps(shared, separators=(",", ":")).encode()
    failures: list[BaseException] = []

    def encode() -> None:
        try:
            for _ in range(50):
                assert JSONResponse(shared).data == expected
        except BaseException as error:  # reported below, in the main thread
            failures.append(error)

    threads = [threading.Thread(target=encode) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []

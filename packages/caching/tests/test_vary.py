"""RequestVary: keys on method and path, then the named items; never two requests alike."""

from __future__ import annotations

import io

import pytest

from shallot.caching import RequestVary
from shallot.caching.vary import environ_key
from shallot.http import Request


def _request(
    target: str = "/find",
    method: str = "GET",
    cookie: str | None = None,
    form: bytes | None = None,
    **environ: str,
) -> Request:
    path, _, query = target.partition("?")
    built: dict[str, object] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "wsgi.input": io.BytesIO(form or b""),
    }
    if cookie is not None:
        built["HTTP_COOKIE"] = cookie
    if form is not None:
        built["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        built["CONTENT_LENGTH"] = str(len(form))
    built.update(environ)
    return Request(built)


def test_the_documented_key() -> None:
    assert RequestVary(query=["q"]).key(_request("/find?q=a%20b")) == "GET Q=a%20b /find"


def test_method_and_path_always() -> None:
    plain = RequestVary()
    assert plain.plain
    assert plain.key(_request("/a?x=1")) == "GET  /a" == environ_key({"PATH_INFO": "/a"})
    assert plain.key(_request("/a", "POST")) == "POST  /a"
    assert plain.key(_request("/a", "HEAD")) == "GET  /a"
    mounted = _request("/a", SCRIPT_NAME="/app")
    assert plain.key(mounted) == "GET  /app/a"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("/find", "/find?q="),  # missing and empty
        ("/find?q=", "/find?q=&q="),  # one empty value and two
        ("/find?q=a&q=b", "/find?q=a,b"),  # two values and one with a comma
        (
            "/find?q=a%26page%3D2",
            "/find?q=a&page=2",
        ),  # a value cannot fake another item
        ("/find?q=1&page=2", "/find?q=2&page=1"),  # items keep their names
        ("/find?q=a%20/x", "/find/x?q=a"),  # nor can it fake the path
    ],
)
def test_distinct_requests_get_distinct_keys(one: str, other: str) -> None:
    vary = RequestVary(query=["q", "page"])
    assert vary.key(_request(one)) != vary.key(_request(other))


def test_unnamed_items_do_not_count_and_order_does_not_matter() -> None:
    vary = RequestVary(query=["page", "q", "q"])
    assert vary == RequestVary(query=["q", "page"])
    assert hash(vary) == hash(RequestVary(query=["q", "page"]))
    assert vary.key(_request("/find?q=1&utm=x&page=2")) == vary.key(_request("/find?page=2&q=1"))


def test_form_cookies_environ() -> None:
    vary = RequestVary(form=["f"], cookies=["c", "d"], environ=["HTTP_ACCEPT_LANGUAGE", "X"])
    assert vary.reads_body
    key = vary.key(
        _request("/p", "POST", cookie="c=1; d=", form=b"f=x%2Cy", HTTP_ACCEPT_LANGUAGE="fr")
    )
    assert key == "POST F=x%2Cy" + "C=1&=" + "E=fr&! /p"
    bare = vary.key(_request("/p", "POST", form=b""))
    assert bare == "POST F!C!&!E!&! /p"


def test_names_must_be_lists_of_strings() -> None:
    with pytest.raises(TypeError, match="iterable of names"):
        RequestVary(query="q")
    with pytest.raises(TypeError, match="non-empty strings"):
        RequestVary(cookies=[""])
    assert "query=('q',)" in repr(RequestVary(query=["q"]))
    assert RequestVary() != "RequestVary()"

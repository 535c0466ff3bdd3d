"""Tests for shallot.http.conditional: RFC 9110 section 13.2.2, row by row."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

import pytest

from shallot.http.conditional import Precondition, evaluate_preconditions, if_range_allows
from shallot.http.dates import http_date
from shallot.http.etags import ETag
from shallot.testing import fetch

if TYPE_CHECKING:
    from collections.abc import Iterable

    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from shallot.testing import Serve

UTC = timezone.utc
CURRENT = ETag("v1")
WEAK_CURRENT = ETag("v1", weak=True)
MODIFIED = datetime(2024, 1, 1, 12, 0, 0, tzinfo=UTC)
AT = http_date(MODIFIED)
BEFORE = http_date(MODIFIED - timedelta(seconds=1))
AFTER = http_date(MODIFIED + timedelta(seconds=1))

PROCEED = Precondition.PROCEED
NOT_MODIFIED = Precondition.NOT_MODIFIED
FAILED = Precondition.PRECONDITION_FAILED


def evaluate(
    method: str,
    headers: dict[str, str],
    *,
    etag: ETag | None = CURRENT,
    last_modified: datetime | None = MODIFIED,
    exists: bool = True,
) -> Precondition:
    environ: dict[str, object] = {"REQUEST_METHOD": method}
    for name, value in headers.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return evaluate_preconditions(environ, etag=etag, last_modified=last_modified, exists=exists)


def test_no_preconditions_proceed() -> None:
    for method in ("GET", "HEAD", "POST", "PUT", "DELETE"):
        assert evaluate(method, {}) is PROCEED


# Step 1: If-Match, strong comparison; false gives 412 for every method.
@pytest.mark.parametrize("method", ["GET", "HEAD", "PUT", "DELETE", "POST"])
@pytest.mark.parametrize(
    ("value", "etag", "exists", "expected"),
    [
        ('"v1"', CURRENT, True, PROCEED),
        ('"v2"', CURRENT, True, FAILED),
        ('"v2", "v1"', CURRENT, True, PROCEED),
        (' "v2" ,, "v1" ', CURRENT, True, PROCEED),
        ('W/"v1"', CURRENT, True, FAILED),
        ('"v1"', WEAK_CURRENT, True, FAILED),
        ('W/"v1"', WEAK_CURRENT, True, FAILED),
        ('"v1"', None, True, FAILED),
        ('"v1"', CURRENT, False, FAILED),
        ("*", CURRENT, True, PROCEED),
        ("*", None, True, PROCEED),
        ("*", WEAK_CURRENT, True, PROCEED),
        ("*", None, False, FAILED),
        ("", CURRENT, True, FAILED),
        ("v1", CURRENT, True, FAILED),
        ('"v1', CURRENT, True, FAILED),
        ('"v1" "v2"', CURRENT, True, FAILED),
    ],
)
def test_if_match(
    method: str, value: str, etag: ETag | None, exists: bool, expected: Precondition
) -> None:
    assert evaluate(method, {"If-Match": value}, etag=etag, exists=exists) is expected


# Step 2: If-Unmodified-Since, only without If-Match.
@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
@pytest.mark.parametrize(
    ("value", "last_modified", "exists", "expected"),
    [
        (AT, MODIFIED, True, PROCEED),
        (AFTER, MODIFIED, True, PROCEED),
        (BEFORE, MODIFIED, True, FAILED),
        (AT, MODIFIED + timedelta(microseconds=999_999), True, PROCEED),
        (AT, MODIFIED.replace(tzinfo=None), True, PROCEED),
        (BEFORE, MODIFIED.replace(tzinfo=None), True, FAILED),
        (AT, MODIFIED.astimezone(timezone(timedelta(hours=5))), True, PROCEED),
        (BEFORE, MODIFIED.astimezone(timezone(timedelta(hours=-5))), True, FAILED),
        (BEFORE, None, True, PROCEED),
        (BEFORE, MODIFIED, False, PROCEED),
        ("yesterday", MODIFIED, True, PROCEED),
        (f"{BEFORE}, {BEFORE}", MODIFIED, True, PROCEED),
    ],
)
def test_if_unmodified_since(
    method: str, value: str, last_modified: datetime | None, exists: bool, expected: Precondition
) -> None:
    headers = {"If-Unmodified-Since": value}
    result = evaluate(method, headers, last_modified=last_modified, exists=exists)
    assert result is expected


def test_if_unmodified_since_is_ignored_when_if_match_present() -> None:
    assert evaluate("PUT", {"If-Match": '"v1"', "If-Unmodified-Since": BEFORE}) is PROCEED
    assert evaluate("PUT", {"If-Match": '"v2"', "If-Unmodified-Since": AFTER}) is FAILED


# Step 3: If-None-Match, weak comparison; 304 for GET/HEAD, 412 otherwise.
@pytest.mark.parametrize(
    ("value", "etag", "exists", "safe_result", "unsafe_result"),
    [
        ('"v1"', CURRENT, True, NOT_MODIFIED, FAILED),
        ('W/"v1"', CURRENT, True, NOT_MODIFIED, FAILED),
        ('"v1"', WEAK_CURRENT, True, NOT_MODIFIED, FAILED),
        ('"v0", W/"v1"', WEAK_CURRENT, True, NOT_MODIFIED, FAILED),
        ('"v2"', CURRENT, True, PROCEED, PROCEED),
        ('"v1"', None, True, PROCEED, PROCEED),
        ('"v1"', CURRENT, False, PROCEED, PROCEED),
        ("*", CURRENT, True, NOT_MODIFIED, FAILED),
        ("*", None, True, NOT_MODIFIED, FAILED),
        ("*", None, False, PROCEED, PROCEED),
        ("", CURRENT, True, PROCEED, PROCEED),
        ("v1", CURRENT, True, PROCEED, FAILED),
        ('"v1', CURRENT, True, PROCEED, FAILED),
        ('*, "v1"', CURRENT, False, PROCEED, FAILED),
    ],
)
def test_if_none_match(
    value: str,
    etag: ETag | None,
    exists: bool,
    safe_result: Precondition,
    unsafe_result: Precondition,
) -> None:
    headers = {"If-None-Match": value}
    for method in ("GET", "HEAD"):
        assert evaluate(method, headers, etag=etag, exists=exists) is safe_result
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        assert evaluate(method, headers, etag=etag, exists=exists) is unsafe_result


def test_methods_are_case_sensitive() -> None:
    assert evaluate("get", {"If-None-Match": '"v1"'}) is FAILED
    assert evaluate("get", {"If-Modified-Since": AT}) is PROCEED


# Step 4: If-Modified-Since, only for GET/HEAD and only without If-None-Match.
@pytest.mark.parametrize(
    ("method", "value", "last_modified", "exists", "expected"),
    [
        ("GET", AT, MODIFIED, True, NOT_MODIFIED),
        ("HEAD", AT, MODIFIED, True, NOT_MODIFIED),
        ("GET", AFTER, MODIFIED, True, NOT_MODIFIED),
        ("GET", BEFORE, MODIFIED, True, PROCEED),
        ("GET", AT, MODIFIED + timedelta(microseconds=500_000), True, NOT_MODIFIED),
        ("GET", AT, MODIFIED.replace(tzinfo=None), True, NOT_MODIFIED),
        ("GET", BEFORE, MODIFIED.replace(tzinfo=None), True, PROCEED),
        ("GET", AT, None, True, PROCEED),
        ("GET", AT, MODIFIED, False, PROCEED),
        ("GET", "not a date", MODIFIED, True, PROCEED),
        ("GET", f"{AT}, {AT}", MODIFIED, True, PROCEED),
        ("POST", AT, MODIFIED, True, PROCEED),
        ("PUT", AFTER, MODIFIED, True, PROCEED),
        ("DELETE", AT, MODIFIED, True, PROCEED),
    ],
)
def test_if_modified_since(
    method: str, value: str, last_modified: datetime | None, exists: bool, expected: Precondition
) -> None:
    headers = {"If-Modified-Since": value}
    result = evaluate(method, headers, last_modified=last_modified, exists=exists)
    assert result is expected


def test_if_modified_since_is_ignored_when_if_none_match_present() -> None:
    assert evaluate("GET", {"If-None-Match": '"v2"', "If-Modified-Since": AT}) is PROCEED
    assert evaluate("GET", {"If-None-Match": "junk", "If-Modified-Since": AT}) is PROCEED
    assert evaluate("GET", {"If-None-Match": '"v1"', "If-Modified-Since": BEFORE}) is NOT_MODIFIED


@pytest.mark.parametrize(
    ("method", "headers", "expected"),
    [
        ("GET", {"If-Match": '"v1"', "If-None-Match": '"v1"'}, NOT_MODIFIED),
        ("GET", {"If-Match": '"v2"', "If-None-Match": '"v1"'}, FAILED),
        ("GET", {"If-Unmodified-Since": BEFORE, "If-None-Match": '"v1"'}, FAILED),
        ("GET", {"If-Unmodified-Since": AT, "If-Modified-Since": AT}, NOT_MODIFIED),
        ("GET", {"If-Match": "*", "If-Modified-Since": BEFORE}, PROCEED),
        ("GET", {"If-Match": "junk", "If-Modified-Since": AT}, FAILED),
        ("PUT", {"If-Match": '"v1"', "If-None-Match": '"v1"'}, FAILED),
        ("PUT", {"If-Match": '"v1"', "If-None-Match": '"v2"'}, PROCEED),
        ("PUT", {"If-Match": '"v1"', "If-Modified-Since": BEFORE}, PROCEED),
    ],
)
def test_precedence(method: str, headers: dict[str, str], expected: Precondition) -> None:
    assert evaluate(method, headers) is expected


@pytest.mark.parametrize("name", ["If-None-Match", "if-none-match", "IF-NONE-MATCH"])
def test_header_mapping_in_any_case(name: str) -> None:
    result = evaluate_preconditions({name: '"v1"'}, etag=CURRENT, method="GET")
    assert result is NOT_MODIFIED


def test_header_mapping_with_dates() -> None:
    headers = {"If-Modified-Since": AT, "Accept": "*/*"}
    result = evaluate_preconditions(headers, last_modified=MODIFIED, method="HEAD")
    assert result is NOT_MODIFIED


def test_header_mapping_requires_method() -> None:
    with pytest.raises(TypeError, match="method is required"):
        evaluate_preconditions({"If-None-Match": '"v1"'}, etag=CURRENT)


def test_method_argument_overrides_environ() -> None:
    environ = {"REQUEST_METHOD": "GET", "HTTP_IF_NONE_MATCH": '"v1"'}
    assert evaluate_preconditions(environ, etag=CURRENT, method="PUT") is FAILED


def test_non_string_environ_values_are_absent() -> None:
    environ: dict[str, object] = {"REQUEST_METHOD": "PUT", "HTTP_IF_MATCH": 5}
    assert evaluate_preconditions(environ, etag=CURRENT) is PROCEED
    environ = {"REQUEST_METHOD": 5}
    with pytest.raises(TypeError, match="method is required"):
        evaluate_preconditions(environ, etag=CURRENT)


@pytest.mark.parametrize(
    ("value", "etag", "last_modified", "expected"),
    [
        (None, CURRENT, MODIFIED, True),
        ('"v1"', CURRENT, MODIFIED, True),
        (' "v1"\t', CURRENT, MODIFIED, True),
        ('"v1"', WEAK_CURRENT, MODIFIED, False),
        ('W/"v1"', CURRENT, MODIFIED, False),
        ('W/"v1"', WEAK_CURRENT, MODIFIED, False),
        ('w/"v1"', WEAK_CURRENT, MODIFIED, False),
        ('"v2"', CURRENT, MODIFIED, False),
        ('"v1"', None, MODIFIED, False),
        ('"v1', CURRENT, MODIFIED, False),
        ('"v1", "v2"', CURRENT, MODIFIED, False),
        (AT, CURRENT, MODIFIED, True),
        (AT, None, MODIFIED + timedelta(microseconds=1), True),
        (AT, None, MODIFIED.replace(tzinfo=None), True),
        (BEFORE, CURRENT, MODIFIED, False),
        (AFTER, CURRENT, MODIFIED, False),
        (AT, CURRENT, None, False),
        ("Sunday, 01-Jan-24 12:00:00 GMT", None, MODIFIED, True),
        ("not a date", CURRENT, MODIFIED, False),
        ("", CURRENT, MODIFIED, False),
    ],
)
def test_if_range_allows(
    value: str | None, etag: ETag | None, last_modified: datetime | None, expected: bool
) -> None:
    environ: dict[str, object] = {"REQUEST_METHOD": "GET", "HTTP_RANGE": "bytes=0-1"}
    if value is not None:
        environ["HTTP_IF_RANGE"] = value
    assert if_range_allows(environ, etag=etag, last_modified=last_modified) is expected


def test_if_range_allows_reads_header_mapping() -> None:
    assert if_range_allows({"if-range": '"v1"'}, etag=CURRENT)
    assert not if_range_allows({"If-Range": '"v2"'}, etag=CURRENT)
    assert if_range_allows({"Range": "bytes=0-1"}, etag=CURRENT)


def _app() -> WSGIApplication:
    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        outcome = evaluate_preconditions(environ, etag=CURRENT, last_modified=MODIFIED)
        if outcome is NOT_MODIFIED:
            start_response("304 Not Modified", [("ETag", str(CURRENT))])
            return []
        if outcome is FAILED:
            start_response("412 Precondition Failed", [("Content-Length", "0")])
            return []
        body = b"content"
        start_response("200 OK", [("ETag", str(CURRENT)), ("Content-Length", str(len(body)))])
        return [body]

    return app


SERVED_CASES = [
    ("GET", {}, 200),
    ("GET", {"If-None-Match": '"v0", W/"v1"'}, 304),
    ("HEAD", {"If-Modified-Since": AT}, 304),
    ("GET", {"If-Modified-Since": BEFORE}, 200),
    ("PUT", {"If-Match": '"v0"'}, 412),
    ("PUT", {"If-None-Match": "*"}, 412),
    ("DELETE", {"If-Unmodified-Since": BEFORE}, 412),
    ("GET", {"If-Match": "not-quoted"}, 412),
]


def test_served_environ(serve: Serve) -> None:
    base = serve(_app())
    statuses = [fetch(base, "/", method, headers).status for method, headers, _ in SERVED_CASES]
    assert statuses == [status for _, _, status in SERVED_CASES]

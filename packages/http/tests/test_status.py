"""Tests for shallot.http.status: the constants, phrases and status lines."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from shallot.http import status

RFC_9110_SECTION_15 = {
    100: ("CONTINUE", "Continue"),
    101: ("SWITCHING_PROTOCOLS", "Switching Protocols"),
    200: ("OK", "OK"),
    201: ("CREATED", "Created"),
    202: ("ACCEPTED", "Accepted"),
    203: ("NON_AUTHORITATIVE_INFORMATION", "Non-Authoritative Information"),
    204: ("NO_CONTENT", "No Content"),
    205: ("RESET_CONTENT", "Reset Content"),
    206: ("PARTIAL_CONTENT", "Partial Content"),
    300: ("MULTIPLE_CHOICES", "Multiple Choices"),
    301: ("MOVED_PERMANENTLY", "Moved Permanently"),
    302: ("FOUND", "Found"),
    303: ("SEE_OTHER", "See Other"),
    304: ("NOT_MODIFIED", "Not Modified"),
    305: ("USE_PROXY", "Use Proxy"),
    307: ("TEMPORARY_REDIRECT", "Temporary Redirect"),
    308: ("PERMANENT_REDIRECT", "Permanent Redirect"),
    400: ("BAD_REQUEST", "Bad Request"),
    401: ("UNAUTHORIZED", "Unauthorized"),
    402: ("PAYMENT_REQUIRED", "Payment Required"),
    403: ("FORBIDDEN", "Forbidden"),
    404: ("NOT_FOUND", "Not Found"),
    405: ("METHOD_NOT_ALLOWED", "Method Not Allowed"),
    406: ("NOT_ACCEPTABLE", "Not Acceptable"),
    407: ("PROXY_AUTHENTICATION_REQUIRED", "Proxy Authentication Required"),
    408: ("REQUEST_TIMEOUT", "Request Timeout"),
    409: ("CONFLICT", "Conflict"),
    410: ("GONE", "Gone"),
    411: ("LENGTH_REQUIRED", "Length Required"),
    412: ("PRECONDITION_FAILED", "Precondition Failed"),
    413: ("CONTENT_TOO_LARGE", "Content Too Large"),
    414: ("URI_TOO_LONG", "URI Too Long"),
    415: ("UNSUPPORTED_MEDIA_TYPE", "Unsupported Media Type"),
    416: ("RANGE_NOT_SATISFIABLE", "Range Not Satisfiable"),
    417: ("EXPECTATION_FAILED", "Expectation Failed"),
    421: ("MISDIRECTED_REQUEST", "Misdirected Request"),
    422: ("UNPROCESSABLE_CONTENT", "Unprocessable Content"),
    426: ("UPGRADE_REQUIRED", "Upgrade Required"),
    500: ("INTERNAL_SERVER_ERROR", "Internal Server Error"),
    501: ("NOT_IMPLEMENTED", "Not Implemented"),
    502: ("BAD_GATEWAY", "Bad Gateway"),
    503: ("SERVICE_UNAVAILABLE", "Service Unavailable"),
    504: ("GATEWAY_TIMEOUT", "Gateway Timeout"),
    505: ("HTTP_VERSION_NOT_SUPPORTED", "HTTP Version Not Supported"),
}

EXTENSIONS = {
    207: ("MULTI_STATUS", "Multi-Status"),
    423: ("LOCKED", "Locked"),
    424: ("FAILED_DEPENDENCY", "Failed Dependency"),
    428: ("PRECONDITION_REQUIRED", "Precondition Required"),
    429: ("TOO_MANY_REQUESTS", "Too Many Requests"),
    431: ("REQUEST_HEADER_FIELDS_TOO_LARGE", "Request Header Fields Too Large"),
    507: ("INSUFFICIENT_STORAGE", "Insufficient Storage"),
}

ALL_CODES = {**RFC_9110_SECTION_15, **EXTENSIONS}


@pytest.mark.parametrize(("code", "name", "phrase"), [(c, n, p) for c, (n, p) in ALL_CODES.items()])
def test_every_code_has_constant_phrase_and_line(code: int, name: str, phrase: str) -> None:
    assert getattr(status, name) == code
    assert status.REASON_PHRASES[code] == phrase
    assert status.reason_phrase(code) == phrase
    assert status.status_line(code) == f"{code} {phrase}"


def test_no_codes_beyond_the_table() -> None:
    assert set(status.REASON_PHRASES) == set(ALL_CODES)


def test_all_lists_every_constant() -> None:
    exported = {name for name in status.__all__ if name.isupper()}
    expected = {name for name, _ in ALL_CODES.values()}
    assert exported == expected | {"REASON_PHRASES", "UNKNOWN_STATUS_PHRASE"}


def test_reason_phrases_is_read_only() -> None:
    with pytest.raises(TypeError):
        status.REASON_PHRASES[299] = "Nope"  # type: ignore[index]  # proving the mapping rejects writes


@pytest.mark.parametrize("code", [102, 299, 418, 599, 0, -1, 1000])
def test_unknown_code_phrase(code: int) -> None:
    assert status.reason_phrase(code) == "Unknown Status"


@pytest.mark.parametrize("code", [102, 299, 418, 599])
def test_status_line_for_unnamed_code_in_range(code: int) -> None:
    assert status.status_line(code) == f"{code} Unknown Status"


@pytest.mark.parametrize("code", [99, 600, 0, -200, 1000])
def test_status_line_rejects_out_of_range(code: int) -> None:
    with pytest.raises(ValueError, match="not an HTTP status code"):
        status.status_line(code)


def test_status_line_rejects_bool() -> None:
    with pytest.raises(ValueError, match="not an HTTP status code"):
        status.status_line(True)


def test_status_line_accepts_int_subclasses() -> None:
    assert status.status_line(HTTPStatus.NOT_FOUND) == "404 Not Found"
    assert status.status_line(HTTPStatus.IM_A_TEAPOT) == "418 Unknown Status"


def test_status_line_for_known_code_is_shared() -> None:
    assert status.status_line(200) is status.status_line(200)

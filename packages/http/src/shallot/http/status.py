"""HTTP status codes: named constants, their reason phrases and ready-made status lines.

The names and phrases are those of RFC 9110 section 15, plus the WebDAV codes (RFC 4918) and the
RFC 6585 codes shallot answers with when a request breaks a limit. Status lines for every known code
are built once at import, so answering a request costs one dict lookup.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "ACCEPTED",
    "BAD_GATEWAY",
    "BAD_REQUEST",
    "CONFLICT",
    "CONTENT_TOO_LARGE",
    "CONTINUE",
    "CREATED",
    "EXPECTATION_FAILED",
    "FAILED_DEPENDENCY",
    "FORBIDDEN",
    "FOUND",
    "GATEWAY_TIMEOUT",
    "GONE",
    "HTTP_VERSION_NOT_SUPPORTED",
    "INSUFFICIENT_STORAGE",
    "INTERNAL_SERVER_ERROR",
    "LENGTH_REQUIRED",
    "LOCKED",
    "METHOD_NOT_ALLOWED",
    "MISDIRECTED_REQUEST",
    "MOVED_PERMANENTLY",
    "MULTIPLE_CHOICES",
    "MULTI_STATUS",
    "NON_AUTHORITATIVE_INFORMATION",
    "NOT_ACCEPTABLE",
    "NOT_FOUND",
    "NOT_IMPLEMENTED",
    "NOT_MODIFIED",
    "NO_CONTENT",
    "OK",
    "PARTIAL_CONTENT",
    "PAYMENT_REQUIRED",
    "PERMANENT_REDIRECT",
    "PRECONDITION_FAILED",
    "PRECONDITION_REQUIRED",
    "PROXY_AUTHENTICATION_REQUIRED",
    "RANGE_NOT_SATISFIABLE",
    "REASON_PHRASES",
    "REQUEST_HEADER_FIELDS_TOO_LARGE",
    "REQUEST_TIMEOUT",
    "RESET_CONTENT",
    "SEE_OTHER",
    "SERVICE_UNAVAILABLE",
    "SWITCHING_PROTOCOLS",
    "TEMPORARY_REDIRECT",
    "TOO_MANY_REQUESTS",
    "UNAUTHORIZED",
    "UNKNOWN_STATUS_PHRASE",
    "UNPROCESSABLE_CONTENT",
    "UNSUPPORTED_MEDIA_TYPE",
    "UPGRADE_REQUIRED",
    "URI_TOO_LONG",
    "USE_PROXY",
    "reason_phrase",
    "status_line",
]

CONTINUE = 100
SWITCHING_PROTOCOLS = 101

OK = 200
CREATED = 201
ACCEPTED = 202
NON_AUTHORITATIVE_INFORMATION = 203
NO_CONTENT = 204
RESET_CONTENT = 205
PARTIAL_CONTENT = 206
MULTI_STATUS = 207

MULTIPLE_CHOICES = 300
MOVED_PERMANENTLY = 301
FOUND = 302
SEE_OTHER = 303
NOT_MODIFIED = 304
USE_PROXY = 305
TEMPORARY_REDIRECT = 307
PERMANENT_REDIRECT = 308

BAD_REQUEST = 400
UNAUTHORIZED = 401
PAYMENT_REQUIRED = 402
FORBIDDEN = 403
NOT_FOUND = 404
METHOD_NOT_ALLOWED = 405
NOT_ACCEPTABLE = 406
PROXY_AUTHENTICATION_REQUIRED = 407
REQUEST_TIMEOUT = 408
CONFLICT = 409
GONE = 410
LENGTH_REQUIRED = 411
PRECONDITION_FAILED = 412
CONTENT_TOO_LARGE = 413
URI_TOO_LONG = 414
UNSUPPORTED_MEDIA_TYPE = 415
RANGE_NOT_SATISFIABLE = 416
EXPECTATION_FAILED = 417
MISDIRECTED_REQUEST = 421
UNPROCESSABLE_CONTENT = 422
LOCKED = 423
FAILED_DEPENDENCY = 424
UPGRADE_REQUIRED = 426
PRECONDITION_REQUIRED = 428
TOO_MANY_REQUESTS = 429
REQUEST_HEADER_FIELDS_TOO_LARGE = 431

INTERNAL_SERVER_ERROR = 500
NOT_IMPLEMENTED = 501
BAD_GATEWAY = 502
SERVICE_UNAVAILABLE = 503
GATEWAY_TIMEOUT = 504
HTTP_VERSION_NOT_SUPPORTED = 505
INSUFFICIENT_STORAGE = 507

UNKNOWN_STATUS_PHRASE = "Unknown Status"
"""The phrase given for a well-formed code this module does not name."""

REASON_PHRASES: Mapping[int, str] = MappingProxyType(
    {
        CONTINUE: "Continue",
        SWITCHING_PROTOCOLS: "Switching Protocols",
        OK: "OK",
        CREATED: "Created",
        ACCEPTED: "Accepted",
        NON_AUTHORITATIVE_INFORMATION: "Non-Authoritative Information",
        NO_CONTENT: "No Content",
        RESET_CONTENT: "Reset Content",
        PARTIAL_CONTENT: "Partial Content",
        MULTI_STATUS: "Multi-Status",
        MULTIPLE_CHOICES: "Multiple Choices",
        MOVED_PERMANENTLY: "Moved Permanently",
        FOUND: "Found",
        SEE_OTHER: "See Other",
        NOT_MODIFIED: "Not Modified",
        USE_PROXY: "Use Proxy",
        TEMPORARY_REDIRECT: "Temporary Redirect",
        PERMANENT_REDIRECT: "Permanent Redirect",
        BAD_REQUEST: "Bad Request",
        UNAUTHORIZED: "Unauthorized",
        PAYMENT_REQUIRED: "Payment Required",
        FORBIDDEN: "Forbidden",
        NOT_FOUND: "Not Found",
        METHOD_NOT_ALLOWED: "Method Not Allowed",
        NOT_ACCEPTABLE: "Not Acceptable",
        PROXY_AUTHENTICATION_REQUIRED: "Proxy Authentication Required",
        REQUEST_TIMEOUT: "Request Timeout",
        CONFLICT: "Conflict",
        GONE: "Gone",
        LENGTH_REQUIRED: "Length Required",
        PRECONDITION_FAILED: "Precondition Failed",
        CONTENT_TOO_LARGE: "Content Too Large",
        URI_TOO_LONG: "URI Too Long",
        UNSUPPORTED_MEDIA_TYPE: "Unsupported Media Type",
        RANGE_NOT_SATISFIABLE: "Range Not Satisfiable",
        EXPECTATION_FAILED: "Expectation Failed",
        MISDIRECTED_REQUEST: "Misdirected Request",
        UNPROCESSABLE_CONTENT: "Unprocessable Content",
        LOCKED: "Locked",
        FAILED_DEPENDENCY: "Failed Dependency",
        UPGRADE_REQUIRED: "Upgrade Required",
        PRECONDITION_REQUIRED: "Precondition Required",
        TOO_MANY_REQUESTS: "Too Many Requests",
        REQUEST_HEADER_FIELDS_TOO_LARGE: "Request Header Fields Too Large",
        INTERNAL_SERVER_ERROR: "Internal Server Error",
        NOT_IMPLEMENTED: "Not Implemented",
        BAD_GATEWAY: "Bad Gateway",
        SERVICE_UNAVAILABLE: "Service Unavailable",
        GATEWAY_TIMEOUT: "Gateway Timeout",
        HTTP_VERSION_NOT_SUPPORTED: "HTTP Version Not Supported",
        INSUFFICIENT_STORAGE: "Insufficient Storage",
    }
)
"""Read-only map from every status code named here to its reason phrase."""

_STATUS_LINES: dict[int, str] = {code: f"{code} {p}" for code, p in REASON_PHRASES.items()}


def reason_phrase(code: int) -> str:
    """Return the reason phrase for ``code``, or ``"Unknown Status"`` for a code not named here."""
    return REASON_PHRASES.get(code, UNKNOWN_STATUS_PHRASE)


def status_line(code: int) -> str:
    """Return the WSGI status string for ``code``, e.g. ``"404 Not Found"``.

    A code in 100-599 that is not named here gets ``"Unknown Status"`` as its phrase. Raises
    :class:`ValueError` for anything else (including ``bool``), since no server could send it.
    """
    try:
        return _STATUS_LINES[code]
    except KeyError:
        pass
    if not isinstance(code, int) or isinstance(code, bool) or not 100 <= code <= 599:
        raise ValueError(f"not an HTTP status code: {code!r}")
    return f"{int(code)} {UNKNOWN_STATUS_PHRASE}"

"""shallot.http: typed WSGI request and response objects on WebOb.

Everything other Shallot packages (and your handlers) need to read a request and write a
response: bounded bodies, forms and streamed uploads, JSON, the response family, HTTP errors as
exceptions, and the RFC 9110 helpers (ranges, conditional requests, ETags, dates, cookies) that
the file server, the cache and the WebDAV server share instead of rewriting.
"""

from shallot.http import status as status
from shallot.http.__about__ import __version__ as __version__
from shallot.http.authorization import Authorization as Authorization
from shallot.http.authorization import BasicCredentials as BasicCredentials
from shallot.http.authorization import MalformedAuthorization as MalformedAuthorization
from shallot.http.authorization import parse_authorization as parse_authorization
from shallot.http.conditional import Precondition as Precondition
from shallot.http.conditional import evaluate_preconditions as evaluate_preconditions
from shallot.http.conditional import if_range_allows as if_range_allows
from shallot.http.cookies import HTTPCookie as HTTPCookie
from shallot.http.cookies import parse_cookie_header as parse_cookie_header
from shallot.http.dates import http_date as http_date
from shallot.http.dates import parse_http_date as parse_http_date
from shallot.http.etags import ETag as ETag
from shallot.http.etags import ETagList as ETagList
from shallot.http.etags import InvalidETag as InvalidETag
from shallot.http.etags import make_etag as make_etag
from shallot.http.etags import parse_etag as parse_etag
from shallot.http.etags import parse_etag_list as parse_etag_list
from shallot.http.exceptions import HTTPException as HTTPException
from shallot.http.exceptions import abort as abort
from shallot.http.exceptions import bad_request as bad_request
from shallot.http.exceptions import forbidden as forbidden
from shallot.http.exceptions import http_error as http_error
from shallot.http.exceptions import internal_error as internal_error
from shallot.http.exceptions import method_not_allowed as method_not_allowed
from shallot.http.exceptions import not_found as not_found
from shallot.http.exceptions import redirect as redirect
from shallot.http.exceptions import unauthorized as unauthorized
from shallot.http.fields import Fields as Fields
from shallot.http.fields import InvalidFieldValue as InvalidFieldValue
from shallot.http.fields import parse_query as parse_query
from shallot.http.file_response import FileResponse as FileResponse
from shallot.http.forwarded import ForwardedInfo as ForwardedInfo
from shallot.http.forwarded import forwarded_info as forwarded_info
from shallot.http.headers import CheckedFields as CheckedFields
from shallot.http.headers import Headers as Headers
from shallot.http.json_responses import JSONGeneratorResponse as JSONGeneratorResponse
from shallot.http.json_responses import JSONResponse as JSONResponse
from shallot.http.limits import DEFAULT_LIMITS as DEFAULT_LIMITS
from shallot.http.limits import RequestLimits as RequestLimits
from shallot.http.make_response import make_response as make_response
from shallot.http.partial import PartialResponse as PartialResponse
from shallot.http.ranges import ByteRange as ByteRange
from shallot.http.ranges import InvalidRange as InvalidRange
from shallot.http.ranges import RangeNotSatisfiable as RangeNotSatisfiable
from shallot.http.ranges import RangeRequest as RangeRequest
from shallot.http.ranges import content_range as content_range
from shallot.http.ranges import parse_range as parse_range
from shallot.http.redirects import AjaxRedirectResponse as AjaxRedirectResponse
from shallot.http.redirects import RedirectResponse as RedirectResponse
from shallot.http.request import Request as Request
from shallot.http.request_target import asks_about_the_server as asks_about_the_server
from shallot.http.request_target import has_malformed_escape as has_malformed_escape
from shallot.http.request_target import raw_request_target as raw_request_target
from shallot.http.response import CHECKED_CONTENT_TYPES as CHECKED_CONTENT_TYPES
from shallot.http.response import DEFAULT_CONTENT_TYPE as DEFAULT_CONTENT_TYPE
from shallot.http.response import BaseResponse as BaseResponse
from shallot.http.response import NoContentResponse as NoContentResponse
from shallot.http.response import NotModifiedResponse as NotModifiedResponse
from shallot.http.response import Response as Response
from shallot.http.session import SESSION_ENVIRON_KEY as SESSION_ENVIRON_KEY
from shallot.http.session import NoSessionError as NoSessionError
from shallot.http.session import RequestSession as RequestSession
from shallot.http.status import reason_phrase as reason_phrase
from shallot.http.status import status_line as status_line
from shallot.http.streaming import GeneratorResponse as GeneratorResponse
from shallot.http.streaming import StrGeneratorResponse as StrGeneratorResponse
from shallot.http.streaming import close_iterable as close_iterable
from shallot.http.types import HeadersInit as HeadersInit
from shallot.http.types import JSONLike as JSONLike
from shallot.http.types import JSONValue as JSONValue
from shallot.http.uploads import FileFactory as FileFactory
from shallot.http.uploads import Files as Files
from shallot.http.uploads import FileUpload as FileUpload

__all__ = [
    "CHECKED_CONTENT_TYPES",
    "DEFAULT_CONTENT_TYPE",
    "DEFAULT_LIMITS",
    "SESSION_ENVIRON_KEY",
    "AjaxRedirectResponse",
    "Authorization",
    "BaseResponse",
    "BasicCredentials",
    "ByteRange",
    "CheckedFields",
    "ETag",
    "ETagList",
    "Fields",
    "FileFactory",
    "FileResponse",
    "FileUpload",
    "Files",
    "ForwardedInfo",
    "GeneratorResponse",
    "HTTPCookie",
    "HTTPException",
    "Headers",
    "HeadersInit",
    "InvalidETag",
    "InvalidFieldValue",
    "InvalidRange",
    "JSONGeneratorResponse",
    "JSONLike",
    "JSONResponse",
    "JSONValue",
    "MalformedAuthorization",
    "NoContentResponse",
    "NoSessionError",
    "NotModifiedResponse",
    "PartialResponse",
    "Precondition",
    "RangeNotSatisfiable",
    "RangeRequest",
    "RedirectResponse",
    "Request",
    "RequestLimits",
    "RequestSession",
    "Response",
    "StrGeneratorResponse",
    "__version__",
    "abort",
    "asks_about_the_server",
    "bad_request",
    "close_iterable",
    "content_range",
    "evaluate_preconditions",
    "forbidden",
    "forwarded_info",
    "has_malformed_escape",
    "http_date",
    "http_error",
    "if_range_allows",
    "internal_error",
    "make_etag",
    "make_response",
    "method_not_allowed",
    "not_found",
    "parse_authorization",
    "parse_cookie_header",
    "parse_etag",
    "parse_etag_list",
    "parse_http_date",
    "parse_query",
    "parse_range",
    "raw_request_target",
    "reason_phrase",
    "redirect",
    "status",
    "status_line",
    "unauthorized",
]

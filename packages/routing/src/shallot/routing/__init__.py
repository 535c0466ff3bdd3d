"""shallot.routing: the App users write their sites and APIs with, on :mod:`shallot.http`.

Routes with typed filters and method flags, default, HTTP state and error handlers,
before/after-response hooks, Wheezy-style handler middleware and response transforms, reverse
routing with ``url_for``, a debug page, per-request profiling (``App.set_profile``), and any
plain WSGI application inside the handler chain (:func:`mount_wsgi`, :class:`WSGIHandler`).
OpenAPI validation hooks live in :mod:`shallot.routing.openapi` (extra
``shallot-routing[openapi]``), imported only when used.
"""

from shallot.routing.__about__ import __version__ as __version__
from shallot.routing.app import App as App
from shallot.routing.decorators import accept_method as accept_method
from shallot.routing.decorators import response_transforms as response_transforms
from shallot.routing.decorators import secure as secure
from shallot.routing.exceptions import BuildError as BuildError
from shallot.routing.exceptions import RouteError as RouteError
from shallot.routing.filters import BUILTIN_FILTERS as BUILTIN_FILTERS
from shallot.routing.filters import Filter as Filter
from shallot.routing.handler_middleware import Following as Following
from shallot.routing.handler_middleware import Middleware as Middleware
from shallot.routing.handler_middleware import MiddlewareFactory as MiddlewareFactory
from shallot.routing.handler_middleware import ResponseTransform as ResponseTransform
from shallot.routing.handlers import AfterResponseHook as AfterResponseHook
from shallot.routing.handlers import BeforeResponseHook as BeforeResponseHook
from shallot.routing.handlers import ErrorHandler as ErrorHandler
from shallot.routing.handlers import Handler as Handler
from shallot.routing.handlers import RequestHandler as RequestHandler
from shallot.routing.methods import METHOD_ALL as METHOD_ALL
from shallot.routing.methods import METHOD_CONNECT as METHOD_CONNECT
from shallot.routing.methods import METHOD_DELETE as METHOD_DELETE
from shallot.routing.methods import METHOD_GET as METHOD_GET
from shallot.routing.methods import METHOD_GET_POST as METHOD_GET_POST
from shallot.routing.methods import METHOD_HEAD as METHOD_HEAD
from shallot.routing.methods import METHOD_OPTIONS as METHOD_OPTIONS
from shallot.routing.methods import METHOD_PATCH as METHOD_PATCH
from shallot.routing.methods import METHOD_POST as METHOD_POST
from shallot.routing.methods import METHOD_PUT as METHOD_PUT
from shallot.routing.methods import METHOD_TRACE as METHOD_TRACE
from shallot.routing.methods import Method as Method
from shallot.routing.methods import Methods as Methods
from shallot.routing.methods import format_allow as format_allow
from shallot.routing.methods import method_names as method_names
from shallot.routing.methods import parse_allow as parse_allow
from shallot.routing.patterns import Parameter as Parameter
from shallot.routing.patterns import Pattern as Pattern
from shallot.routing.patterns import parse_pattern as parse_pattern
from shallot.routing.profiling import ProfileRunner as ProfileRunner
from shallot.routing.recovery import ErrorRegistration as ErrorRegistration
from shallot.routing.request import RoutedRequest as RoutedRequest
from shallot.routing.table import Route as Route
from shallot.routing.wsgi_adapter import WSGIAppError as WSGIAppError
from shallot.routing.wsgi_adapter import WSGIAppResponse as WSGIAppResponse
from shallot.routing.wsgi_adapter import WSGIHandler as WSGIHandler
from shallot.routing.wsgi_adapter import call_wsgi_app as call_wsgi_app
from shallot.routing.wsgi_mount import WSGIMount as WSGIMount
from shallot.routing.wsgi_mount import mount_wsgi as mount_wsgi

__all__ = [
    "BUILTIN_FILTERS",
    "METHOD_ALL",
    "METHOD_CONNECT",
    "METHOD_DELETE",
    "METHOD_GET",
    "METHOD_GET_POST",
    "METHOD_HEAD",
    "METHOD_OPTIONS",
    "METHOD_PATCH",
    "METHOD_POST",
    "METHOD_PUT",
    "METHOD_TRACE",
    "AfterResponseHook",
    "App",
    "BeforeResponseHook",
    "BuildError",
    "ErrorHandler",
    "ErrorRegistration",
    "Filter",
    "Following",
    "Handler",
    "Method",
    "Methods",
    "Middleware",
    "MiddlewareFactory",
    "Parameter",
    "Pattern",
    "ProfileRunner",
    "RequestHandler",
    "ResponseTransform",
    "Route",
    "RouteError",
    "RoutedRequest",
    "WSGIAppError",
    "WSGIAppResponse",
    "WSGIHandler",
    "WSGIMount",
    "__version__",
    "accept_method",
    "call_wsgi_app",
    "format_allow",
    "method_names",
    "mount_wsgi",
    "parse_allow",
    "parse_pattern",
    "response_transforms",
    "secure",
]

"""What the App answers when a handler does not: HTTP state handlers, error handlers, and the
fallbacks when those fail too.

- A state the App itself reaches (400 bad path, 404, 405, 414, 500) is answered by the
  ``http_state(code)`` handler registered for the request's method, else by the plain
  :mod:`shallot.http` error response (404 and 405 prebuilt, while nothing can change them). A
  state handler's 200 becomes the state's code, and a 405 always carries ``Allow``.
- An exception from a handler or hook (other than :class:`~shallot.http.HTTPException`, which
  answers with its own response) goes to the first ``error_handler`` whose type it is an instance
  of, in registration order. With none, it is logged with the request line and answered 500:
  by the 500 state handler, or by a traceback page when ``debug`` is on.
- A handler returning something :func:`~shallot.http.make_response` cannot use is logged and
  answered 500 the same way.
- A state or error handler that fails itself is logged and answered with a plain 500.

Nothing here ever sends a traceback or an exception's text to the client unless ``debug`` is on.
"""

from __future__ import annotations

import logging
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from shallot.http import (
    BaseResponse,
    HTTPException,
    NoContentResponse,
    http_error,
    internal_error,
    make_response,
    not_found,
)
from shallot.routing.answers import Answer, PreparedAnswer, prepare
from shallot.routing.handlers import describe
from shallot.routing.methods import format_allow, method_names

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from shallot.routing.handlers import AfterResponseHook, ErrorHandler, RequestHandler
    from shallot.routing.methods import Methods
    from shallot.routing.request import RoutedRequest

__all__ = ["ErrorHandling", "ErrorRegistration", "logger", "request_line"]

logger = logging.getLogger("shallot.routing")
"""Where the App logs the errors it answers with a 500."""

_E = TypeVar("_E", bound=Exception)
_RH = TypeVar("_RH", bound="RequestHandler")


class ErrorRegistration(NamedTuple):
    """An error handler, the exception type it takes, and its methods (``None``: every one)."""

    error_type: type[Exception]
    methods: frozenset[str] | None
    handler: ErrorHandler[Exception]


def _allow(allowed: Iterable[str]) -> str:
    """The ``Allow`` of a path whose routes take ``allowed``: the App answers ``OPTIONS`` too."""
    return format_allow({*allowed, "OPTIONS"})


def request_line(request: RoutedRequest) -> str:
    """``METHOD /path?query`` for log messages (the path decoded, the query as sent)."""
    query = request.query_string
    return f"{request.method} {request.full_path}{'?' + query if query else ''}"


class ErrorHandling:
    """The App's state and error handlers and the answers built from them (a base of ``App``)."""

    # Set by App: whether answers may be shared depends on its after hooks and middleware.
    debug: bool
    _after: tuple[AfterResponseHook, ...]
    _has_middleware: bool

    def __init__(self) -> None:
        self._states: dict[int, dict[str, RequestHandler]] = {}
        self._errors: tuple[ErrorRegistration, ...] = ()
        self._not_found = prepare(not_found())
        self._not_allowed: dict[frozenset[str], PreparedAnswer] = {}

    # -- registration ---------------------------------------------------------------------------

    def http_state(self, status_code: int, methods: Methods | None = None) -> Callable[[_RH], _RH]:
        """Decorator form of :meth:`set_http_state`."""

        def register(handler: _RH) -> _RH:
            self.set_http_state(status_code, handler, methods)
            return handler

        return register

    def set_http_state(
        self, status_code: int, handler: RequestHandler, methods: Methods | None = None
    ) -> None:
        """Answer the App's own ``status_code`` answers (400, 404, 405, 414, 500) with
        ``handler(request)`` for ``methods`` (default: every method).

        :class:`ValueError` for a code outside 400-599.
        """
        if isinstance(status_code, bool) or not isinstance(status_code, int):
            raise TypeError(f"a status code must be int, not {type(status_code).__name__}")
        if not 400 <= status_code <= 599:
            raise ValueError(f"state handlers answer error codes (400-599), not {status_code}")
        names = ("*",) if methods is None else method_names(methods)
        current = self._states.get(status_code, {})
        self._states = {**self._states, status_code: {**current, **dict.fromkeys(names, handler)}}

    def pop_http_state(self, status_code: int, methods: Methods | None = None) -> None:
        """Remove the state handlers of ``status_code`` for ``methods`` (default: the one for
        every method); :class:`KeyError` when there is none."""
        names = {"*"} if methods is None else method_names(methods)
        current = self._states.get(status_code, {})
        if not names & current.keys():
            raise KeyError(status_code)
        kept = {key: value for key, value in current.items() if key not in names}
        states = {code: value for code, value in self._states.items() if code != status_code}
        self._states = {**states, status_code: kept} if kept else states

    @property
    def states(self) -> Mapping[int, Mapping[str, RequestHandler]]:
        """State handlers by status code, then method (``"*"``: every method)."""
        return MappingProxyType(self._states)

    def error_handler(
        self, error_type: type[_E], methods: Methods | None = None
    ) -> Callable[[ErrorHandler[_E]], ErrorHandler[_E]]:
        """Decorator form of :meth:`set_error_handler`."""

        def register(handler: ErrorHandler[_E]) -> ErrorHandler[_E]:
            self.set_error_handler(error_type, handler, methods)
            return handler

        return register

    def set_error_handler(
        self, error_type: type[_E], handler: ErrorHandler[_E], methods: Methods | None = None
    ) -> None:
        """Answer requests whose handler raised an ``error_type`` with ``handler(request, error)``
        (for ``methods``, default every one). Handlers are tried in registration order, so
        register specific types before their bases.

        :class:`TypeError` when ``error_type`` is not an :class:`Exception` subclass;
        :class:`ValueError` for :class:`~shallot.http.HTTPException`, which always answers with
        its own response.
        """
        if not (isinstance(error_type, type) and issubclass(error_type, Exception)):
            raise TypeError(f"not an exception type: {error_type!r}")
        if issubclass(error_type, HTTPException):
            raise ValueError("HTTPException answers with its own response; use http_state")
        names = None if methods is None else method_names(methods)
        registration = ErrorRegistration(error_type, names, handler)  # type: ignore[arg-type]  # only ever called with an instance of error_type
        self._errors = (*self._errors, registration)

    def pop_error_handler(self, error_type: type[Exception]) -> None:
        """Remove every error handler registered for exactly ``error_type``; :class:`KeyError`
        when there is none."""
        kept = tuple(item for item in self._errors if item.error_type is not error_type)
        if len(kept) == len(self._errors):
            raise KeyError(error_type)
        self._errors = kept

    @property
    def error_handlers(self) -> tuple[ErrorRegistration, ...]:
        """The error handlers, in the order they are tried."""
        return self._errors

    # -- answers --------------------------------------------------------------------------------

    def _unusable(
        self, request: RoutedRequest, handler: object, result: object, error: Exception
    ) -> Answer:
        """The answer when ``handler`` returned what :func:`~shallot.http.make_response` refused:
        logged, then a 500."""
        logger.error(
            "%s: %s returned an unusable %s: %s",
            request_line(request),
            describe(handler),
            type(result).__name__,
            error,
        )
        return self._server_error(request, error)

    def _options(self, allowed: Iterable[str]) -> BaseResponse:
        """The automatic answer to ``OPTIONS``: 204 with ``Allow``."""
        return NoContentResponse([("Allow", _allow(allowed))])

    def _state(
        self,
        request: RoutedRequest,
        status_code: int,
        allowed: frozenset[str] = frozenset(),
        message: str | None = None,
    ) -> Answer:
        """The answer for a state the App reached (see the module documentation); ``allowed``
        are the methods of a 405, ``message`` says why in a plain 400 or 414."""
        handlers = self._states.get(status_code)
        if handlers is None:
            return self._plain_state(status_code, allowed, message)
        method = request.method
        handler = handlers.get(method) or handlers.get("*")
        if handler is None and method == "HEAD":
            handler = handlers.get("GET")
        if handler is None:
            return self._plain_state(status_code, allowed, message)
        try:
            response = make_response(handler(request))
        except HTTPException as error:
            response = error.response
        except Exception:
            logger.exception("%s: the %d handler failed", request_line(request), status_code)
            return internal_error()
        if response.status_code == 200:
            response.status_code = status_code
        if allowed and "Allow" not in response.headers:
            response.headers["Allow"] = _allow(allowed)
        return response

    def _plain_state(
        self, status_code: int, allowed: frozenset[str], message: str | None
    ) -> Answer:
        """:mod:`shallot.http`'s error response; the 404 and 405 ones are prepared once and sent
        as they are while no after hook or middleware could be given them (see
        :mod:`shallot.routing.answers`)."""
        if message is None and (status_code == 404 or status_code == 405):
            shared = not self._after and not self._has_middleware
            if status_code == 404:
                if not shared:
                    return not_found()
                prepared = self._not_found
            else:
                found = self._not_allowed.get(allowed) if shared else None
                if found is None:
                    response = http_error(405)
                    response.headers["Allow"] = _allow(allowed)
                    if not shared:
                        return response
                    found = prepare(response)
                    if len(self._not_allowed) < 256:
                        self._not_allowed[allowed] = found
                prepared = found
            status, fields, body = prepared  # each request gets its own list of fields
            return status, fields.copy(), body
        if status_code == 500:
            return internal_error()
        return http_error(status_code, message)

    def _recover(self, request: RoutedRequest, error: Exception) -> Answer:
        """The answer to ``error`` raised while answering ``request``."""
        method = request.method
        for registration in self._errors:
            methods = registration.methods
            if isinstance(error, registration.error_type) and (
                methods is None or method in methods
            ):
                try:
                    return make_response(registration.handler(request, error))
                except HTTPException as raised:
                    return raised.response
                except Exception:
                    logger.exception(
                        "%s: error handler %s failed on %r",
                        request_line(request),
                        describe(registration.handler),
                        error,
                    )
                    return internal_error()
        logger.error(
            "%s: unhandled %s", request_line(request), type(error).__name__, exc_info=error
        )
        return self._server_error(request, error)

    def _server_error(self, request: RoutedRequest, error: Exception) -> Answer:
        if self.debug:
            from shallot.routing.debug_page import traceback_page  # only ever needed in debug

            return traceback_page(request, error)
        return self._state(request, 500)

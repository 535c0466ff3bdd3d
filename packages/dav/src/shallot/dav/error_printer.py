"""``ErrorPrinter``: the outermost layer, where every error becomes a proper response.

- A :class:`~shallot.dav.errors.DAVError` raised by any layer below becomes its response
  (:func:`~shallot.dav.errors.error_response`): the status, and the RFC 4918 condition element
  when there is one.
- A ``shallot.http`` :class:`~shallot.http.HTTPException` (a 413 from a request limit, say) sends
  the response it carries.
- Anything else is logged with its traceback (logger ``shallot.dav``) and answered 500 with a
  generic body: a client never sees a traceback or a path.

An error raised while a streamed body is already being sent cannot change the status any more:
it is logged and the body ends there.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from shallot.dav.errors import DAVError, error_response
from shallot.http import HTTPException, close_iterable, internal_error

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["ErrorPrinter"]

log = logging.getLogger("shallot.dav")


class ErrorPrinter:
    """WSGI middleware answering the errors ``app`` raises (see the module documentation)."""

    def __init__(self, app: WSGIApplication) -> None:
        self.app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        try:
            body = self.app(environ, start_response)
        except DAVError as error:
            return error_response(error)(environ, start_response)
        except HTTPException as error:
            return error.response(environ, start_response)
        except Exception:
            log.exception(
                "internal error answering %s %s",
                environ.get("REQUEST_METHOD"),
                environ.get("PATH_INFO"),
            )
            return internal_error()(environ, start_response)
        file_wrapper = environ.get("wsgi.file_wrapper")
        if isinstance(body, list) or (
            isinstance(file_wrapper, type) and isinstance(body, file_wrapper)
        ):
            return body
        return _GuardedBody(body, environ)


class _GuardedBody:
    """A response body whose errors are logged instead of reaching the server."""

    def __init__(self, body: Iterable[bytes], environ: WSGIEnvironment) -> None:
        self._body = body
        self._environ = environ

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._body
        except Exception:
            log.exception(
                "error while sending the answer to %s %s",
                self._environ.get("REQUEST_METHOD"),
                self._environ.get("PATH_INFO"),
            )

    def close(self) -> None:
        close_iterable(self._body)

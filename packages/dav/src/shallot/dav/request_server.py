"""``RequestServer``: the innermost WSGI layer, which answers each WebDAV method.

It builds a :class:`~shallot.dav.handlers.context.DAVRequest` for the request's target (resolved
by the :class:`~shallot.dav.shares.ShareResolver` in front, or here if there is none) and hands it
to the method's handler module. An unknown method gets 405 with ``Allow``. Handlers raise
:class:`~shallot.dav.errors.DAVError` for refusals; the
:class:`~shallot.dav.error_printer.ErrorPrinter` in front turns those into responses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shallot.dav.errors import DAVError
from shallot.dav.handlers import (
    copy_move,
    delete,
    get_head,
    lock,
    mkcol,
    options,
    propfind,
    proppatch,
    put,
    unlock,
)
from shallot.dav.handlers.context import DAVRequest

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from shallot.dav.handlers.context import DAVSettings

__all__ = ["HANDLERS", "RequestServer"]


HANDLERS: dict[str, Callable[[DAVRequest], WSGIApplication]] = {
    "OPTIONS": options.handle,
    "GET": get_head.handle,
    "HEAD": get_head.handle,
    "PUT": put.handle,
    "DELETE": delete.handle,
    "MKCOL": mkcol.handle,
    "COPY": copy_move.handle,
    "MOVE": copy_move.handle,
    "PROPFIND": propfind.handle,
    "PROPPATCH": proppatch.handle,
    "LOCK": lock.handle,
    "UNLOCK": unlock.handle,
}
"""The handler of each method the server answers."""

_ALLOW = [("Allow", ", ".join(HANDLERS))]


class RequestServer:
    """Answers WebDAV requests for the shares in ``settings`` (see the module documentation)."""

    def __init__(self, settings: DAVSettings) -> None:
        self.settings = settings

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        handler = HANDLERS.get(environ["REQUEST_METHOD"])
        if handler is None:
            raise DAVError(405, "this method is not supported here", headers=_ALLOW)
        target = self.settings.shares.target(environ)
        return handler(DAVRequest(environ, self.settings, target))(environ, start_response)

"""shallot.middleware: plain WSGI middleware that mounts and serves things around applications.

- :class:`Static`: static files from folders, single files and package data (ETag, 304, ranges,
  pre-compressed siblings), confined to their exports.
- :class:`Proxy`: a streaming reverse proxy to upstream servers (:class:`ProxyTarget`).
- :class:`Dispatcher`: applications mounted side by side by path prefix.
- :class:`CORS`: cross-origin resource sharing, preflights included.
- :class:`ErrorPrinter`: exceptions turned into a clean 500, logged once.
- :class:`ProxyFix`: the client's address, scheme and host from the proxies you trust.
- :class:`DebugFilter`: each request and its response logged (headers, XML bodies), secrets
  redacted, at a :class:`Verbosity`.

Each is a WSGI application wrapping another, typed, depending on ``shallot-http`` only.
"""

from __future__ import annotations

from shallot.middleware.__about__ import __version__ as __version__
from shallot.middleware.cors import CORS as CORS
from shallot.middleware.debug_filter import DEFAULT_BODY_BYTES as DEFAULT_BODY_BYTES
from shallot.middleware.debug_filter import REDACTED_HEADERS as REDACTED_HEADERS
from shallot.middleware.debug_filter import DebugFilter as DebugFilter
from shallot.middleware.debug_filter import Verbosity as Verbosity
from shallot.middleware.dispatcher import Dispatcher as Dispatcher
from shallot.middleware.encodings import choose_encoding as choose_encoding
from shallot.middleware.error_printer import ErrorPrinter as ErrorPrinter
from shallot.middleware.exports import Export as Export
from shallot.middleware.exports import ExportError as ExportError
from shallot.middleware.exports import ExportKind as ExportKind
from shallot.middleware.exports import ExportSource as ExportSource
from shallot.middleware.exports import PathRefused as PathRefused
from shallot.middleware.proxy import AUTO_HOST as AUTO_HOST
from shallot.middleware.proxy import Proxy as Proxy
from shallot.middleware.proxy import ProxyTarget as ProxyTarget
from shallot.middleware.proxy import UpstreamError as UpstreamError
from shallot.middleware.proxy_fix import ORIGINAL_ENVIRON_KEY as ORIGINAL_ENVIRON_KEY
from shallot.middleware.proxy_fix import ProxyFix as ProxyFix
from shallot.middleware.static import DEFAULT_CACHE_TIMEOUT as DEFAULT_CACHE_TIMEOUT
from shallot.middleware.static import Static as Static

__all__ = [
    "AUTO_HOST",
    "CORS",
    "DEFAULT_BODY_BYTES",
    "DEFAULT_CACHE_TIMEOUT",
    "ORIGINAL_ENVIRON_KEY",
    "REDACTED_HEADERS",
    "DebugFilter",
    "Dispatcher",
    "ErrorPrinter",
    "Export",
    "ExportError",
    "ExportKind",
    "ExportSource",
    "PathRefused",
    "Proxy",
    "ProxyFix",
    "ProxyTarget",
    "Static",
    "UpstreamError",
    "Verbosity",
    "__version__",
    "choose_encoding",
]

"""shallot.dav: a fast, typed WebDAV server (RFC 4918 class 1 and 2) as a stack of WSGI layers.

::

    from shallot.dav import DAVConfig, build_app

    app = build_app(DAVConfig(shares={"/": Path("/srv/files")}, state="/var/lib/shallot"))

- :class:`DAVConfig` (typed, frozen, :meth:`DAVConfig.from_toml`) and :func:`build_app`, which
  stacks :class:`ErrorPrinter`, :class:`TrustedProxies`, ``shallot.auth``'s ``Authenticator``,
  :class:`CORS`, :class:`ShareResolver`, :class:`DirectoryBrowser` and :class:`RequestServer`;
  :func:`storage_from_state` makes the lock and property storages from ``config.state``.
- The provider API: :class:`DAVProvider`, :class:`ResourceInfo`, :class:`Written`,
  :class:`NamePolicy`, and :class:`FilesystemProvider` and :class:`MemoryProvider`;
  :class:`Shares` mounts several.
- :class:`DAVError`, raised for every refusal, with RFC 4918 condition elements.
- :class:`MountDocument`: the RFC 4709 mount document ``GET <collection>?davmount`` answers.
"""

from shallot.dav.__about__ import __version__ as __version__
from shallot.dav.app import DAVApplication as DAVApplication
from shallot.dav.app import build_app as build_app
from shallot.dav.app import build_stack as build_stack
from shallot.dav.browser import DirectoryBrowser as DirectoryBrowser
from shallot.dav.config import AuthMode as AuthMode
from shallot.dav.config import ConfigError as ConfigError
from shallot.dav.config import DAVConfig as DAVConfig
from shallot.dav.cors import CORS as CORS
from shallot.dav.davmount import MountDocument as MountDocument
from shallot.dav.error_printer import ErrorPrinter as ErrorPrinter
from shallot.dav.errors import DAVError as DAVError
from shallot.dav.errors import Failure as Failure
from shallot.dav.filesystem import FilesystemProvider as FilesystemProvider
from shallot.dav.handlers.context import DAVSettings as DAVSettings
from shallot.dav.if_header import IfHeader as IfHeader
from shallot.dav.if_header import parse_if_header as parse_if_header
from shallot.dav.memory import MemoryProvider as MemoryProvider
from shallot.dav.provider import DAVProvider as DAVProvider
from shallot.dav.provider import NamePolicy as NamePolicy
from shallot.dav.provider import Quota as Quota
from shallot.dav.provider import ResourceInfo as ResourceInfo
from shallot.dav.provider import Written as Written
from shallot.dav.proxy import TrustedProxies as TrustedProxies
from shallot.dav.request_server import RequestServer as RequestServer
from shallot.dav.shares import Share as Share
from shallot.dav.shares import ShareResolver as ShareResolver
from shallot.dav.shares import Shares as Shares
from shallot.dav.shares import Target as Target
from shallot.dav.state import StateStorages as StateStorages
from shallot.dav.state import storage_from_state as storage_from_state

__all__ = [
    "CORS",
    "AuthMode",
    "ConfigError",
    "DAVApplication",
    "DAVConfig",
    "DAVError",
    "DAVProvider",
    "DAVSettings",
    "DirectoryBrowser",
    "ErrorPrinter",
    "Failure",
    "FilesystemProvider",
    "IfHeader",
    "MemoryProvider",
    "MountDocument",
    "NamePolicy",
    "Quota",
    "RequestServer",
    "ResourceInfo",
    "Share",
    "ShareResolver",
    "Shares",
    "StateStorages",
    "Target",
    "TrustedProxies",
    "Written",
    "__version__",
    "build_app",
    "build_stack",
    "parse_if_header",
    "storage_from_state",
]

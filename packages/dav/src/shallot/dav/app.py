"""``build_app``: the whole WebDAV server for a :class:`~shallot.dav.config.DAVConfig`, as a stack.

The layers, outermost first, each a plain WSGI middleware that can be reordered or replaced::

    ErrorPrinter            DAV errors to responses, internal errors to a bare 500
      TrustedProxies        X-Forwarded-* (only with config.trusted_proxies > 0)
        CORS                (only with config.cors_origins)
          Authenticator     shallot.auth: Basic or Digest (only with config.auth != "none")
            ShareResolver   the request's share and resource path (400/404)
              DirectoryBrowser  HTML listings of collections (only with config.browser)
                RequestServer   one handler per WebDAV method

CORS sits outside the authenticator: a browser's preflight carries no credentials, and a 401 must
carry the CORS headers for a script to read it.

:func:`build_app` returns a :class:`DAVApplication`: the stack as a WSGI application, with the
pieces it was built from (``config``, ``shares``, ``locks``, ``props``) and :meth:`close`, which
closes the lock and property storages it made itself. Pass ``lock_manager`` or
``property_manager`` to share your own between apps or processes; otherwise they are made from
``config.state`` by :func:`~shallot.dav.state.storage_from_state`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shallot.auth import (
    Authenticator,
    BasicScheme,
    DictUserStore,
    DigestScheme,
    HtdigestUserStore,
    Realm,
)
from shallot.dav.browser import DirectoryBrowser
from shallot.dav.config import ConfigError
from shallot.dav.cors import CORS
from shallot.dav.error_printer import ErrorPrinter
from shallot.dav.filesystem import FilesystemProvider
from shallot.dav.handlers.context import DAVSettings
from shallot.dav.provider import NamePolicy
from shallot.dav.proxy import TrustedProxies
from shallot.dav.request_server import RequestServer
from shallot.dav.shares import ShareResolver, Shares
from shallot.dav.state import storage_from_state
from shallot.locks import LockManager
from shallot.props import PropertyManager

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from shallot.auth import AuthScheme, UserStore
    from shallot.dav.config import DAVConfig
    from shallot.dav.provider import DAVProvider
    from shallot.locks import LockStorage
    from shallot.props import PropertyStorage

__all__ = ["DAVApplication", "build_app", "build_stack"]


class DAVApplication:
    """The WSGI application :func:`build_app` returns, with what it was built from."""

    def __init__(
        self,
        app: WSGIApplication,
        config: DAVConfig,
        settings: DAVSettings,
        owned: list[LockStorage | PropertyStorage],
    ) -> None:
        self.app = app
        self.config = config
        self.shares = settings.shares
        self.locks = settings.locks
        self.props = settings.props
        self._owned = owned

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        return self.app(environ, start_response)

    def close(self) -> None:
        """Close the storages made from ``config.state`` (not those passed in)."""
        while self._owned:
            self._owned.pop().close()


def build_app(
    config: DAVConfig,
    *,
    lock_manager: LockManager | None = None,
    property_manager: PropertyManager | None = None,
    providers: Mapping[str, DAVProvider] | None = None,
) -> DAVApplication:
    """The WebDAV server for ``config`` (see the module documentation).

    ``providers`` replaces the filesystem providers made from ``config.shares`` (mount path ->
    any :class:`~shallot.dav.provider.DAVProvider`). Raises
    :class:`~shallot.dav.config.ConfigError` when a share's folder is missing or the state
    cannot be opened.
    """
    if providers is None:
        providers = _filesystem_providers(config)
    owned: list[LockStorage | PropertyStorage] = []
    if lock_manager is None or property_manager is None:
        storages = storage_from_state(config.state)
        if lock_manager is None:
            lock_manager = LockManager(storages.locks, max_timeout=config.lock_max_timeout)
            owned.append(storages.locks)
        else:
            storages.locks.close()
        if property_manager is None:
            property_manager = PropertyManager(storages.props)
            owned.append(storages.props)
        else:
            storages.props.close()
    settings = DAVSettings(
        shares=Shares(providers),
        locks=lock_manager,
        props=property_manager,
        propfind_infinity=config.propfind_infinity,
        max_xml_size=config.max_xml_size,
        case_insensitive_targets=config.case_insensitive_targets,
    )
    return DAVApplication(build_stack(config, settings), config, settings, owned)


def build_stack(config: DAVConfig, settings: DAVSettings) -> WSGIApplication:
    """The middleware stack of the module documentation around a ``RequestServer``."""
    app: WSGIApplication = RequestServer(settings)
    if config.browser:
        app = DirectoryBrowser(app, settings.shares)
    app = ShareResolver(app, settings.shares)
    if config.auth != "none":
        app = Authenticator(app, Realm(config.realm, _user_store(config)), schemes=_schemes(config))
    if config.cors_origins:
        app = CORS(app, config.cors_origins)
    if config.trusted_proxies:
        app = TrustedProxies(app, config.trusted_proxies)
    return ErrorPrinter(app)


def _filesystem_providers(config: DAVConfig) -> dict[str, DAVProvider]:
    names = NamePolicy(config.hidden_files, config.refused_files)
    providers: dict[str, DAVProvider] = {}
    for mount, folder in config.shares.items():
        try:
            providers[mount] = FilesystemProvider(
                folder, readonly=config.readonly, names=names, quota_bytes=config.quota_bytes
            )
        except NotADirectoryError:
            raise ConfigError("shares", f"{folder} (mounted at {mount}) is not a folder") from None
    return providers


def _user_store(config: DAVConfig) -> UserStore:
    if config.htdigest is not None:
        return HtdigestUserStore(config.htdigest)
    return DictUserStore(dict(config.users))


def _schemes(config: DAVConfig) -> list[AuthScheme]:
    if config.auth == "basic":
        return [BasicScheme(require_https=not config.basic_over_http)]
    return [DigestScheme()]

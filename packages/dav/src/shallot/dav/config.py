"""``DAVConfig``: everything a deployment of the WebDAV server sets, typed, validated, frozen.

One object carries the configuration from wherever it comes (a TOML file, the command line, code)
to :func:`~shallot.dav.app.build_app`. It is a frozen dataclass, so a command line overrides a file
with :func:`dataclasses.replace`, which validates again::

    config = DAVConfig.from_toml("dav.toml")
    config = dataclasses.replace(config, readonly=True)
    app = build_app(config)

The TOML file holds the same names as the fields, with the shares in a table::

    readonly = false
    auth = "digest"
    realm = "files"
    state = "/var/lib/shallot"
    hidden_files = [".DS_Store", "._*"]

    [shares]
    "/" = "/srv/files"
    "/photos" = "/srv/photos"

    [users]
    alice = "secret"

Relative paths in a file (shares, ``htdigest``, a ``state`` folder) are taken relative to the
file's folder. A file that gives users (or ``htdigest``) without ``auth`` means Digest, as on the
command line; users with ``auth = "none"`` are refused, in a file or in code, since anyone could
connect. Every fault raises :class:`ConfigError` naming the field and what is wrong with it.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import sys
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Literal, cast

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

__all__ = [
    "DEFAULT_MAX_XML_SIZE",
    "REDIS_STATE_SCHEMES",
    "AuthMode",
    "ConfigError",
    "DAVConfig",
    "is_state_folder",
]

REDIS_STATE_SCHEMES = ("redis://", "rediss://", "unix://")
"""How a ``state`` that is a Redis URL begins."""

AuthMode = Literal["none", "basic", "digest"]
"""How clients authenticate: not at all, HTTP Basic (RFC 7617) or HTTP Digest (RFC 7616)."""

DEFAULT_MAX_XML_SIZE = 1024 * 1024
"""Bytes of an XML request body (PROPFIND, PROPPATCH, LOCK): ample for any real client."""

_AUTH_MODES = ("none", "basic", "digest")
_PATTERN_FIELDS = ("hidden_files", "refused_files")
_ORIGIN_WILDCARD = "*"


class ConfigError(ValueError):
    """A configuration value that cannot be used; ``field`` names it, ``reason`` says why."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclasses.dataclass(frozen=True)
class DAVConfig:
    """The settings of one WebDAV server; see the module documentation for the file format.

    Fields (all but ``shares`` have defaults, safe for a server on loopback):

    - ``shares``: mount path (``/``, ``/photos``) -> folder served there. Mount paths are
      normalised (one leading slash, no trailing one, no ``.``/``..``); a request is served by the
      longest mount that contains its path.
    - ``readonly``: refuse every method that changes something (403).
    - ``auth``, ``realm``, ``users`` (name -> password), ``htdigest`` (an Apache htdigest file,
      whose realm must be ``realm``): who may connect. ``basic`` and ``digest`` need users from
      ``users`` or ``htdigest`` (not both), and users with ``auth = "none"`` are refused, since
      the server would let anyone in. ``basic_over_http`` lets Basic credentials travel
      over plain HTTP (off: Basic is then offered over HTTPS only).
    - ``state``: where locks and dead properties live: ``"memory"``, a folder (SQLite files
      ``locks.sqlite`` and ``props.sqlite`` in it, created as needed), or a ``redis://`` URL.
    - ``browser``: answer a browser's GET on a collection with an HTML listing.
    - ``propfind_infinity``: allow ``PROPFIND`` with ``Depth: infinity`` (refused by default with
      the ``propfind-finite-depth`` precondition: it can walk a whole tree).
    - ``quota_bytes``: the most bytes the files of each share may take (507 past it); ``None``:
      the disk's free space is the limit.
    - ``hidden_files``: ``fnmatch`` patterns of names left out of listings (still reachable by
      their URL), e.g. ``.DS_Store``; ``refused_files``: patterns of names that are neither
      listed, reachable nor creatable (403), e.g. ``._*``.
    - ``case_insensitive_targets``: a COPY or MOVE ``Destination`` that differs from an existing
      member only in case names that member (what Windows clients expect).
    - ``trusted_proxies``: how many reverse proxies in front of the server append to
      ``X-Forwarded-For``; only then are ``X-Forwarded-Proto``/``-Host``/``-For`` believed.
    - ``cors_origins``: origins allowed to call the server from a web page (``*`` for any); none
      by default.
    - ``max_xml_size``: the largest XML request body accepted, in bytes (413 past it).
    - ``lock_max_timeout``: the longest lock granted, in seconds (``None``: infinite allowed).
    """

    shares: Mapping[str, Path]
    readonly: bool = False
    auth: AuthMode = "none"
    realm: str = "shallot"
    users: Mapping[str, str] = dataclasses.field(default_factory=dict)
    htdigest: Path | None = None
    basic_over_http: bool = False
    state: str = "memory"
    browser: bool = True
    propfind_infinity: bool = False
    quota_bytes: int | None = None
    hidden_files: tuple[str, ...] = ()
    refused_files: tuple[str, ...] = ()
    case_insensitive_targets: bool = False
    trusted_proxies: int = 0
    cors_origins: tuple[str, ...] = ()
    max_xml_size: int = DEFAULT_MAX_XML_SIZE
    lock_max_timeout: int | None = 24 * 3600

    def __post_init__(self) -> None:
        set_field = object.__setattr__
        set_field(self, "shares", MappingProxyType(_shares(self.shares)))
        set_field(self, "users", MappingProxyType(_users(self.users)))
        for name in ("readonly", "basic_over_http", "browser", "propfind_infinity"):
            _check_bool(name, getattr(self, name))
        _check_bool("case_insensitive_targets", self.case_insensitive_targets)
        if self.auth not in _AUTH_MODES:
            raise ConfigError("auth", f"must be one of {', '.join(_AUTH_MODES)}, not {self.auth!r}")
        if not isinstance(self.realm, str) or not self.realm or '"' in self.realm:
            raise ConfigError("realm", "must be a non-empty string without double quotes")
        if self.htdigest is not None:
            set_field(self, "htdigest", _path("htdigest", self.htdigest))
        if self.auth != "none" and not self.users and self.htdigest is None:
            raise ConfigError("auth", f"{self.auth} authentication needs users or an htdigest file")
        if self.users and self.htdigest is not None:
            raise ConfigError("users", "give users or an htdigest file, not both")
        if self.auth == "none" and (self.users or self.htdigest is not None):
            raise ConfigError(
                "auth", "users are given but auth is none (anyone could connect): basic or digest"
            )
        if not isinstance(self.state, str) or not self.state:
            raise ConfigError("state", "must be 'memory', a folder or a redis:// URL")
        _check_count("quota_bytes", self.quota_bytes, minimum=0, optional=True)
        _check_count("trusted_proxies", self.trusted_proxies, minimum=0)
        _check_count("max_xml_size", self.max_xml_size, minimum=1)
        _check_count("lock_max_timeout", self.lock_max_timeout, minimum=1, optional=True)
        for name in _PATTERN_FIELDS:
            set_field(self, name, _patterns(name, getattr(self, name)))
        set_field(self, "cors_origins", _origins(self.cors_origins))

    @classmethod
    def from_toml(cls, path: str | Path) -> DAVConfig:
        """Read a configuration file (see the module documentation); :class:`ConfigError` if bad.

        Unknown keys are refused, so a misspelt option never goes unnoticed.
        """
        file = Path(path)
        try:
            with file.open("rb") as stream:
                data = tomllib.load(stream)
        except OSError as error:
            raise ConfigError("config", f"cannot read {file}: {error.strerror}") from None
        except tomllib.TOMLDecodeError as error:
            raise ConfigError("config", f"{file} is not valid TOML: {error}") from None
        return cls.from_mapping(data, base=file.parent)

    @classmethod
    def from_mapping(cls, data: Mapping[str, object], *, base: Path | None = None) -> DAVConfig:
        """Build a configuration from plain values (parsed TOML or JSON, say).

        Lists become tuples; ``shares`` and ``htdigest`` paths are taken relative to ``base``
        when given. Unknown keys raise :class:`ConfigError`.
        """
        known = {field.name for field in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(unknown[0], f"unknown option (known: {', '.join(sorted(known))})")
        if "shares" not in data:
            raise ConfigError("shares", "no shares given")
        values = dict(data)
        shares = values["shares"]
        if not isinstance(shares, Mapping):
            raise ConfigError("shares", "must be a table of mount path = folder")
        values["shares"] = {
            mount: _relative(base, folder, "shares") for mount, folder in shares.items()
        }
        if values.get("htdigest") is not None:
            values["htdigest"] = _relative(base, values["htdigest"], "htdigest")
        if values.get("users") or values.get("htdigest") is not None:
            values.setdefault("auth", "digest")
        state = values.get("state")
        if isinstance(state, str) and is_state_folder(state):
            values["state"] = str(_relative(base, state, "state"))
        for name in (*_PATTERN_FIELDS, "cors_origins"):
            if isinstance(values.get(name), list):
                values[name] = tuple(cast("list[str]", values[name]))
        return cls(**values)  # type: ignore[arg-type]  # every value is checked in __post_init__


def is_state_folder(state: str) -> bool:
    """Whether ``state`` names a folder (for SQLite files), not ``memory`` or a Redis URL."""
    return bool(state) and state != "memory" and not state.startswith(REDIS_STATE_SCHEMES)


def _relative(base: Path | None, value: object, field: str) -> Path:
    if not isinstance(value, (str, Path)):
        raise ConfigError(field, f"a path must be a string, not {type(value).__name__}")
    path = Path(value).expanduser()
    return path if base is None or path.is_absolute() else base / path


def _path(field: str, value: object) -> Path:
    if isinstance(value, Path):
        return value
    if isinstance(value, str) and value:
        return Path(value)
    raise ConfigError(field, f"must be a path, not {value!r}")


def _shares(shares: object) -> dict[str, Path]:
    if not isinstance(shares, Mapping) or not shares:
        raise ConfigError("shares", "at least one mount path -> folder is needed")
    normalised: dict[str, Path] = {}
    for mount, folder in shares.items():
        if not isinstance(mount, str) or not mount.startswith("/"):
            raise ConfigError("shares", f"mount path {mount!r} must start with '/'")
        segments = [segment for segment in mount.split("/") if segment]
        if any(segment in (".", "..") or "\\" in segment for segment in segments):
            raise ConfigError("shares", f"mount path {mount!r} has '.', '..' or '\\'")
        canonical = "/" + "/".join(segments)
        if canonical in normalised:
            raise ConfigError("shares", f"mount path {mount!r} is given twice")
        normalised[canonical] = _path(f"shares[{mount!r}]", folder)
    return normalised


def _users(users: object) -> dict[str, str]:
    if not isinstance(users, Mapping):
        raise ConfigError("users", "must map user names to passwords")
    for name, password in users.items():
        if not isinstance(name, str) or not name or ":" in name:
            raise ConfigError("users", f"user name {name!r} must be non-empty, without ':'")
        if not isinstance(password, str):
            raise ConfigError("users", f"the password of {name!r} must be a string")
    return dict(users)


def _check_bool(field: str, value: object) -> None:
    if not isinstance(value, bool):
        raise ConfigError(field, f"must be true or false, not {value!r}")


def _check_count(field: str, value: object, *, minimum: int, optional: bool = False) -> None:
    if value is None and optional:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConfigError(field, f"must be a whole number of at least {minimum}, not {value!r}")


def _patterns(field: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, (tuple, list)):
        raise ConfigError(field, "must be a list of fnmatch patterns")
    for pattern in value:
        if not isinstance(pattern, str) or not pattern or "/" in pattern:
            raise ConfigError(field, f"pattern {pattern!r} must be a non-empty name without '/'")
        fnmatch.translate(pattern)
    return tuple(value)


def _origins(value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, (tuple, list)):
        raise ConfigError("cors_origins", "must be a list of origins such as https://example.org")
    for origin in value:
        if not isinstance(origin, str) or not (
            origin == _ORIGIN_WILDCARD or origin.startswith(("http://", "https://"))
        ):
            raise ConfigError("cors_origins", f"{origin!r} is neither '*' nor an http(s) origin")
    return tuple(origin.rstrip("/") for origin in value)

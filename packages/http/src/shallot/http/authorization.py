"""The ``Authorization`` request header (RFC 9110 section 11.6.2) and Basic credentials (RFC 7617).

Credentials are a scheme followed by either a token68 (``Basic``, ``Bearer``) or comma-separated
``name=value`` auth-params (``Digest``). :func:`parse_authorization` checks the
syntax strictly and raises :class:`MalformedAuthorization` rather than guessing, so that an
authentication layer never acts on a header it misread; request-facing code answers it with 400.
"""

from __future__ import annotations

import binascii
import dataclasses
from base64 import b64decode
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "MAX_AUTHORIZATION_SIZE",
    "Authorization",
    "BasicCredentials",
    "MalformedAuthorization",
    "parse_authorization",
]

MAX_AUTHORIZATION_SIZE = 8 * 1024
"""The longest Authorization header value :func:`parse_authorization` accepts, in characters."""

_TCHAR = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_TOKEN68_CHAR = frozenset("-._~+/0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_WHITESPACE = " \t"
_EMPTY_PARAMS: Mapping[str, str] = MappingProxyType({})


class MalformedAuthorization(ValueError):
    """An Authorization header (or the credentials in it) does not follow its syntax.

    The message says what is wrong; the header value itself is not repeated in it.
    """


class BasicCredentials(NamedTuple):
    """A user name and password from ``Basic`` credentials, decoded as UTF-8."""

    username: str
    password: str


@dataclasses.dataclass(frozen=True, slots=True)
class Authorization:
    """Parsed credentials from an Authorization header.

    ``scheme`` is lower-cased (schemes are case-insensitive). Exactly one form of credentials is
    filled in: ``token`` for the token68 form (``Basic dXNlcjpwdw==``, ``Bearer abc``), or
    ``params`` (names lower-cased, quoted values unescaped) for the auth-param form
    (``Digest username="a", realm="b"``). A bare scheme has ``token=None`` and empty ``params``.
    """

    scheme: str
    params: Mapping[str, str] = dataclasses.field(default_factory=lambda: _EMPTY_PARAMS, hash=False)
    token: str | None = None

    def basic(self) -> BasicCredentials:
        """The user name and password of ``Basic`` credentials (RFC 7617).

        Raises :class:`MalformedAuthorization` when the scheme is not ``basic``, there is no
        token, the token is not valid base64, the decoded text is not UTF-8 or has no ``:``.
        """
        if self.scheme != "basic":
            raise MalformedAuthorization(f"expected Basic credentials, got scheme {self.scheme!r}")
        if self.token is None:
            raise MalformedAuthorization("Basic credentials without a token")
        try:
            decoded = b64decode(self.token, validate=True).decode("utf-8")
        except binascii.Error:
            raise MalformedAuthorization("Basic credentials are not valid base64") from None
        except UnicodeDecodeError:
            raise MalformedAuthorization("Basic credentials are not valid UTF-8") from None
        username, colon, password = decoded.partition(":")
        if not colon:
            raise MalformedAuthorization("Basic credentials without a ':' separator")
        return BasicCredentials(username, password)


def parse_authorization(value: str) -> Authorization:
    """Parse an Authorization header value.

    Accepts ``scheme``, ``scheme token68`` and ``scheme name=value, name="quoted value", ...``
    (empty list elements are allowed; ``\\`` escapes in quoted strings are unescaped). Raises
    :class:`MalformedAuthorization` for a value over :data:`MAX_AUTHORIZATION_SIZE` characters, an
    empty or invalid scheme, a parameter without ``=`` or without a value, an invalid character,
    an unterminated quoted string, or a parameter given twice.
    """
    if len(value) > MAX_AUTHORIZATION_SIZE:
        raise MalformedAuthorization(
            f"Authorization header longer than {MAX_AUTHORIZATION_SIZE} characters"
        )
    value = value.strip(_WHITESPACE)
    scheme, _, rest = value.partition(" ")
    if not scheme or not _TCHAR.issuperset(scheme):
        raise MalformedAuthorization("Authorization header without a valid scheme")
    scheme = scheme.lower()
    rest = rest.lstrip(_WHITESPACE)
    if not rest:
        return Authorization(scheme)
    if _TOKEN68_CHAR.issuperset(rest.rstrip("=")) and rest[0] != "=":
        return Authorization(scheme, token=rest)
    return Authorization(scheme, params=MappingProxyType(_parse_auth_params(rest)))


def _parse_auth_params(text: str) -> dict[str, str]:
    params: dict[str, str] = {}
    position = 0
    end = len(text)
    while position < end:
        char = text[position]
        if char in _WHITESPACE or char == ",":
            position += 1
            continue
        start = position
        while position < end and text[position] in _TCHAR:
            position += 1
        name = text[start:position].lower()
        if not name:
            raise MalformedAuthorization(f"invalid character {char!r} in Authorization params")
        while position < end and text[position] in _WHITESPACE:
            position += 1
        if position == end or text[position] != "=":
            raise MalformedAuthorization(f"Authorization param {name!r} without '='")
        position += 1
        while position < end and text[position] in _WHITESPACE:
            position += 1
        if position < end and text[position] == '"':
            param_value, position = _parse_quoted(text, position)
        else:
            start = position
            while position < end and text[position] in _TCHAR:
                position += 1
            param_value = text[start:position]
            if not param_value:
                raise MalformedAuthorization(f"Authorization param {name!r} without a value")
        if name in params:
            raise MalformedAuthorization(f"Authorization param {name!r} given twice")
        params[name] = param_value
        while position < end and text[position] in _WHITESPACE:
            position += 1
        if position < end and text[position] != ",":
            raise MalformedAuthorization(f"expected ',' after Authorization param {name!r}")
    return params


def _parse_quoted(text: str, position: int) -> tuple[str, int]:
    """Unescape the quoted-string opening at ``text[position]``; return it and the index after."""
    chars: list[str] = []
    position += 1
    end = len(text)
    while position < end:
        char = text[position]
        if char == '"':
            return "".join(chars), position + 1
        if char == "\\":
            position += 1
            if position == end:
                break
            char = text[position]
        if (char < " " and char != "\t") or char == "\x7f":
            raise MalformedAuthorization("control character in an Authorization quoted string")
        chars.append(char)
        position += 1
    raise MalformedAuthorization("unterminated quoted string in Authorization header")

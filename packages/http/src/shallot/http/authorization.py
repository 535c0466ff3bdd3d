"""The ``Authorization`` request header (RFC 9110 section 11.6.2) and Basic credentials (RFC 7617).

Credentials are a scheme followed by either a token68 (``Basic``, ``Bearer``) or comma-separated
``name=value`` auth-params (``Digest``). :func:`parse_authorization` checks the
syntax strictly and raises :class:`MalformedAuthorization` rather than guessing, so that an
authentication layer never acts on a header it misread; request-facing code answers it with 400.
"""

from __future__ import annotations

import binascii
import dataclasses
import re
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

_WHITESPACE = " \t"
_TOKEN_PATTERN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_QDTEXT = r'[^"\\\x00-\x08\x0a-\x1f\x7f]'  # anything but '"', '\' and controls (tab is fine)
_QUOTED_PAIR = r"\\[^\x00-\x08\x0a-\x1f\x7f]"
_TOKEN = re.compile(_TOKEN_PATTERN)
_TOKEN68 = re.compile(r"[-._~+/0-9A-Za-z]+=*")
_EQUALS = re.compile(r"[ \t]*=[ \t]*")
_QUOTED_PREFIX = re.compile(rf'"(?:{_QDTEXT}|{_QUOTED_PAIR})*')
_ESCAPED_CHAR = re.compile(r"\\(.)", re.DOTALL)
# One auth-param (RFC 9110 section 11.2) and the separators before it. Groups 1-3 match a
# well-formed parameter; group 4 takes everything from the first character no parameter can start
# with, so that one scan of a hostile header stays linear and _fault can say what is wrong there.
_AUTH_PARAM = re.compile(
    rf"""
    [ \t,]*                                             # separators and empty list elements
    (?:
        ({_TOKEN_PATTERN}) [ \t]* = [ \t]*                # 1: the name
        (?: "({_QDTEXT}*(?:{_QUOTED_PAIR}{_QDTEXT}*)*)"    # 2: a quoted-string, still escaped
          | ({_TOKEN_PATTERN}) )                          # 3: or a token
        [ \t]* (?=,|\Z)                                    # then a comma or the end
      | ([^ \t,].*)                                       # 4: else the rest, from the fault on
    )
    """,
    re.VERBOSE | re.DOTALL,
)
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
    if _TOKEN.fullmatch(scheme) is None:
        raise MalformedAuthorization("Authorization header without a valid scheme")
    scheme = scheme.lower()
    rest = rest.lstrip(_WHITESPACE)
    if not rest:
        return Authorization(scheme)
    if _TOKEN68.fullmatch(rest) is not None:
        return Authorization(scheme, _EMPTY_PARAMS, rest)
    return Authorization(scheme, MappingProxyType(_parse_auth_params(rest)))


def _parse_auth_params(text: str) -> dict[str, str]:
    """The auth-params in ``text``: one scan of ``_AUTH_PARAM``, a stepwise one on any fault."""
    # Trailing separators mean nothing, and without them every search the scan makes succeeds
    # where it starts: a long run of them would otherwise be searched from each of its positions.
    text = text.rstrip(" \t,")
    found = _AUTH_PARAM.findall(text)
    params = {name.lower(): token or quoted for name, quoted, token, _ in found}
    if len(params) != len(found) or "" in params:
        return _parse_auth_params_stepwise(text)
    if "\\" in text:
        return {name: _unescape(param_value) for name, param_value in params.items()}
    return params


def _parse_auth_params_stepwise(text: str) -> dict[str, str]:
    """Parse one auth-param at a time, raising the error for the first fault in ``text``.

    The fast path hands over here (with the same ``text``, trailing separators gone) when a
    parameter did not match or a name repeats, so that the message names the first fault from the
    left, whatever else follows it.
    """
    params: dict[str, str] = {}
    for match in _AUTH_PARAM.finditer(text):
        name, quoted, token, rest = match.groups()
        if rest is not None:
            raise _fault(text, match.start(4), params)
        name = name.lower()
        if name in params:
            raise MalformedAuthorization(f"Authorization param {name!r} given twice")
        params[name] = token if token is not None else _unescape(quoted)
    return params


def _fault(text: str, position: int, params: dict[str, str]) -> MalformedAuthorization:
    """The error for the auth-param at ``text[position]``, which ``_AUTH_PARAM`` refused."""
    match = _TOKEN.match(text, position)
    if match is None:
        return MalformedAuthorization(
            f"invalid character {text[position]!r} in Authorization params"
        )
    name = match[0].lower()
    match = _EQUALS.match(text, match.end())
    if match is None:
        return MalformedAuthorization(f"Authorization param {name!r} without '='")
    position = match.end()
    quoted = _QUOTED_PREFIX.match(text, position)
    if quoted is not None:
        end = quoted.end()  # at the closing quote, a control, a backslash before one, or the end
        if text.startswith("\\", end):
            end += 1
        if end == len(text):
            return MalformedAuthorization("unterminated quoted string in Authorization header")
        if text[end] != '"':
            return MalformedAuthorization("control character in an Authorization quoted string")
    elif _TOKEN.match(text, position) is None:
        return MalformedAuthorization(f"Authorization param {name!r} without a value")
    if name in params:
        return MalformedAuthorization(f"Authorization param {name!r} given twice")
    return MalformedAuthorization(f"expected ',' after Authorization param {name!r}")


def _unescape(quoted: str) -> str:
    """The content of a quoted-string (between the quotes) with its ``\\`` escapes resolved."""
    if "\\" not in quoted:
        return quoted
    return "".join(_ESCAPED_CHAR.split(quoted))  # the text between escapes, and the escaped chars

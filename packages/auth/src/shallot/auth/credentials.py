"""Digest credentials: the ``Authorization: Digest ...`` parameters as a checked, typed record.

:func:`shallot.http.parse_authorization` has already split the header into parameters (refusing
bad quoting, duplicates and oversized values); this module checks what RFC 7616 section 3.4 asks
of a Digest response: which fields must be present, and the syntax of ``nc``, ``response``,
``userhash`` and ``username*``. Whether the values are *right* (realm, nonce, password) is the
verifier's business. Algorithm and qop stay as sent, so that a token the server did not offer is
answered with a fresh challenge (401) rather than a 400. Values arrive as WSGI strings (bytes
carried as latin-1) and are read as the UTF-8 they hold wherever they are valid UTF-8.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import unquote_to_bytes

from shallot.auth.errors import MalformedCredentials

if TYPE_CHECKING:
    from shallot.http import Authorization

__all__ = ["DigestCredentials", "parse_digest_credentials"]

_HEX = frozenset("0123456789abcdefABCDEF")
_HEX_DIGITS = re.compile(r"[0-9a-fA-F]*")
_NONCE_COUNT = re.compile(r"[0-9a-fA-F]{8}")
_REQUIRED = ("realm", "nonce", "uri", "response", "qop", "nc", "cnonce")
_ATTR_CHAR = frozenset("!#$&+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


@dataclasses.dataclass(frozen=True, slots=True)
class DigestCredentials:
    """The fields of one Digest ``Authorization`` header, checked for presence and syntax.

    ``username`` is the user name (decoded from ``username*`` when the client sent that form) or,
    when ``userhash`` is true, the hex ``H(username:realm)`` the client sent instead. ``nc`` is the
    nonce count as sent (8 hex digits, needed verbatim for the response) and ``nonce_count`` its
    value. ``algorithm`` defaults to ``"MD5"`` as RFC 7616 says; ``opaque`` is ``None`` when absent.
    The ``response`` is lower-cased hex.
    """

    username: str
    userhash: bool
    realm: str
    nonce: str
    uri: str
    response: str
    algorithm: str
    qop: str
    nc: str
    nonce_count: int
    cnonce: str
    opaque: str | None


class DigestFields(NamedTuple):
    """The fields of :class:`DigestCredentials`, in its order, as a named tuple.

    What :class:`~shallot.auth.digest_scheme.DigestScheme` reads on every request: building a
    frozen dataclass of twelve fields costs about as much as all the checks together, and a named
    tuple a fifth of that.
    """

    username: str
    userhash: bool
    realm: str
    nonce: str
    uri: str
    response: str
    algorithm: str
    qop: str
    nc: str
    nonce_count: int
    cnonce: str
    opaque: str | None


def parse_digest_credentials(authorization: Authorization) -> DigestCredentials:
    """Check the parameters of Digest credentials and return them as a record.

    Raises :class:`~shallot.auth.errors.MalformedCredentials` (answered with 400) when the scheme
    is not Digest; a required field (``realm``, ``nonce``, ``uri``, ``response``, ``qop``, ``nc``,
    ``cnonce``, and one of ``username`` / ``username*``) is missing or empty; both user name forms
    are present; ``username*`` is not a UTF-8 RFC 8187 ext-value or comes with ``userhash=true``;
    ``nc`` is not 8 hex digits or is zero; ``response`` is not hex; or ``userhash`` is neither
    ``true`` nor ``false``. RFC 2069 credentials (without ``qop``) are refused: RFC 7616 servers
    always offer qop, and a client must use it.
    """
    return DigestCredentials(*read_digest_fields(authorization))


def read_digest_fields(authorization: Authorization) -> DigestFields:
    """:func:`parse_digest_credentials` giving :class:`DigestFields`: the same checks and errors."""
    if authorization.scheme != "digest":
        raise MalformedCredentials(f"expected Digest credentials, got {authorization.scheme!r}")
    params = authorization.params
    if not "".join(params.values()).isascii():
        params = {name: _utf8_text(value) for name, value in params.items()}
    for name in _REQUIRED:
        if not params.get(name):
            raise MalformedCredentials(f"Digest credentials without {name}")
    flag = params.get("userhash")
    userhash = flag is not None and _parse_flag(flag)
    plain = params.get("username")
    extended = params.get("username*")
    if plain is not None and extended is not None:
        raise MalformedCredentials("Digest credentials with both username and username*")
    if extended is not None:
        if userhash:
            raise MalformedCredentials("username* cannot be used with userhash=true")
        username = _decode_ext_value(extended)
    elif plain:
        username = plain
    else:
        raise MalformedCredentials("Digest credentials without username")
    nc = params["nc"]
    if _NONCE_COUNT.fullmatch(nc) is None:
        raise MalformedCredentials("nc is not 8 hex digits")
    nonce_count = int(nc, 16)
    if nonce_count == 0:
        raise MalformedCredentials("nc must start at 00000001")
    response = params["response"]
    if _HEX_DIGITS.fullmatch(response) is None:
        raise MalformedCredentials("response is not hex")
    return DigestFields(  # positionally, which is twice as fast as by keyword
        username,
        userhash,
        params["realm"],
        params["nonce"],
        params["uri"],
        response.lower(),
        params.get("algorithm", "MD5"),
        params["qop"],
        nc,
        nonce_count,
        params["cnonce"],
        params.get("opaque"),
    )


def _utf8_text(value: str) -> str:
    """A header value (bytes carried as latin-1, as WSGI does) as the UTF-8 text it holds.

    Clients such as curl send a non-ASCII user name as raw UTF-8 in the quoted string and hash
    those same bytes; reading them back as UTF-8 makes the server hash identical bytes. Values
    that are not valid UTF-8 stay as they are.
    """
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def _parse_flag(value: str) -> bool:
    lowered = value.lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    raise MalformedCredentials("userhash must be true or false")


def _decode_ext_value(value: str) -> str:
    """Decode an RFC 8187 ``ext-value`` (``UTF-8'lang'percent-encoded``); only UTF-8 is allowed."""
    charset, quote, rest = value.partition("'")
    _language, quote2, encoded = rest.partition("'")
    if not quote or not quote2:
        raise MalformedCredentials("username* is not an RFC 8187 ext-value")
    if charset.lower() != "utf-8":
        raise MalformedCredentials("username* must be UTF-8")
    index = 0
    while index < len(encoded):
        char = encoded[index]
        if char == "%":
            digits = encoded[index + 1 : index + 3]
            if len(digits) != 2 or not _HEX.issuperset(digits):
                raise MalformedCredentials("username* has a bad percent-escape")
            index += 3
        elif char in _ATTR_CHAR:
            index += 1
        else:
            raise MalformedCredentials("username* has a character that must be percent-encoded")
    try:
        decoded = unquote_to_bytes(encoded).decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedCredentials("username* is not valid UTF-8") from None
    if not decoded:
        raise MalformedCredentials("username* is empty")
    return decoded

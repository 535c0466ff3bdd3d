"""The arithmetic of HTTP Digest (RFC 7616 section 3.4): algorithms, HA1, HA2, response, userhash.

Pure functions over text, shared by the server side (:mod:`shallot.auth.digest_scheme`) and by
anyone who needs to compute what a client sends (tests, benchmarks, a client of their own). All text
is hashed as UTF-8, which is what the ``charset=UTF-8`` challenge parameter announces and what
every current client sends.

``H(data)`` is the algorithm's hash as lower-case hex; with ``A1 = username:realm:password`` (and,
for the ``-sess`` variants, ``H(A1):nonce:cnonce``) and ``A2 = method:uri`` (``qop=auth``) or
``method:uri:H(body)`` (``qop=auth-int``), the response is
``H(H(A1):nonce:nc:cnonce:qop:H(A2))``.
"""

from __future__ import annotations

import enum
import hashlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "DigestAlgorithm",
    "Qop",
    "body_hash",
    "compute_response",
    "ha1",
    "ha2",
    "response_digest",
    "session_ha1",
    "userhash",
]


def _md5_hex(data: bytes) -> str:
    # RFC 7616 keeps MD5 for the clients that know nothing else; FIPS builds still allow it so.
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def _sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class DigestAlgorithm(enum.Enum):
    """The Digest algorithms this package speaks; the value is the token on the wire.

    ``SHA256`` is the default for new configurations; ``MD5`` stays for clients that know nothing
    else (and for htdigest files, which hold MD5 HA1 values). The ``-sess`` variants mix the
    client's ``cnonce`` into HA1.
    """

    # Set per member by __init__, so that these are read, not worked out, on every request.
    _hex: Callable[[bytes], str]
    _session: bool
    _base_token: str

    MD5 = "MD5"
    MD5_SESS = "MD5-sess"
    SHA256 = "SHA-256"
    SHA256_SESS = "SHA-256-sess"

    def __init__(self, token: str) -> None:
        self._hex = _md5_hex if token.startswith("MD5") else _sha256_hex
        self._session = token.endswith("-sess")
        self._base_token = token.lower().removesuffix("-sess")

    @classmethod
    def parse(cls, token: str) -> DigestAlgorithm | None:
        """The algorithm named by ``token`` (case-insensitive, as RFC 7616 says), else ``None``."""
        return _BY_TOKEN.get(token.lower())

    @property
    def session(self) -> bool:
        """Whether this is a ``-sess`` variant."""
        return self._session

    @property
    def base(self) -> DigestAlgorithm:
        """The algorithm without ``-sess``: the one a stored HA1 is computed with."""
        return _BY_TOKEN[self._base_token]

    @property
    def hex_length(self) -> int:
        """The length of this algorithm's hex digests (32 for MD5, 64 for SHA-256)."""
        return 32 if self.base is DigestAlgorithm.MD5 else 64

    def hash(self, data: str | bytes) -> str:
        """``H(data)``: the hex digest of ``data`` (text is encoded as UTF-8)."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        return self._hex(data)


_BY_TOKEN = {algorithm.value.lower(): algorithm for algorithm in DigestAlgorithm}


class Qop(enum.Enum):
    """Quality of protection: ``auth`` covers method and URI, ``auth-int`` the body as well."""

    AUTH = "auth"
    AUTH_INT = "auth-int"

    @classmethod
    def parse(cls, token: str) -> Qop | None:
        """The qop named by ``token`` (case-insensitive), else ``None``."""
        return _QOP_BY_TOKEN.get(token.lower())


_QOP_BY_TOKEN = {qop.value: qop for qop in Qop}
# Read on every request, so bound once: before Python 3.12 each attribute read on an Enum class
# goes through EnumType.__getattr__, which costs about as much as a function call.
_AUTH = Qop.AUTH
_AUTH_INT = Qop.AUTH_INT


def ha1(algorithm: DigestAlgorithm, username: str, realm: str, password: str) -> str:
    """``H(username:realm:password)`` with the algorithm's base hash: what a server may store.

    For a ``-sess`` algorithm this is the stored part; :func:`session_ha1` adds nonce and cnonce.
    """
    return algorithm.hash(f"{username}:{realm}:{password}")


def session_ha1(algorithm: DigestAlgorithm, stored_ha1: str, nonce: str, cnonce: str) -> str:
    """The HA1 a ``-sess`` algorithm uses: ``H(stored_ha1:nonce:cnonce)``."""
    return algorithm.hash(f"{stored_ha1}:{nonce}:{cnonce}")


def body_hash(algorithm: DigestAlgorithm, body: bytes) -> str:
    """``H(entity-body)``, which ``qop=auth-int`` puts into A2."""
    return algorithm.hash(body)


def ha2(
    algorithm: DigestAlgorithm, method: str, uri: str, qop: Qop, body_digest: str | None = None
) -> str:
    """``H(method:uri)`` for ``auth``, ``H(method:uri:H(body))`` for ``auth-int``.

    ``auth-int`` needs ``body_digest`` (see :func:`body_hash`); a missing one raises
    :class:`ValueError`.
    """
    if qop is _AUTH:
        return algorithm.hash(f"{method}:{uri}")
    if body_digest is None:
        raise ValueError("qop=auth-int needs the body's hash")
    return algorithm.hash(f"{method}:{uri}:{body_digest}")


def response_digest(
    algorithm: DigestAlgorithm,
    effective_ha1: str,
    nonce: str,
    nc: str,
    cnonce: str,
    qop: Qop,
    effective_ha2: str,
) -> str:
    """``H(HA1:nonce:nc:cnonce:qop:HA2)``: the ``response`` parameter (``nc``: 8 hex digits)."""
    return algorithm.hash(f"{effective_ha1}:{nonce}:{nc}:{cnonce}:{qop.value}:{effective_ha2}")


def compute_response(
    algorithm: DigestAlgorithm,
    *,
    stored_ha1: str,
    method: str,
    uri: str,
    nonce: str,
    nc: str,
    cnonce: str,
    qop: Qop,
    body: bytes = b"",
) -> str:
    """The whole chain: the ``response`` a client with ``stored_ha1`` sends for one request.

    ``stored_ha1`` is :func:`ha1` of the user (the ``-sess`` step is applied here); ``body`` is
    used only for ``auth-int``.
    """
    effective_ha1 = stored_ha1
    if algorithm.session:
        effective_ha1 = session_ha1(algorithm, stored_ha1, nonce, cnonce)
    body_digest = body_hash(algorithm, body) if qop is _AUTH_INT else None
    effective_ha2 = ha2(algorithm, method, uri, qop, body_digest)
    return response_digest(algorithm, effective_ha1, nonce, nc, cnonce, qop, effective_ha2)


def userhash(algorithm: DigestAlgorithm, username: str, realm: str) -> str:
    """``H(username:realm)``: what a client sends as ``username`` with ``userhash=true``.

    RFC 7616 section 3.4.4; HA1 and the response are still computed with the plain user name.
    """
    return algorithm.hash(f"{username}:{realm}")

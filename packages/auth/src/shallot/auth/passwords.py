"""Verify a password against a hash as Apache's ``htpasswd`` writes them.

| prefix | scheme | written by |
|---|---|---|
| ``$2y$``, ``$2b$``, ``$2a$`` | bcrypt (needs the ``bcrypt`` extra) | ``htpasswd -B`` |
| ``$apr1$`` | Apache MD5-crypt | ``htpasswd -m`` (its default) |
| ``$1$`` | Unix MD5-crypt | ``openssl passwd -1`` |
| ``$5$``, ``$6$`` | SHA-256 / SHA-512 crypt | ``htpasswd -2`` / ``-5`` |
| ``{SHA}`` | base64 of unsalted SHA-1 | ``htpasswd -s`` |
| anything else | the password itself | ``htpasswd -p`` |

Every comparison runs in constant time (:func:`hmac.compare_digest`). An unknown ``$id$`` prefix
(yescrypt, for one) raises :class:`~shallot.auth.errors.UnsupportedHash` instead of being taken for
a plain-text password. DES crypt (``htpasswd -d``) has no prefix at all and cannot be told apart
from a plain-text password, so it is read as plain text and never matches: rehash those entries.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac

from shallot.auth.apr1 import md5_crypt
from shallot.auth.errors import MissingExtra, UnsupportedHash
from shallot.auth.sha_crypt import parse_sha_crypt, sha_crypt

__all__ = ["HashScheme", "identify_hash", "verify_password"]

_BCRYPT_MAX_BYTES = 72


class HashScheme(enum.Enum):
    """The password hash schemes :func:`verify_password` knows."""

    BCRYPT = "bcrypt"
    APR1 = "apr1"
    MD5_CRYPT = "md5-crypt"
    SHA256_CRYPT = "sha256-crypt"
    SHA512_CRYPT = "sha512-crypt"
    SHA1 = "sha1"
    PLAIN = "plain"


_PREFIXES = (
    ("$2y$", HashScheme.BCRYPT),
    ("$2b$", HashScheme.BCRYPT),
    ("$2a$", HashScheme.BCRYPT),
    ("$apr1$", HashScheme.APR1),
    ("$1$", HashScheme.MD5_CRYPT),
    ("$5$", HashScheme.SHA256_CRYPT),
    ("$6$", HashScheme.SHA512_CRYPT),
    ("{SHA}", HashScheme.SHA1),
)


def identify_hash(hashed: str) -> HashScheme:
    """The scheme of ``hashed`` by its prefix (see the module table).

    Raises :class:`~shallot.auth.errors.UnsupportedHash` for a ``$id$`` prefix not in the table.
    """
    for prefix, scheme in _PREFIXES:
        if hashed.startswith(prefix):
            return scheme
    if hashed.startswith("$") and hashed.count("$") >= 2:
        raise UnsupportedHash(hashed[: hashed.index("$", 1) + 1])
    return HashScheme.PLAIN


def verify_password(password: str, hashed: str) -> bool:
    """Whether ``password`` (encoded as UTF-8) matches ``hashed``.

    Raises :class:`~shallot.auth.errors.UnsupportedHash` for an unknown scheme and
    :class:`~shallot.auth.errors.MissingExtra` for a bcrypt hash without the ``bcrypt`` package.
    A malformed hash of a known scheme does not match anything.
    """
    scheme = identify_hash(hashed)
    if scheme is HashScheme.BCRYPT:
        return _verify_bcrypt(password, hashed)
    if scheme is HashScheme.APR1 or scheme is HashScheme.MD5_CRYPT:
        magic = "$apr1$" if scheme is HashScheme.APR1 else "$1$"
        salt = hashed[len(magic) :].partition("$")[0]
        return _same(md5_crypt(password, salt, magic), hashed)
    if scheme is HashScheme.SHA256_CRYPT or scheme is HashScheme.SHA512_CRYPT:
        parsed = parse_sha_crypt(hashed)
        if parsed is None:
            return False
        variant, rounds, salt = parsed
        return _same(sha_crypt(password, salt, variant, rounds), hashed)
    if scheme is HashScheme.SHA1:
        digest = hashlib.sha1(password.encode("utf-8"), usedforsecurity=False).digest()
        return _same("{SHA}" + base64.b64encode(digest).decode("ascii"), hashed)
    return _same(password, hashed)


def _same(computed: str, stored: str) -> bool:
    return hmac.compare_digest(computed.encode("utf-8"), stored.encode("utf-8"))


def _verify_bcrypt(password: str, hashed: str) -> bool:
    try:
        import bcrypt
    except ImportError:
        raise MissingExtra("bcrypt", "bcrypt", "verifying a bcrypt password hash") from None
    # bcrypt reads at most 72 bytes, as Apache's does; bcrypt>=5 refuses longer input outright.
    secret = password.encode("utf-8")[:_BCRYPT_MAX_BYTES]
    try:
        return bcrypt.checkpw(secret, hashed.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return False

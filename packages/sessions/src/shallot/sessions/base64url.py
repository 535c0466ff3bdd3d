"""Unpadded base64url, the encoding of every cookie value this package writes.

Its alphabet is safe in a cookie without quoting, and decoding is strict: only the canonical
unpadded form of some byte string is accepted, so no two different cookie strings decode to the
same bytes and a changed character is always a changed token.
"""

from __future__ import annotations

import base64
import binascii

from shallot.sessions.errors import InvalidSession

__all__ = ["decode_base64url", "encode_base64url"]


def encode_base64url(data: bytes) -> str:
    """``data`` in unpadded base64url."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def decode_base64url(value: str) -> bytes:
    """The bytes of canonical unpadded base64url ``value``; :class:`InvalidSession` otherwise."""
    if not value.isascii():
        raise InvalidSession("the cookie is not base64url")
    try:
        data = base64.b64decode(value + "=" * (-len(value) % 4), altchars=b"-_", validate=True)
    except binascii.Error:
        raise InvalidSession("the cookie is not base64url") from None
    if encode_base64url(data) != value:
        raise InvalidSession("the cookie is not canonical base64url")
    return data

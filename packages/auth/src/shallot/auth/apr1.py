"""MD5-crypt, as Apache's ``htpasswd -m`` writes it (``$apr1$``) and as Unix ``crypt`` once did
(``$1$``).

Python 3.13 removed the ``crypt`` module, and the algorithm is small and fully specified
(Poul-Henning Kamp's FreeBSD MD5-crypt; Apache only changes the ``$1$`` magic to ``$apr1$``), so it
is implemented here. It is kept for verifying files that already hold such hashes: it is weak by
today's standards (1000 MD5 rounds), and new passwords belong in bcrypt.
"""

from __future__ import annotations

from hashlib import md5

from shallot.auth.crypt_base64 import encode_groups

__all__ = ["md5_crypt"]

_ROUNDS = 1000
_MAX_SALT = 8
_GROUPS = ((0, 6, 12), (1, 7, 13), (2, 8, 14), (3, 9, 15), (4, 10, 5), (11,))


def md5_crypt(password: str, salt: str, magic: str = "$apr1$") -> str:
    """The full MD5-crypt hash of ``password`` (``$apr1$salt$digest``) with ``salt``.

    Only the first 8 characters of ``salt`` count; ``magic`` is ``"$apr1$"`` (Apache) or
    ``"$1$"`` (Unix). The password is hashed as UTF-8, as htpasswd reads it from a UTF-8 terminal.
    """
    secret = password.encode("utf-8")
    salt = salt[:_MAX_SALT]
    salt_bytes = salt.encode("utf-8")
    alternate = md5(secret + salt_bytes + secret, usedforsecurity=False).digest()
    context = md5(secret + magic.encode("utf-8") + salt_bytes, usedforsecurity=False)
    remaining = len(secret)
    while remaining > 0:
        context.update(alternate[: min(16, remaining)])
        remaining -= 16
    length = len(secret)
    while length:
        context.update(b"\x00" if length & 1 else secret[:1])
        length >>= 1
    digest = context.digest()
    for round_number in range(_ROUNDS):
        step = md5(secret if round_number & 1 else digest, usedforsecurity=False)
        if round_number % 3:
            step.update(salt_bytes)
        if round_number % 7:
            step.update(secret)
        step.update(digest if round_number & 1 else secret)
        digest = step.digest()
    return f"{magic}{salt}${encode_groups(digest, _GROUPS)}"

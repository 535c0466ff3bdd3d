"""Untrusted request data as log text that cannot forge a record.

A log line is read by people and by tools that split it into records, so what a client sent (a
path, a header) must never bring a newline or another control character into it: every
non-printable character is written as its backslash escape. WSGI strings carry the request's bytes
as Latin-1; they are shown as the UTF-8 text they almost always are, with bytes that are not UTF-8
written as ``\\xNN``.
"""

from __future__ import annotations

__all__ = ["describe_error", "log_text", "printable", "wsgi_decoded"]


def printable(text: str) -> str:
    """``text`` with every non-printable character (newlines included) backslash-escaped."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def log_text(value: object) -> str:
    """A WSGI string (UTF-8 bytes carried as Latin-1) as readable text, escaped; any other
    value as its ``repr``."""
    if not isinstance(value, str):
        try:
            return printable(repr(value))
        except Exception:
            return f"<unprintable {type(value).__name__}>"
    return printable(wsgi_decoded(value, "backslashreplace"))


def wsgi_decoded(value: str, errors: str) -> str:
    """A WSGI string's UTF-8 text (bytes that are not UTF-8 handled by ``errors``); a string
    that cannot be Latin-1 (a broken server's) as it is."""
    try:
        return value.encode("latin-1").decode("utf-8", errors)
    except UnicodeEncodeError:
        return value


def describe_error(error: BaseException) -> str:
    """``error`` as ``Type: message``, escaped (``<unprintable>`` for a message that fails)."""
    try:
        message = str(error)
    except Exception:
        message = "<unprintable>"
    return f"{type(error).__name__}: {log_text(message)}"

"""Choosing a pre-compressed sibling (``app.js.br``, ``app.js.gz``) by the request's
``Accept-Encoding``.

A static file server that keeps compressed copies next to a file can send one of them with
``Content-Encoding`` instead of compressing on every request. Which one follows RFC 9110 section
12.5.3: each coding's quality (``q``, 0 to 1, default 1) comes from its own entry, else from
``*``; quality 0 means "not acceptable". Among acceptable codings the highest quality wins, ties
going to the order the server prefers (``br`` before ``gzip``); a coding wins over the plain file
(``identity``) unless the client rates ``identity`` (by name or through ``*``) strictly higher.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["SUFFIXES", "choose_encoding", "parse_accept_encoding"]

SUFFIXES = {"br": ".br", "gzip": ".gz", "zstd": ".zst"}
"""The file name suffix of the sibling holding each content coding."""

_WHITESPACE = " \t"


@lru_cache(maxsize=256)
def parse_accept_encoding(header: str) -> dict[str, float]:
    """The qualities an ``Accept-Encoding`` value gives, by lower-cased coding (``*`` included).

    ``x-gzip`` counts as ``gzip``. Entries that cannot be read (a bad ``q``) are skipped; the
    function never raises. The result is cached per header value and must not be changed.
    """
    qualities: dict[str, float] = {}
    for entry in header.split(","):
        coding, _, parameters = entry.partition(";")
        coding = coding.strip(_WHITESPACE).lower()
        if not coding:
            continue
        quality = 1.0
        if parameters:
            name, _, value = parameters.partition("=")
            if name.strip(_WHITESPACE).lower() != "q":
                continue
            try:
                quality = float(value.strip(_WHITESPACE))
            except ValueError:
                continue
            if not 0.0 <= quality <= 1.0:
                continue
        if coding == "x-gzip":
            coding = "gzip"
        qualities[coding] = quality
    return qualities


def choose_encoding(header: str | None, available: Sequence[str]) -> str | None:
    """The coding of ``available`` (in the server's order of preference) to send, or ``None``
    for the plain file.

    Without an ``Accept-Encoding`` header (``None``) the plain file is sent; see the module
    documentation for the rules.
    """
    if not header or not available:
        return None
    qualities = parse_accept_encoding(header)
    default = qualities.get("*", 0.0)
    best: str | None = None
    best_quality = 0.0
    for coding in available:
        quality = qualities.get(coding, default)
        if quality > best_quality:
            best, best_quality = coding, quality
    if best is None:
        return None
    identity = qualities.get("identity", qualities.get("*"))
    return None if identity is not None and identity > best_quality else best

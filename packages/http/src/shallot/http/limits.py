"""Size and count limits applied while reading a request body.

A request body is attacker-controlled: every reader in shallot.http (``Request.body``, ``json``,
urlencoded and multipart forms) consults one :class:`RequestLimits` so that no request can make the
application buffer unbounded data in memory, write unbounded data to disk or build unbounded
numbers of objects. Going over a limit is answered with ``413 Content Too Large``.
"""

from __future__ import annotations

import dataclasses

__all__ = ["DEFAULT_LIMITS", "GiB", "KiB", "MiB", "RequestLimits"]

KiB = 1024
"""One kibibyte, for writing limits readably (``64 * KiB``)."""

MiB = 1024 * KiB
"""One mebibyte."""

GiB = 1024 * MiB
"""One gibibyte."""


@dataclasses.dataclass(frozen=True, slots=True)
class RequestLimits:
    """The limits one application applies to the bodies of its requests.

    Sizes are in bytes. ``None`` means "no limit" for the limits where that can be sensible; the
    size of a multipart part's header block is always bounded.

    ``max_body_size``
        Bodies held whole in memory: :attr:`Request.body <shallot.http.request.Request.body>` and
        ``application/x-www-form-urlencoded`` forms.
    ``max_upload_size``
        A whole ``multipart/form-data`` body. Uploaded files stream to the file factory (a
        temporary file by default), never to memory, so this may be much larger.
    ``max_form_fields``
        Name/value pairs in a form or a query string (file parts are not fields).
    ``max_form_parts``
        Parts in a multipart body, fields and files together.
    ``max_field_size``
        One value of a urlencoded form, or one non-file multipart part.
    ``max_json_size``
        A JSON body; it is read through ``Request.body``, so ``max_body_size`` bounds it too.
    ``max_header_size``
        The header block of one multipart part (field names and values together).

    Constructing limits with a negative size or count raises :class:`ValueError`.
    """

    max_body_size: int | None = 10 * MiB
    max_upload_size: int | None = 1 * GiB
    max_form_fields: int | None = 1000
    max_form_parts: int | None = 1000
    max_field_size: int | None = 1 * MiB
    max_json_size: int | None = 10 * MiB
    max_header_size: int = 8 * KiB

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if value is None and field.name != "max_header_size":
                continue
            if type(value) is not int or value < 0:
                raise ValueError(f"{field.name} must be a non-negative int, got {value!r}")


DEFAULT_LIMITS = RequestLimits()
"""The limits a :class:`~shallot.http.request.Request` uses when it is given none."""

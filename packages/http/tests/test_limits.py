"""Tests for shallot.http.limits: defaults, validation and immutability of RequestLimits."""

from __future__ import annotations

import dataclasses

import pytest

from shallot.http.limits import DEFAULT_LIMITS, GiB, KiB, MiB, RequestLimits


def test_units() -> None:
    assert (KiB, MiB, GiB) == (1024, 1024**2, 1024**3)


def test_defaults() -> None:
    limits = RequestLimits()
    assert limits.max_body_size == 10 * MiB
    assert limits.max_upload_size == GiB
    assert limits.max_form_fields == 1000
    assert limits.max_form_parts == 1000
    assert limits.max_field_size == MiB
    assert limits.max_json_size == 10 * MiB
    assert limits.max_header_size == 8 * KiB
    assert limits == DEFAULT_LIMITS


def test_uploads_may_be_larger_than_in_memory_bodies() -> None:
    limits = RequestLimits()
    assert limits.max_upload_size is not None
    assert limits.max_body_size is not None
    assert limits.max_upload_size > limits.max_body_size


def test_none_means_unlimited() -> None:
    limits = RequestLimits(
        max_body_size=None,
        max_upload_size=None,
        max_form_fields=None,
        max_form_parts=None,
        max_field_size=None,
        max_json_size=None,
    )
    assert limits.max_body_size is None
    assert limits.max_json_size is None


def test_zero_is_allowed() -> None:
    assert RequestLimits(max_body_size=0, max_header_size=0).max_body_size == 0


@pytest.mark.parametrize(
    "field",
    [
        "max_body_size",
        "max_upload_size",
        "max_form_fields",
        "max_form_parts",
        "max_field_size",
        "max_json_size",
        "max_header_size",
    ],
)
@pytest.mark.parametrize("bad", [-1, True, 1.5, "10"])
def test_bad_values_are_rejected(field: str, bad: object) -> None:
    with pytest.raises(ValueError, match=field):
        RequestLimits(**{field: bad})  # type: ignore[arg-type]  # deliberately wrong types


def test_header_size_cannot_be_unlimited() -> None:
    with pytest.raises(ValueError, match="max_header_size"):
        RequestLimits(max_header_size=None)  # type: ignore[arg-type]  # deliberately wrong type


def test_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_LIMITS.max_body_size = 1  # type: ignore[misc]  # the point: assignment must fail

"""CachePolicy: Wheezy's documented header output, its validity rules, and extend()."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from wheezy.http import HTTPCachePolicy

from shallot.caching import CachePolicy, InvalidCachePolicy
from shallot.caching.policy import Cacheability, merge_vary, seconds
from shallot.http import ETag, Headers, InvalidETag

WHEN = datetime(2011, 9, 20, 15, 0, tzinfo=timezone.utc)


def test_wheezy_documented_no_cache_example() -> None:
    headers: list[tuple[str, str]] = []
    CachePolicy("no-cache").extend(headers)
    assert headers == [
        ("Cache-Control", "no-cache"),
        ("Pragma", "no-cache"),
        ("Expires", "-1"),
    ]


def test_wheezy_documented_public_example() -> None:
    headers: list[tuple[str, str]] = []
    policy = CachePolicy("public")
    policy.last_modified(WHEN)
    policy.expires(WHEN + timedelta(hours=1))
    policy.etag("abc")
    policy.vary()
    policy.extend(headers)
    assert headers == [
        ("Cache-Control", "public"),
        ("Expires", "Tue, 20 Sep 2011 16:00:00 GMT"),
        ("Last-Modified", "Tue, 20 Sep 2011 15:00:00 GMT"),
        ("ETag", '"abc"'),  # Wheezy's documentation shows the invalid bare ``abc``
        ("Vary", "*"),
    ]


Steps = tuple[tuple[str, tuple[object, ...]], ...]
"""Calls to make on a policy: method names and their arguments."""


def _both(
    steps: Steps, cacheability: Cacheability
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The fields our policy and Wheezy's give after the same calls."""
    ours: list[tuple[str, str]] = []
    theirs: list[tuple[str, str]] = []
    for policy, fields in (
        (CachePolicy(cacheability), ours),
        (HTTPCachePolicy(cacheability), theirs),
    ):
        for name, arguments in steps:
            getattr(policy, name)(*arguments)
        policy.extend(fields)
    return ours, theirs


SEQUENCES: dict[str, Steps] = {
    "nothing": (),
    "no-store": (("no_store", ()),),
    "must-revalidate": (("must_revalidate", ()),),
    "proxy-revalidate": (("proxy_revalidate", ()),),
    "no-transform": (("no_transform", ()),),
    "extensions": (
        ("append_extension", ("immutable",)),
        ("append_extension", ("stale-if-error=60",)),
    ),
    "every-flag": (
        ("no_store", ()),
        ("must_revalidate", ()),
        ("no_transform", ()),
        ("append_extension", ("immutable",)),
    ),
}
CACHING_SEQUENCES: dict[str, Steps] = {
    "max-age": (("max_age", (600,)),),
    "max-age-timedelta": (("max_age", (timedelta(minutes=15),)),),
    "no-cache-fields": (("no_cache", ("Set-Cookie", "X-Token")),),
    "dates": (("last_modified", (WHEN,)), ("expires", (WHEN + timedelta(days=1),))),
    "vary-fields": (("vary", ("Accept-Encoding",)), ("vary", ("Accept-Language",))),
    "all": (
        ("no_cache", ("Set-Cookie",)),
        ("no_store", ()),
        ("proxy_revalidate", ()),
        ("no_transform", ()),
        ("append_extension", ("immutable",)),
        ("max_age", (60,)),
        ("last_modified", (WHEN,)),
        ("expires", (WHEN,)),
        ("vary", ("Cookie",)),
    ),
}


@pytest.mark.parametrize("cacheability", ["no-cache", "private", "public"])
@pytest.mark.parametrize("sequence", list(SEQUENCES))
def test_same_fields_as_wheezy_for_any_cacheability(
    cacheability: Cacheability, sequence: str
) -> None:
    ours, theirs = _both(SEQUENCES[sequence], cacheability)
    assert ours == theirs


@pytest.mark.parametrize("cacheability", ["private", "public"])
@pytest.mark.parametrize("sequence", list(CACHING_SEQUENCES))
def test_same_fields_as_wheezy_for_caching_policies(
    cacheability: Cacheability, sequence: str
) -> None:
    ours, theirs = _both(CACHING_SEQUENCES[sequence], cacheability)
    assert ours == theirs


def test_public_private_fields_as_wheezy() -> None:
    ours, theirs = _both((("private", ("Set-Cookie", "X-User")),), "public")
    assert ours == theirs == [("Cache-Control", 'public, private="Set-Cookie, X-User"')]


def test_shared_max_age_is_sent_as_rfc_s_maxage() -> None:
    policy = CachePolicy("public")
    policy.max_age(60)
    policy.smax_age(timedelta(minutes=10))
    assert policy.cache_control() == "public, max-age=60, s-maxage=600"
    wheezy = HTTPCachePolicy("public")
    wheezy.max_age(60)
    wheezy.smax_age(600)
    assert wheezy.http_cache_control()[1] == "public, max-age=60, smax-age=600"


@pytest.mark.parametrize(
    ("tag", "sent"),
    [
        ("abc", '"abc"'),
        ('"abc"', '"abc"'),
        ('W/"abc"', 'W/"abc"'),
        (ETag("xyz", weak=True), 'W/"xyz"'),
    ],
)
def test_etag_forms(tag: ETag | str, sent: str) -> None:
    policy = CachePolicy("private")
    policy.etag(tag)
    assert dict(policy.headers())["ETag"] == sent
    assert str(policy.entity_tag) == sent


def test_etag_value_an_entity_tag_cannot_hold() -> None:
    with pytest.raises(InvalidETag):
        CachePolicy("public").etag("two words")


@pytest.mark.parametrize(
    ("name", "arguments"),
    [
        ("max_age", (1,)),
        ("smax_age", (1,)),
        ("expires", (WHEN,)),
        ("last_modified", (WHEN,)),
        ("etag", ("x",)),
        ("vary", ("Accept",)),
        ("vary", ()),
        ("no_cache", ("Set-Cookie",)),
    ],
)
def test_no_cache_refuses_caching_directives(name: str, arguments: tuple[object, ...]) -> None:
    with pytest.raises(InvalidCachePolicy) as raised:
        getattr(CachePolicy("no-cache"), name)(*arguments)
    assert raised.value.cacheability == "no-cache"
    assert isinstance(raised.value, ValueError)
    with pytest.raises(AssertionError):  # Wheezy refuses the same calls
        getattr(HTTPCachePolicy("no-cache"), name)(*arguments)


@pytest.mark.parametrize("cacheability", ["no-cache", "private"])
def test_private_fields_need_public(cacheability: Cacheability) -> None:
    policy = CachePolicy(cacheability)
    with pytest.raises(InvalidCachePolicy, match="public") as raised:
        policy.private("Set-Cookie")
    assert raised.value.directive == "private"
    policy.private()  # no fields: nothing to refuse, as Wheezy
    assert policy.private_fields == []


def test_must_and_proxy_revalidate_exclude_each_other() -> None:
    first = CachePolicy("public")
    first.must_revalidate()
    with pytest.raises(InvalidCachePolicy, match="must-revalidate is already set"):
        first.proxy_revalidate()
    second = CachePolicy("public")
    second.proxy_revalidate()
    with pytest.raises(InvalidCachePolicy, match="proxy-revalidate is already set"):
        second.must_revalidate()
    assert second.cache_control() == "public, proxy-revalidate"


def test_unknown_cacheability() -> None:
    with pytest.raises(InvalidCachePolicy, match="cacheability"):
        CachePolicy("shared")  # type: ignore[arg-type]


@pytest.mark.parametrize("field", ["", "two words", "semi;colon", "new\nline"])
def test_field_names_are_checked(field: str) -> None:
    policy = CachePolicy("public")
    for method in (policy.vary, policy.no_cache, policy.private):
        with pytest.raises(InvalidCachePolicy, match="not a header field name"):
            method(field)


@pytest.mark.parametrize("extension", ["", "bad\r\nInjected: yes", "caf\u00e9"])
def test_extensions_are_checked(extension: str) -> None:
    with pytest.raises(InvalidCachePolicy, match="printable ASCII"):
        CachePolicy("public").append_extension(extension)


def test_durations() -> None:
    assert seconds(5) == 5
    assert seconds(timedelta(seconds=90.7)) == 90
    with pytest.raises(ValueError, match="negative"):
        CachePolicy("public").max_age(-1)
    with pytest.raises(TypeError, match="int or a timedelta"):
        CachePolicy("public").max_age(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="int or a timedelta"):
        seconds(True)


def test_a_date_without_an_http_form_is_refused_when_set() -> None:
    with pytest.raises(ValueError, match="no UTC date"):
        CachePolicy("public").expires(datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))))


def test_extend_headers_replaces_policy_fields_and_merges_vary() -> None:
    headers = Headers(
        [
            ("Content-Type", "text/plain"),
            ("Cache-Control", "no-store"),
            ("Vary", "Accept-Encoding"),
            ("Set-Cookie", "a=1"),
        ]
    )
    policy = CachePolicy("public")
    policy.max_age(60)
    policy.vary("Accept-Language", "accept-encoding")
    policy.extend(headers)
    assert headers.items() == [
        ("Content-Type", "text/plain"),
        ("Cache-Control", "public, max-age=60"),
        ("Vary", "Accept-Encoding, Accept-Language"),
        ("Set-Cookie", "a=1"),
    ]


def test_extend_list_replaces_policy_fields_and_merges_vary() -> None:
    headers = [("Expires", "0"), ("Vary", "Cookie"), ("X-Kept", "1")]
    policy = CachePolicy("private")
    policy.expires(WHEN)
    policy.vary("Accept")
    policy.extend(headers)
    assert headers == [
        ("X-Kept", "1"),
        ("Cache-Control", "private"),
        ("Expires", "Tue, 20 Sep 2011 15:00:00 GMT"),
        ("Vary", "Cookie, Accept"),
    ]


@pytest.mark.parametrize(
    ("current", "added", "merged"),
    [
        (None, "Accept", "Accept"),
        ("", "Accept", "Accept"),
        ("Cookie", "accept, Cookie", "Cookie, accept"),
        ("*", "Accept", "*"),
        ("Cookie", "*", "*"),
        ("Cookie, ,Accept", "Accept", "Cookie, Accept"),
    ],
)
def test_merge_vary(current: str | None, added: str, merged: str) -> None:
    assert merge_vary(current, added) == merged


def test_repr_shows_cache_control() -> None:
    policy = CachePolicy("public")
    policy.no_transform()
    assert repr(policy) == "<CachePolicy 'public, no-transform'>"

"""CacheProfile: locations mapped to policies and server caching as Wheezy maps them."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from wheezy.http import CacheProfile as WheezyCacheProfile

from shallot.caching import (
    NO_CACHE_PROFILE,
    CacheProfile,
    InvalidCacheProfile,
    RequestVary,
    etag_md5,
)
from shallot.caching.profile import Location, check_namespace
from shallot.http import parse_http_date


def _wheezy_fields(profile: WheezyCacheProfile) -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = []
    profile.cache_policy().extend(fields)
    return fields


@pytest.mark.parametrize(
    ("location", "server", "cache_control"),
    [
        ("none", False, "no-cache"),
        ("server", True, "no-cache"),
        ("client", False, "private, max-age=900"),
        ("both", True, "private, max-age=900"),
        ("public", True, "public, max-age=900"),
    ],
)
def test_locations_as_wheezy(location: Location, server: bool, cache_control: str) -> None:
    duration = 0 if location == "none" else 900
    profile = CacheProfile(location, duration=duration)
    wheezy = WheezyCacheProfile(location, duration=duration)
    assert profile.server_cache is server
    assert (wheezy.request_vary is not None) is server
    while True:  # compare within one second of the clock, as both stamp "now"
        second = int(time.time())
        ours = profile.cache_policy().headers()
        theirs = _wheezy_fields(wheezy)
        if int(time.time()) == second:
            break
    assert ours == theirs
    assert ours[0] == ("Cache-Control", cache_control)


def test_client_policy_dates() -> None:
    before = int(time.time())
    fields = dict(CacheProfile("client", duration=timedelta(minutes=15)).cache_policy().headers())
    after = int(time.time())
    modified = parse_http_date(fields["Last-Modified"])
    expires = parse_http_date(fields["Expires"])
    assert modified is not None
    assert expires is not None
    assert before <= modified.timestamp() <= after
    assert (expires - modified).total_seconds() == 900


def test_http_max_age_zero_makes_clients_revalidate() -> None:
    profile = CacheProfile("both", duration=60, http_max_age=0, no_store=True)
    fields = dict(profile.cache_policy().headers())
    assert fields["Cache-Control"] == "private, no-store, max-age=0"
    assert fields["Expires"] == fields["Last-Modified"]
    assert profile.duration == 60


def test_http_vary_and_etag_func_only_for_client_policies() -> None:
    public = CacheProfile("public", 60, http_vary=["Accept-Language"], etag_func=etag_md5)
    assert dict(public.cache_policy().headers())["Vary"] == "Accept-Language"
    assert public.etag_func is not None
    server = CacheProfile("server", 60, http_vary=["Accept-Language"], etag_func=etag_md5)
    assert "Vary" not in dict(server.cache_policy().headers())
    assert server.etag_func is None


def test_no_cache_profile() -> None:
    assert NO_CACHE_PROFILE.cache_policy().headers() == [
        ("Cache-Control", "no-cache, no-store"),
        ("Pragma", "no-cache"),
        ("Expires", "-1"),
    ]
    assert not NO_CACHE_PROFILE.server_cache


def test_request_vary_and_namespace_for_server_locations() -> None:
    profile = CacheProfile(
        "server",
        30,
        vary_query=["page", "q"],
        vary_form=["f"],
        vary_cookies=["c"],
        vary_environ=["HTTP_ACCEPT_LANGUAGE"],
        namespace="pages",
    )
    assert profile.request_vary == RequestVary(
        ["q", "page"], ["f"], ["c"], ["HTTP_ACCEPT_LANGUAGE"]
    )
    assert profile.namespace == "pages"
    client = CacheProfile("client", 30, vary_query=["page"], namespace="pages")
    assert client.request_vary is None
    assert client.namespace is None


@pytest.mark.parametrize(
    ("arguments", "setting"),
    [
        ({"location": "proxy"}, "location"),
        ({"location": "server"}, "duration"),
        ({"location": "public", "duration": -5}, "duration"),
        ({"location": "both", "duration": 1.5}, "duration"),
        ({"location": "client", "duration": 10, "http_max_age": -1}, "duration"),
        (
            {"location": "public", "duration": 10, "namespace": "a:b"},
            "vary or namespace",
        ),
        (
            {"location": "public", "duration": 10, "vary_query": "q"},
            "vary or namespace",
        ),
        ({"location": "public", "duration": 10, "http_vary": "Accept"}, "http_vary"),
    ],
)
def test_invalid_settings(arguments: dict[str, object], setting: str) -> None:
    with pytest.raises(InvalidCacheProfile) as raised:
        CacheProfile(**arguments)  # type: ignore[arg-type]
    assert raised.value.setting == setting
    assert isinstance(raised.value, ValueError)


def test_invalid_http_vary_name() -> None:
    with pytest.raises(ValueError, match="not a header field name"):
        CacheProfile("public", 10, http_vary=["bad name"])


def test_disabled_profile_checks_only_the_location() -> None:
    profile = CacheProfile("public", enabled=False)
    assert not profile.server_cache
    assert "enabled=False" in repr(profile)
    with pytest.raises(InvalidCacheProfile):
        CacheProfile("nowhere", enabled=False)  # type: ignore[arg-type]


def test_policy_fields_follow_the_clock_second() -> None:
    profile = CacheProfile("public", 60)
    while True:
        second = int(time.time())
        first = profile.policy_fields()
        again = profile.policy_fields()
        expected = profile.cache_policy().headers()
        if int(time.time()) == second:
            break
    assert first is again
    assert list(first) == expected
    assert NO_CACHE_PROFILE.policy_fields() is NO_CACHE_PROFILE.policy_fields()


def test_check_namespace() -> None:
    assert check_namespace(None) is None
    assert check_namespace("pages-v2.1_x") == "pages-v2.1_x"
    for bad in ("", "a:b", "with space", "caf\u00e9"):
        with pytest.raises(ValueError, match="invalid cache namespace"):
            check_namespace(bad)

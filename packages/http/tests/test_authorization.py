"""Tests for shallot.http.authorization: Authorization header syntax and Basic credentials."""

from __future__ import annotations

import base64
import contextlib
import time

import pytest

from shallot.http.authorization import (
    MAX_AUTHORIZATION_SIZE,
    Authorization,
    BasicCredentials,
    MalformedAuthorization,
    parse_authorization,
)


def _basic(raw: bytes) -> str:
    return "Basic " + base64.b64encode(raw).decode("ascii")


def test_basic() -> None:
    auth = parse_authorization(_basic(b"aladdin:open sesame"))
    assert auth.scheme == "basic"
    assert auth.token == "YWxhZGRpbjpvcGVuIHNlc2FtZQ=="
    assert dict(auth.params) == {}
    assert auth.basic() == BasicCredentials("aladdin", "open sesame")


def test_basic_utf8_and_colons_in_password() -> None:
    credentials = parse_authorization(_basic("jürgen:pa:ss:€".encode())).basic()
    assert credentials.username == "jürgen"
    assert credentials.password == "pa:ss:€"


def test_basic_empty_username_and_password() -> None:
    assert parse_authorization(_basic(b":")).basic() == ("", "")


def test_scheme_is_case_insensitive() -> None:
    assert parse_authorization("BASIC dXNlcjpwdw==").basic() == ("user", "pw")


def test_bearer_token68() -> None:
    auth = parse_authorization("Bearer mF_9.B5f-4.1JqM/a+b~c==")
    assert auth == Authorization("bearer", token="mF_9.B5f-4.1JqM/a+b~c==")


@pytest.mark.parametrize("token", ["a", "a=", "a==", "abc/+~"])
def test_token68_wins_over_params_when_both_could_match(token: str) -> None:
    assert parse_authorization("Custom " + token) == Authorization("custom", token=token)


def test_bare_scheme() -> None:
    auth = parse_authorization("  Negotiate  ")
    assert auth.scheme == "negotiate"
    assert auth.token is None
    assert dict(auth.params) == {}


def test_digest_params() -> None:
    auth = parse_authorization(
        'Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", '
        "algorithm=SHA-256, nc=00000001, QOP=auth,"
        ' response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"'
    )
    assert auth.scheme == "digest"
    assert auth.token is None
    assert auth.params["username"] == "Mufasa"
    assert auth.params["realm"] == "http-auth@example.org"
    assert auth.params["algorithm"] == "SHA-256"
    assert auth.params["qop"] == "auth"
    assert len(auth.params) == 7


def test_quoted_string_unescaping() -> None:
    auth = parse_authorization(r'Custom a="say \"hi\"", b="back\\slash", c="\x", d=""')
    assert dict(auth.params) == {"a": 'say "hi"', "b": "back\\slash", "c": "x", "d": ""}


def test_whitespace_and_empty_list_elements() -> None:
    auth = parse_authorization('Custom , a = 1 ,, b="2" ,')
    assert dict(auth.params) == {"a": "1", "b": "2"}


def test_quoted_commas_do_not_split() -> None:
    assert parse_authorization('Custom a="x, y=z"').params == {"a": "x, y=z"}


def test_params_are_read_only() -> None:
    auth = parse_authorization("Custom a=1")
    with pytest.raises(TypeError):
        auth.params["a"] = "2"  # type: ignore[index]  # the point: params cannot change


def test_authorization_is_hashable_and_frozen() -> None:
    auth = parse_authorization("Custom a=1")
    assert hash(auth) == hash(parse_authorization("Custom a=1"))
    with pytest.raises(AttributeError):
        auth.scheme = "x"  # type: ignore[misc]  # the point: records are immutable


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "scheme"),
        ("   ", "scheme"),
        (" =abc", "scheme"),
        ("Bas(ic abc", "scheme"),
        ("Basic\tabc", "scheme"),
        ("Custom a b", "without '='"),
        ("Custom a=1, b", "without '='"),
        ("Custom b=1, a=", "without a value"),
        ("Custom a=1, a=2", "twice"),
        ("Custom A=1, a=2", "twice"),
        ('Custom a="unterminated', "unterminated"),
        ('Custom a="trailing backslash\\', "unterminated"),
        ("Custom a=1 b=2", "expected ','"),
        ('Custom a="x"y', "expected ','"),
        ("Custom a=b c", "expected ','"),
        ("Custom =1", "invalid character"),
        ("Custom a=1, @=2", "invalid character"),
        ("Custom a=\x00", "without a value"),
        ('Custom a="\x00"', "control character"),
        ("Bearer tok en", "without '='"),
        ("Bearer ünïcode", "invalid character"),
    ],
)
def test_malformed(value: str, message: str) -> None:
    with pytest.raises(MalformedAuthorization, match=message):
        parse_authorization(value)


def test_malformed_is_a_value_error() -> None:
    assert issubclass(MalformedAuthorization, ValueError)


def test_size_limit() -> None:
    token = "a" * (MAX_AUTHORIZATION_SIZE - len("Bearer "))
    assert parse_authorization("Bearer " + token).token == token
    with pytest.raises(MalformedAuthorization, match="longer than"):
        parse_authorization("Bearer " + token + "a")


def test_huge_hostile_params_are_refused_quickly() -> None:
    with pytest.raises(MalformedAuthorization):
        parse_authorization("Custom " + "a=1," * 100_000)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Bearer dXNlcjpwdw==", "expected Basic"),
        ("Basic", "without a token"),
        ("Basic a=1", "without a token"),
        ("Basic dXNlcjpwdw", "base64"),
        ("Basic a-b_c", "base64"),
        ("Basic " + base64.b64encode(b"user-no-colon").decode(), "':'"),
        ("Basic " + base64.b64encode(b"\xff\xfe:x").decode(), "UTF-8"),
    ],
)
def test_basic_malformed(value: str, message: str) -> None:
    with pytest.raises(MalformedAuthorization, match=message):
        parse_authorization(value).basic()


def test_many_params_up_to_the_size_limit() -> None:
    params = {f"p{index}": str(index) for index in range(700)}
    value = "Custom " + ", ".join(
        f'{name}="{text}"' if int(text) % 2 else f"{name}={text}" for name, text in params.items()
    )
    assert MAX_AUTHORIZATION_SIZE - 1000 < len(value) <= MAX_AUTHORIZATION_SIZE
    assert dict(parse_authorization(value).params) == params


def test_one_long_quoted_value_at_the_size_limit() -> None:
    text = "x, y=z " * ((MAX_AUTHORIZATION_SIZE - 20) // 7)
    auth = parse_authorization(f'Custom a="{text}"')
    assert dict(auth.params) == {"a": text}


@pytest.mark.parametrize(
    ("value", "params"),
    [
        ('Custom a="x\\", y=z", b=1', {"a": 'x", y=z', "b": "1"}),
        ('Custom a="\\\\", b="\\\\\\""', {"a": "\\", "b": '\\"'}),
        ('Custom a="tab\tinside", b="\\\ttoo"', {"a": "tab\tinside", "b": "\ttoo"}),
        ('Custom a="caf\xe9 \u20ac"', {"a": "caf\xe9 \u20ac"}),
        ("Custom ,,, a=1 ,,, ,\t, b=2,,, ", {"a": "1", "b": "2"}),
        ("Custom a\t=\t1", {"a": "1"}),
        ("Custom ,", {}),
    ],
)
def test_quoting_separators_and_whitespace(value: str, params: dict[str, str]) -> None:
    assert dict(parse_authorization(value).params) == params


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('Custom a="x\\', "unterminated"),
        ('Custom a="x\\"', "unterminated"),
        ('Custom a="x\\\x01"', "control character"),
        ('Custom a="x\x7f"', "control character"),
        ('Custom a="x\ny"', "control character"),
        ("Custom a=1,\nb=2", "invalid character '\\\\n'"),
        ("Custom a=caf\xe9", "expected ','"),
        ('Custom a="x",, b', "without '='"),
    ],
)
def test_malformed_quoting_and_separators(value: str, message: str) -> None:
    with pytest.raises(MalformedAuthorization, match=message):
        parse_authorization(value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Custom a=1, a=2, @", "'a' given twice"),
        ("Custom @, a=1, a=1", "invalid character '@'"),
        ("Custom a=1, b=2 c, b=3", "expected ',' after Authorization param 'b'"),
        ('Custom a=1, b="x, a=2', "unterminated"),
        ('Custom a="\x00", a=1', "control character"),
        ("Custom a=1, a=, b", "without a value"),
    ],
)
def test_the_first_fault_from_the_left_is_reported(value: str, message: str) -> None:
    with pytest.raises(MalformedAuthorization, match=message):
        parse_authorization(value)


HOSTILE = {
    "commas": "Custom " + "," * MAX_AUTHORIZATION_SIZE,
    "trailing separators": "Custom a=1" + " \t," * MAX_AUTHORIZATION_SIZE,
    "separators, then junk": "Custom a=1" + " ," * (MAX_AUTHORIZATION_SIZE // 2 - 20) + " @",
    "unterminated": 'Custom a="' + "x" * MAX_AUTHORIZATION_SIZE,
    "escapes": 'Custom a="' + '\\"' * MAX_AUTHORIZATION_SIZE,
    "final backslash": 'Custom a="' + "x" * (MAX_AUTHORIZATION_SIZE - 20) + "\\",
    "long name": "Custom " + "a" * MAX_AUTHORIZATION_SIZE,
    "spaces before '='": "Custom a" + " " * MAX_AUTHORIZATION_SIZE,
    "spaces after a value": "Custom a=b" + " " * (MAX_AUTHORIZATION_SIZE - 20) + "c",
    "repeated names": "Custom " + 'a="",' * MAX_AUTHORIZATION_SIZE,
    "many params": "Custom " + ", ".join(f"p{index}=v" for index in range(2000)),
    "many params, a repeat last": "Custom "
    + " ,, ".join(f"p{index}=v" for index in range(700))
    + ", p0=x",
}


@pytest.mark.parametrize("value", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_headers_at_the_size_limit_are_parsed_in_linear_time(value: str) -> None:
    value = value[:MAX_AUTHORIZATION_SIZE]
    started = time.perf_counter()
    with contextlib.suppress(MalformedAuthorization):
        parse_authorization(value)
    # Linear parsing takes about a millisecond here; a quadratic one takes seconds.
    assert time.perf_counter() - started < 0.25

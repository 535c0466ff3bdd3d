"""Digest credentials: required fields, syntax of nc, response, userhash, username*; no RFC 2069."""

from __future__ import annotations

import dataclasses

import pytest

from shallot.auth.credentials import (
    DigestCredentials,
    DigestFields,
    parse_digest_credentials,
    read_digest_fields,
)
from shallot.auth.errors import MalformedCredentials
from shallot.http import parse_authorization

FIELDS = {
    "username": '"Mufasa"',
    "realm": '"http-auth@example.org"',
    "uri": '"/dir/index.html"',
    "algorithm": "SHA-256",
    "nonce": '"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"',
    "nc": "0000000a",
    "cnonce": '"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"',
    "qop": "auth",
    "response": '"753927FA0E85D155564E2E272A28D1802CA10DAF4496794697CF8DB5856CB6C1"',
    "opaque": '"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
}


def header(**changes: str | None) -> str:
    fields = dict(FIELDS)
    for name, value in changes.items():
        key = name.replace("_star", "*")
        if value is None:
            fields.pop(key, None)
        else:
            fields[key] = value
    return "Digest " + ", ".join(f"{name}={value}" for name, value in fields.items())


def parse(value: str) -> object:
    return parse_digest_credentials(parse_authorization(value))


def test_complete_credentials() -> None:
    credentials = parse_digest_credentials(parse_authorization(header()))
    assert credentials.username == "Mufasa"
    assert not credentials.userhash
    assert credentials.realm == "http-auth@example.org"
    assert credentials.uri == "/dir/index.html"
    assert credentials.algorithm == "SHA-256"
    assert credentials.nc == "0000000a"
    assert credentials.nonce_count == 10
    assert credentials.qop == "auth"
    assert credentials.response == FIELDS["response"].strip('"').lower()
    assert credentials.opaque == "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"


def test_algorithm_defaults_to_md5_and_opaque_is_optional() -> None:
    credentials = parse_digest_credentials(parse_authorization(header(algorithm=None, opaque=None)))
    assert credentials.algorithm == "MD5"
    assert credentials.opaque is None


@pytest.mark.parametrize(
    "missing", ["username", "realm", "nonce", "uri", "response", "qop", "nc", "cnonce"]
)
def test_a_missing_field_is_malformed(missing: str) -> None:
    with pytest.raises(MalformedCredentials, match="without"):
        parse(header(**{missing: None}))


@pytest.mark.parametrize("empty", ["username", "realm", "nonce", "uri", "cnonce"])
def test_an_empty_field_is_malformed(empty: str) -> None:
    with pytest.raises(MalformedCredentials):
        parse(header(**{empty: '""'}))


def test_rfc_2069_credentials_without_qop_are_refused() -> None:
    with pytest.raises(MalformedCredentials, match="qop"):
        parse(header(qop=None, nc=None, cnonce=None))


@pytest.mark.parametrize("nc", ["1", "000000001", "0000000g", "00000000", "-0000001"])
def test_nc_must_be_eight_hex_digits_above_zero(nc: str) -> None:
    with pytest.raises(MalformedCredentials, match="nc"):
        parse(header(nc=f'"{nc}"'))


def test_response_must_be_hex() -> None:
    with pytest.raises(MalformedCredentials, match="response"):
        parse(header(response='"not-hex"'))


def test_not_digest_is_malformed() -> None:
    with pytest.raises(MalformedCredentials, match="Digest"):
        parse("Basic dXNlcjpwdw==")


def test_userhash_flag() -> None:
    credentials = parse_digest_credentials(
        parse_authorization(header(userhash="TRUE", username='"5a1a8a47"'))
    )
    assert credentials.userhash
    assert credentials.username == "5a1a8a47"
    with pytest.raises(MalformedCredentials, match="userhash"):
        parse(header(userhash="yes"))


def test_username_star_is_decoded_from_rfc_8187_utf8() -> None:
    # RFC 7616 section 3.4.4's example user, sent in the extended form.
    credentials = parse_digest_credentials(
        parse_authorization(header(username=None, username_star="UTF-8''J%C3%A4s%C3%B8n%20Doe"))
    )
    assert credentials.username == "J\u00e4s\u00f8n Doe"
    lang = header(username=None, username_star="utf-8'en'J%C3%A4s%C3%B8n%20Doe")
    assert parse_digest_credentials(parse_authorization(lang)).username == "Jäsøn Doe"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("J%C3%A4s", "ext-value"),
        ("ISO-8859-1''J%E4s", "UTF-8"),
        ("UTF-8''J%C3", "UTF-8"),
        ("UTF-8''J%G0", "percent"),
        ("UTF-8''J%C", "percent"),
        ("\"UTF-8''J s\"", "percent-encoded"),
        ("UTF-8''", "empty"),
    ],
)
def test_bad_username_star_is_malformed(value: str, message: str) -> None:
    with pytest.raises(MalformedCredentials, match=message):
        parse(header(username=None, username_star=value))


def test_both_username_forms_are_malformed() -> None:
    with pytest.raises(MalformedCredentials, match="both"):
        parse(header(username_star="UTF-8''Mufasa"))


def test_username_star_with_userhash_is_malformed() -> None:
    with pytest.raises(MalformedCredentials, match="userhash"):
        parse(header(username=None, username_star="UTF-8''Mufasa", userhash="true"))


def test_raw_utf8_carried_as_latin1_is_read_as_utf8() -> None:
    # curl sends a non-ASCII name as raw UTF-8; a WSGI server hands those bytes on as latin-1.
    transported = "žofie".encode().decode("latin-1")
    credentials = parse_digest_credentials(parse_authorization(header(username=f'"{transported}"')))
    assert credentials.username == "žofie"
    latin1 = parse_digest_credentials(parse_authorization(header(username='"caf\xe9"')))
    assert latin1.username == "caf\xe9"


def test_digest_fields_are_the_credentials_as_a_named_tuple() -> None:
    assert DigestFields._fields == tuple(
        field.name for field in dataclasses.fields(DigestCredentials)
    )
    authorization = parse_authorization(header(userhash="true"))
    fields = read_digest_fields(authorization)
    assert parse_digest_credentials(authorization) == DigestCredentials(*fields)
    assert fields.response == FIELDS["response"].strip('"').lower()

"""RFC 7616's worked examples (section 3.9.1) and the formulas of section 3.4, as vectors."""

from __future__ import annotations

import hashlib

import pytest

from shallot.auth.digest import (
    DigestAlgorithm,
    Qop,
    body_hash,
    compute_response,
    ha1,
    ha2,
    response_digest,
    session_ha1,
    userhash,
)

# RFC 7616 section 3.9.1: GET /dir/index.html by Mufasa, password "Circle of Life".
RFC_USER = "Mufasa"
RFC_PASSWORD = "Circle of Life"
RFC_REALM = "http-auth@example.org"
RFC_URI = "/dir/index.html"
RFC_NONCE = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
RFC_CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"
RFC_RESPONSES = {
    DigestAlgorithm.MD5: "8ca523f5e9506fed4657c9700eebdbec",
    DigestAlgorithm.SHA256: "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
}


@pytest.mark.parametrize("algorithm", list(RFC_RESPONSES))
def test_rfc_7616_worked_example(algorithm: DigestAlgorithm) -> None:
    stored = ha1(algorithm, RFC_USER, RFC_REALM, RFC_PASSWORD)
    response = compute_response(
        algorithm,
        stored_ha1=stored,
        method="GET",
        uri=RFC_URI,
        nonce=RFC_NONCE,
        nc="00000001",
        cnonce=RFC_CNONCE,
        qop=Qop.AUTH,
    )
    assert response == RFC_RESPONSES[algorithm]


@pytest.mark.parametrize("algorithm", list(RFC_RESPONSES))
def test_rfc_example_step_by_step(algorithm: DigestAlgorithm) -> None:
    stored = ha1(algorithm, RFC_USER, RFC_REALM, RFC_PASSWORD)
    second = ha2(algorithm, "GET", RFC_URI, Qop.AUTH)
    response = response_digest(
        algorithm, stored, RFC_NONCE, "00000001", RFC_CNONCE, Qop.AUTH, second
    )
    assert response == RFC_RESPONSES[algorithm]


def reference_hash(algorithm: DigestAlgorithm, text: str | bytes) -> str:
    """H() straight from hashlib, independent of the module under test."""
    data = text.encode() if isinstance(text, str) else text
    if algorithm.base is DigestAlgorithm.MD5:
        return hashlib.md5(data).hexdigest()
    return hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("algorithm", [DigestAlgorithm.MD5_SESS, DigestAlgorithm.SHA256_SESS])
def test_session_algorithms_hash_nonce_and_cnonce_into_ha1(algorithm: DigestAlgorithm) -> None:
    def h(text: str | bytes) -> str:
        return reference_hash(algorithm, text)

    stored = h(f"{RFC_USER}:{RFC_REALM}:{RFC_PASSWORD}")
    sess = h(f"{stored}:{RFC_NONCE}:{RFC_CNONCE}")
    expected = h(f"{sess}:{RFC_NONCE}:00000002:{RFC_CNONCE}:auth:{h('GET:' + RFC_URI)}")
    assert session_ha1(algorithm, stored, RFC_NONCE, RFC_CNONCE) == sess
    response = compute_response(
        algorithm,
        stored_ha1=stored,
        method="GET",
        uri=RFC_URI,
        nonce=RFC_NONCE,
        nc="00000002",
        cnonce=RFC_CNONCE,
        qop=Qop.AUTH,
    )
    assert response == expected


@pytest.mark.parametrize("algorithm", list(DigestAlgorithm))
def test_auth_int_puts_the_body_hash_into_ha2(algorithm: DigestAlgorithm) -> None:
    body = b'{"name": "value"}'

    def h(text: str | bytes) -> str:
        return reference_hash(algorithm, text)

    assert body_hash(algorithm, body) == h(body)
    assert ha2(algorithm, "PUT", "/a", Qop.AUTH_INT, h(body)) == h(f"PUT:/a:{h(body)}")
    with_body = compute_response(
        algorithm,
        stored_ha1="0" * algorithm.hex_length,
        method="PUT",
        uri="/a",
        nonce="n",
        nc="00000001",
        cnonce="c",
        qop=Qop.AUTH_INT,
        body=body,
    )
    other_body = compute_response(
        algorithm,
        stored_ha1="0" * algorithm.hex_length,
        method="PUT",
        uri="/a",
        nonce="n",
        nc="00000001",
        cnonce="c",
        qop=Qop.AUTH_INT,
        body=b"tampered",
    )
    assert with_body != other_body


def test_auth_int_without_the_body_hash_is_refused() -> None:
    with pytest.raises(ValueError, match="auth-int"):
        ha2(DigestAlgorithm.SHA256, "PUT", "/a", Qop.AUTH_INT)


def test_userhash_is_the_hash_of_name_and_realm_in_utf8() -> None:
    # RFC 7616 section 3.4.4's user (section 3.9.2). That example's own hashes were computed with
    # a truncated SHA-512 instead of SHA-512/256 (erratum 4897 concerns that example), and this
    # package does not offer SHA-512-256, so the formula is checked against hashlib instead.
    name = "J\u00e4s\u00f8n Doe"
    realm = "api@example.org"
    expected = hashlib.sha256("Jäsøn Doe:api@example.org".encode()).hexdigest()
    assert userhash(DigestAlgorithm.SHA256, name, realm) == expected
    assert userhash(DigestAlgorithm.SHA256_SESS, name, realm) == expected
    md5 = hashlib.md5(b"J\xc3\xa4s\xc3\xb8n Doe:api@example.org").hexdigest()
    assert userhash(DigestAlgorithm.MD5, name, realm) == md5


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("MD5", DigestAlgorithm.MD5),
        ("md5-SESS", DigestAlgorithm.MD5_SESS),
        ("SHA-256", DigestAlgorithm.SHA256),
        ("sha-256-sess", DigestAlgorithm.SHA256_SESS),
        ("SHA-512-256", None),
        ("", None),
    ],
)
def test_algorithm_tokens_are_case_insensitive(
    token: str, expected: DigestAlgorithm | None
) -> None:
    assert DigestAlgorithm.parse(token) is expected


def test_algorithm_properties() -> None:
    assert DigestAlgorithm.MD5_SESS.session
    assert not DigestAlgorithm.MD5.session
    assert DigestAlgorithm.SHA256_SESS.base is DigestAlgorithm.SHA256
    assert DigestAlgorithm.MD5.hex_length == 32
    assert DigestAlgorithm.SHA256_SESS.hex_length == 64


def test_qop_tokens() -> None:
    assert Qop.parse("AUTH-INT") is Qop.AUTH_INT
    assert Qop.parse("auth") is Qop.AUTH
    assert Qop.parse("auth-conf") is None

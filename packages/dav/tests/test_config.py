"""DAVConfig: defaults, validation with the field named, TOML files, replace()."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from shallot.dav import ConfigError, DAVConfig


def test_defaults_and_normalised_mounts(tmp_path: Path) -> None:
    config = DAVConfig(shares={"/": tmp_path, "/photos/": str(tmp_path)})  # type: ignore[dict-item]
    assert dict(config.shares) == {"/": tmp_path, "/photos": tmp_path}
    assert (config.auth, config.state, config.browser, config.readonly) == (
        "none",
        "memory",
        True,
        False,
    )
    assert config.propfind_infinity is False
    assert config.trusted_proxies == 0
    with pytest.raises(TypeError):
        config.shares["/x"] = tmp_path  # type: ignore[index]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"shares": {}}, "shares"),
        ({"shares": {"photos": "/x"}}, "shares"),
        ({"shares": {"/a/../b": "/x"}}, "shares"),
        ({"shares": {"/a": "/x", "/a/": "/y"}}, "shares"),
        ({"auth": "kerberos"}, "auth"),
        ({"auth": "digest"}, "auth"),
        ({"auth": "basic", "users": {"a:b": "pw"}}, "users"),
        ({"users": {"ann": "pw"}, "htdigest": "x.htdigest"}, "users"),
        ({"users": {"ann": "pw"}}, "auth"),
        ({"auth": "none", "htdigest": "x.htdigest"}, "auth"),
        ({"realm": 'a"b'}, "realm"),
        ({"readonly": "yes"}, "readonly"),
        ({"quota_bytes": -1}, "quota_bytes"),
        ({"trusted_proxies": True}, "trusted_proxies"),
        ({"max_xml_size": 0}, "max_xml_size"),
        ({"hidden_files": ".DS_Store"}, "hidden_files"),
        ({"refused_files": ["a/b"]}, "refused_files"),
        ({"cors_origins": ["example.org"]}, "cors_origins"),
        ({"lock_max_timeout": 0}, "lock_max_timeout"),
        ({"state": ""}, "state"),
    ],
)
def test_bad_values_name_their_field(
    tmp_path: Path, changes: dict[str, object], field: str
) -> None:
    values: dict[str, object] = {"shares": {"/": tmp_path}, **changes}
    with pytest.raises(ConfigError) as raised:
        DAVConfig(**values)  # type: ignore[arg-type]
    assert raised.value.field == field
    assert str(raised.value).startswith(f"{field}: ")


def test_replace_validates_again(tmp_path: Path) -> None:
    config = DAVConfig(shares={"/": tmp_path})
    assert dataclasses.replace(config, readonly=True).readonly is True
    with pytest.raises(ConfigError):
        dataclasses.replace(config, auth="basic")


def test_from_toml(tmp_path: Path) -> None:
    (tmp_path / "files").mkdir()
    file = tmp_path / "dav.toml"
    file.write_text(
        'auth = "digest"\nrealm = "files"\nstate = "/var/lib/x"\n'
        'hidden_files = [".DS_Store"]\ncors_origins = ["https://app.example/"]\n'
        '[shares]\n"/" = "files"\n"/abs" = "/srv/abs"\n[users]\nann = "pw"\n'
    )
    config = DAVConfig.from_toml(file)
    assert dict(config.shares) == {"/": tmp_path / "files", "/abs": Path("/srv/abs")}
    assert config.auth == "digest"
    assert dict(config.users) == {"ann": "pw"}
    assert config.hidden_files == (".DS_Store",)
    assert config.cors_origins == ("https://app.example",)


@pytest.mark.parametrize(
    ("text", "auth"),
    [
        ('[users]\nann = "pw"\n', "digest"),
        ('htdigest = "users.htdigest"\n', "digest"),
        ('auth = "basic"\n[users]\nann = "pw"\n', "basic"),
        ("", "none"),
    ],
)
def test_a_file_with_users_and_no_auth_means_digest(tmp_path: Path, text: str, auth: str) -> None:
    file = tmp_path / "dav.toml"
    file.write_text(f'{text}[shares]\n"/" = "."\n')
    assert DAVConfig.from_toml(file).auth == auth


def test_a_file_with_users_and_auth_none_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "dav.toml"
    file.write_text('auth = "none"\n[shares]\n"/" = "."\n[users]\nann = "pw"\n')
    with pytest.raises(ConfigError, match="anyone could connect") as raised:
        DAVConfig.from_toml(file)
    assert raised.value.field == "auth"


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("readonly = true\n", "shares"),
        ('[shares]\n"/" = "x"\n[extra]\n', "extra"),
        ("shares = 3\n", "shares"),
        ("not toml", "config"),
    ],
)
def test_from_toml_refusals(tmp_path: Path, text: str, field: str) -> None:
    file = tmp_path / "dav.toml"
    file.write_text(text)
    with pytest.raises(ConfigError) as raised:
        DAVConfig.from_toml(file)
    assert raised.value.field == field


def test_from_toml_of_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        DAVConfig.from_toml(tmp_path / "absent.toml")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("state", "{base}/state"),
        ("../elsewhere", "{base}/../elsewhere"),
        ("/var/lib/shallot", "/var/lib/shallot"),
        ("memory", "memory"),
        ("redis://localhost:6379/0", "redis://localhost:6379/0"),
        ("unix:///run/redis.sock", "unix:///run/redis.sock"),
    ],
)
def test_a_state_folder_in_a_file_is_relative_to_the_file(
    tmp_path: Path, value: str, expected: str
) -> None:
    file = tmp_path / "dav.toml"
    file.write_text(f'state = "{value}"\n[shares]\n"/" = "."\n')
    assert DAVConfig.from_toml(file).state == expected.format(base=tmp_path)

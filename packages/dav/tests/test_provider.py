"""NamePolicy: hidden names are unlisted but reachable, refused ones neither."""

from __future__ import annotations

from shallot.dav import NamePolicy


def test_name_policy() -> None:
    policy = NamePolicy(hidden=[".DS_Store", "*.tmp"], refused=["._*"])
    assert policy.hides_any
    assert policy.listed("report.txt")
    assert not policy.listed(".DS_Store")
    assert not policy.listed("x.tmp")
    assert not policy.listed("._report.txt")
    assert not policy.refused(".DS_Store")
    assert policy.refused("._report.txt")
    assert not policy.refused("a._b")
    nothing = NamePolicy()
    assert not nothing.hides_any
    assert nothing.listed(".DS_Store")
    assert not nothing.refused("._x")

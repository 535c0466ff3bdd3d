"""MemoryProvider: the provider API without a filesystem (the handler suites run it too)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from shallot.dav import DAVError, MemoryProvider, NamePolicy

if TYPE_CHECKING:
    from collections.abc import Callable


def test_tree_operations() -> None:
    provider = MemoryProvider()
    provider.make_collection("/a")
    created = provider.write("/a/f.txt", [b"he", b"llo"])
    replaced = provider.write("/a/f.txt", [b"bye"], modified=1000.0)
    info = provider.info("/a/f.txt")
    assert info is not None
    assert (created.created, replaced.created) == (True, False)
    assert created.etag != replaced.etag == info.etag
    assert (info.size, info.modified, info.content_type) == (3, 1000.0, "text/plain; charset=utf-8")
    assert [member.name for member in provider.members("/a")] == ["f.txt"]
    assert provider.copy("/a", "/b", recursive=True) == []
    assert provider.open("/b/f.txt").read() == b"bye"
    assert provider.move("/b", "/c") == []
    assert provider.info("/b") is None
    assert provider.delete("/c") == []
    assert provider.match_case("/A/F.TXT") == "/a/f.txt"
    assert provider.quota("/").used == 3


def test_refusals() -> None:
    provider = MemoryProvider(names=NamePolicy(refused=["._*"]), quota_bytes=4)
    cases: list[tuple[Callable[[], object], int]] = [
        (lambda: provider.write("/missing/x", [b""]), 409),
        (lambda: provider.write("/._x", [b""]), 403),
        (lambda: provider.write("/big", [b"12345"]), 507),
        (lambda: provider.open("/nothing"), 404),
        (lambda: provider.delete("/"), 403),
    ]
    for action, status in cases:
        with pytest.raises(DAVError) as raised:
            action()
        assert raised.value.status == status
    readonly = MemoryProvider(readonly=True)
    with pytest.raises(DAVError) as refused:
        readonly.make_collection("/x")
    assert refused.value.status == 403

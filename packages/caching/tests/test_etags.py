"""make_etag and make_etag_crc32 give Wheezy's tags, as shallot.http ETags."""

from __future__ import annotations

import hashlib

from wheezy.http.cache import etag_md5 as wheezy_md5
from wheezy.http.cache import etag_md5crc32 as wheezy_md5crc32
from wheezy.http.cache import make_etag as wheezy_make_etag

from shallot.caching import etag_md5, etag_md5crc32, make_etag, make_etag_crc32
from shallot.http import ETag

CHUNKS = [b"<html>", b"", b"caf\xc3\xa9", b"</html>"]


def test_same_tags_as_wheezy() -> None:
    assert str(etag_md5(CHUNKS)) == wheezy_md5(CHUNKS)
    assert str(etag_md5crc32(CHUNKS)) == wheezy_md5crc32(CHUNKS)
    assert str(make_etag(hashlib.sha256)(CHUNKS)) == wheezy_make_etag(hashlib.sha256)(CHUNKS)


def test_tags_hash_the_body_whatever_its_chunks() -> None:
    whole = [b"".join(CHUNKS)]
    assert etag_md5(CHUNKS) == etag_md5(whole) == ETag(hashlib.md5(whole[0]).hexdigest())
    crc = make_etag_crc32(hashlib.sha1)(CHUNKS)
    assert crc == make_etag_crc32(hashlib.sha1)(whole)
    assert len(crc.value) == 8
    assert not crc.weak
    assert etag_md5([b"a"]) != etag_md5([b"b"])

"""The storage-agnostic suite: PropertyManager over every storage (memory, SQLite, real Redis).

Each test runs once per storage through the parametrised ``storage`` fixture, so this file is the
specification a ``PropertyStorage`` must meet.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping

import pytest

from shallot.props import (
    ConflictingPatch,
    InvalidPropertyName,
    InvalidPropertyValue,
    InvalidResourceURL,
    OverlappingTrees,
    PropertyManager,
    PropertyStorage,
    PropertyValueTooLarge,
    TooManyProperties,
)

NAMESPACED = (
    "{http://example.com/ns}author",
    '<x:author xmlns:x="http://example.com/ns" xmlns:y="urn:y">'
    '<x:name y:role="lead">Jane</x:name></x:author>',
)
LANG = (
    "{DAV:}displayname",
    '<D:displayname xmlns:D="DAV:" xml:lang="fr-CA">Étiquette du dossier</D:displayname>',
)
MIXED = (
    "{urn:doc}p",
    '<p xmlns="urn:doc">Some <b>bold</b>, <i>italic</i> &amp; <![CDATA[<raw>]]> text\r\n  '
    "<!-- a comment --> tail </p>",
)
NON_ASCII = ("{urn:名前空間}名前", '<n:名前 xmlns:n="urn:名前空間">日本語 — ελληνικά 🎉</n:名前>')
NO_NAMESPACE = ("{}plain", "<plain>  surrounding whitespace kept  </plain>")
SAMPLES = dict([NAMESPACED, LANG, MIXED, NON_ASCII, NO_NAMESPACE])

Patch = tuple[str, dict[str, str], list[str]]
"""As conftest's: the URL, the properties to set, the names to remove."""


def state(manager: PropertyManager, urls: list[str]) -> dict[str, dict[str, str]]:
    """The properties of each of ``urls`` that has any."""
    return {url: found for url in urls if (found := manager.get_all(url))}


def test_values_round_trip_exactly(manager: PropertyManager) -> None:
    manager.patch("/docs/report.txt", set=SAMPLES)
    assert manager.get_all("/docs/report.txt") == SAMPLES
    for name, value in SAMPLES.items():
        assert manager.get("/docs/report.txt", name) == value
    assert manager.names("/docs/report.txt") == sorted(SAMPLES)


def test_missing_properties_and_resources(manager: PropertyManager) -> None:
    manager.patch("/a", set=dict([LANG]))
    assert manager.get("/a", NAMESPACED[0]) is None
    assert manager.get("/nowhere", LANG[0]) is None
    assert manager.get_all("/nowhere") == {}
    assert manager.names("/nowhere") == []


def test_urls_are_normalised(manager: PropertyManager) -> None:
    manager.patch("/caf%c3%a9/a%7Eb/", set=dict([LANG]))
    for spelling in ("/café/a~b", "/caf%C3%A9//a%7eb", "/café/a~b/"):
        assert manager.get_all(spelling) == dict([LANG])
    assert manager.get_all("/Café/a~b") == {}


def test_results_are_copies(manager: PropertyManager) -> None:
    manager.patch("/a", set=dict([LANG]))
    manager.get_all("/a")[MIXED[0]] = MIXED[1]
    manager.names("/a").append(MIXED[0])
    assert manager.get_all("/a") == dict([LANG])


def test_patch_overwrites_and_removes(manager: PropertyManager) -> None:
    manager.patch("/a", set=dict([LANG, MIXED]))
    manager.patch("/a", set={LANG[0]: "<D:displayname xmlns:D='DAV:'/>"}, remove=[MIXED[0]])
    assert manager.get_all("/a") == {LANG[0]: "<D:displayname xmlns:D='DAV:'/>"}


def test_removing_missing_properties_is_fine(manager: PropertyManager) -> None:
    manager.patch("/a", set=dict([LANG]))
    manager.patch("/a", remove=[MIXED[0], MIXED[0]])
    manager.patch("/nowhere", remove=[LANG[0]])
    assert state(manager, ["/a", "/nowhere"]) == {"/a": dict([LANG])}


def test_removing_every_property_leaves_nothing(manager: PropertyManager) -> None:
    manager.patch("/a", set=dict([LANG, MIXED]))
    manager.patch("/a", remove=[LANG[0], MIXED[0]])
    assert manager.get_all("/a") == {}
    manager.move_tree("/a", "/b")
    assert manager.get_all("/b") == {}


def test_empty_patch_is_a_no_op(manager: PropertyManager) -> None:
    manager.patch("/a")
    assert manager.get_all("/a") == {}


@pytest.mark.parametrize(
    ("values", "removals", "error"),
    [
        ({"displayname": "<displayname/>"}, [], InvalidPropertyName),
        ({"{DAV:}ok": "<ok/>", "{DAV:}1bad": "<x/>"}, [], InvalidPropertyName),
        ({}, [LANG[0], "{DAV"], InvalidPropertyName),
        ({"{DAV:}ok": "<ok/>", "{DAV:}bad": "\ud800"}, [LANG[0]], InvalidPropertyValue),
        ({"{DAV:}ok": "<ok/>", LANG[0]: "<new/>"}, ["{DAV:}ok"], ConflictingPatch),
    ],
)
def test_invalid_patches_write_nothing(
    manager: PropertyManager, values: dict[str, str], removals: list[str], error: type[Exception]
) -> None:
    manager.patch("/a", set=dict([LANG]))
    with pytest.raises(error):
        manager.patch("/a", set=values, remove=removals)
    assert manager.get_all("/a") == dict([LANG])


def test_invalid_urls_are_refused(manager: PropertyManager) -> None:
    for url in ("relative", "/a/../b", "/a/%zz", "http://host/a"):
        with pytest.raises(InvalidResourceURL):
            manager.patch(url, set=dict([LANG]))
        with pytest.raises(InvalidResourceURL):
            manager.get_all(url)


def test_value_size_limit(storage: PropertyStorage) -> None:
    manager = PropertyManager(storage, max_value_size=256)
    manager.patch("/a", set={"{urn:x}ascii": "a" * 256, "{urn:x}utf8": "é" * 128})
    with pytest.raises(PropertyValueTooLarge) as raised:
        manager.patch("/a", set={"{urn:x}small": "<small/>", "{urn:x}big": "é" * 129})
    assert (raised.value.url, raised.value.name) == ("/a", "{urn:x}big")
    assert (raised.value.limit, raised.value.actual) == (256, 258)
    assert manager.get_all("/a") == {"{urn:x}ascii": "a" * 256, "{urn:x}utf8": "é" * 128}


def test_count_limit_counts_the_state_after_the_patch(storage: PropertyStorage) -> None:
    manager = PropertyManager(storage, max_properties=3)
    first = {f"{{urn:x}}p{index}": f"<p{index}/>" for index in range(3)}
    manager.patch("/a", set=first)
    manager.patch("/a", set={"{urn:x}p0": "<p0>again</p0>"}, remove=["{urn:x}missing"])
    with pytest.raises(TooManyProperties) as raised:
        manager.patch("/a", set={"{urn:x}p3": "<p3/>", "{urn:x}p0": "<p0>lost</p0>"})
    assert (raised.value.url, raised.value.limit, raised.value.actual) == ("/a", 3, 4)
    assert manager.get("/a", "{urn:x}p0") == "<p0>again</p0>"
    manager.patch("/a", set={"{urn:x}p3": "<p3/>"}, remove=["{urn:x}p1"])
    assert manager.names("/a") == ["{urn:x}p0", "{urn:x}p2", "{urn:x}p3"]


def test_lowered_count_limit_lets_resources_shrink_not_grow(storage: PropertyStorage) -> None:
    PropertyManager(storage).patch("/a", set={f"{{urn:x}}p{i}": "<p/>" for i in range(5)})
    manager = PropertyManager(storage, max_properties=2)
    manager.patch("/a", set={"{urn:x}p0": "<p>changed</p>"}, remove=["{urn:x}p4"])
    with pytest.raises(TooManyProperties):
        manager.patch("/a", set={"{urn:x}p9": "<p/>"})
    assert len(manager.names("/a")) == 4
    assert manager.get("/a", "{urn:x}p0") == "<p>changed</p>"


def test_negative_limits_are_refused(storage: PropertyStorage) -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        PropertyManager(storage, max_properties=-1)


class ExplodingValues(Mapping[str, str]):
    """A patch's values that fail halfway through being read, as an interrupted write would."""

    def __init__(self, good: int) -> None:
        self._names = [f"{{urn:x}}p{index}" for index in range(good + 1)]

    def __getitem__(self, name: str) -> str:
        return "<p/>"

    def __len__(self) -> int:
        return len(self._names)

    def __iter__(self) -> Iterator[str]:
        for index, name in enumerate(self._names):
            if index == len(self._names) - 1:
                raise RuntimeError("interrupted")
            yield name


def test_storage_patch_interrupted_midway_writes_nothing(storage: PropertyStorage) -> None:
    storage.patch("/a", {"{urn:x}old": "<old/>"}, frozenset(), 1000)
    with pytest.raises(RuntimeError, match="interrupted"):
        storage.patch("/a", ExplodingValues(good=50), frozenset({"{urn:x}old"}), 1000)
    assert storage.get_all("/a") == {"{urn:x}old": "<old/>"}


TREE = [
    "/a",
    "/a/b",
    "/a/b/c",
    "/a/b/c/d%20e",
    "/a/b!",
    "/a/b-c",
    "/a/b.txt",
    "/a/b0",
    "/a/bc",
    "/a/bc/d",
    "/z",
]
INSIDE = ["/a/b", "/a/b/c", "/a/b/c/d%20e"]


def fill(manager: PropertyManager) -> None:
    """Give every URL of ``TREE`` two properties naming it."""
    for url in TREE:
        manager.patch(url, set={"{urn:t}url": f"<url xmlns='urn:t'>{url}</url>", LANG[0]: LANG[1]})


def props_of(url: str) -> dict[str, str]:
    return {"{urn:t}url": f"<url xmlns='urn:t'>{url}</url>", LANG[0]: LANG[1]}


def test_get_children_reads_the_direct_children_only(manager: PropertyManager) -> None:
    fill(manager)
    manager.patch("/top", set=dict([MIXED]))
    children = ("/a/b", "/a/b!", "/a/b-c", "/a/b.txt", "/a/b0", "/a/bc")
    assert manager.get_children("/a/") == {url: props_of(url) for url in children}
    assert manager.get_children("/a/b") == {"/a/b/c": props_of("/a/b/c")}
    assert manager.get_children("/") == {
        "/a": props_of("/a"),
        "/z": props_of("/z"),
        "/top": dict([MIXED]),
    }
    assert manager.get_children("/a/b/c/d e") == {}
    assert manager.get_children("/nothing") == {}


def test_delete_tree_touches_only_the_subtree(manager: PropertyManager) -> None:
    fill(manager)
    manager.delete_tree("/a/b/")
    assert state(manager, TREE) == {url: props_of(url) for url in TREE if url not in INSIDE}


def test_delete_tree_of_a_leaf_and_of_the_root(manager: PropertyManager) -> None:
    fill(manager)
    manager.delete_tree("/a/b/c/d e")
    assert state(manager, TREE) == {url: props_of(url) for url in TREE if url != "/a/b/c/d%20e"}
    manager.delete_tree("/")
    assert state(manager, TREE) == {}


def test_move_tree_moves_only_the_subtree(manager: PropertyManager) -> None:
    fill(manager)
    manager.move_tree("/a/b", "/x/y")
    outside = {url: props_of(url) for url in TREE if url not in INSIDE}
    moved = {"/x/y" + url[len("/a/b") :]: props_of(url) for url in INSIDE}
    assert state(manager, TREE + list(moved)) == outside | moved


def test_copy_tree_copies_only_the_subtree(manager: PropertyManager) -> None:
    fill(manager)
    manager.copy_tree("/a/b", "/x/y")
    copies = {"/x/y" + url[len("/a/b") :]: props_of(url) for url in INSIDE}
    assert state(manager, TREE + list(copies)) == {url: props_of(url) for url in TREE} | copies
    manager.patch("/x/y/c", set=dict([MIXED]))
    assert manager.get_all("/a/b/c") == props_of("/a/b/c")


@pytest.mark.parametrize("operation", ["copy", "move"])
def test_copy_and_move_replace_the_destination_subtree(
    manager: PropertyManager, operation: str
) -> None:
    manager.patch("/src/kept", set=dict([LANG]))
    manager.patch("/dst", set=dict([MIXED]))
    manager.patch("/dst/old", set=dict([MIXED]))
    manager.patch("/dst/kept", set=dict([MIXED]))
    manager.patch("/dst-sibling", set=dict([MIXED]))
    getattr(manager, f"{operation}_tree")("/src", "/dst")
    after = state(manager, ["/src", "/src/kept", "/dst", "/dst/old", "/dst/kept", "/dst-sibling"])
    expected = {"/dst/kept": dict([LANG]), "/dst-sibling": dict([MIXED])}
    if operation == "copy":
        expected["/src/kept"] = dict([LANG])
    assert after == expected


@pytest.mark.parametrize(
    ("source", "destination"),
    [("/a", "/a"), ("/a", "/a/b"), ("/a/b", "/a/"), ("/", "/x"), ("/x", "/")],
)
def test_overlapping_trees_are_refused(
    manager: PropertyManager, source: str, destination: str
) -> None:
    fill(manager)
    for operation in (manager.copy_tree, manager.move_tree):
        with pytest.raises(OverlappingTrees):
            operation(source, destination)
    assert state(manager, TREE) == {url: props_of(url) for url in TREE}


def test_threads_patching_one_storage_lose_nothing(
    manager: PropertyManager,
    patch_plans: tuple[list[list[Patch]], dict[str, dict[str, str]]],
) -> None:
    plans, expected = patch_plans
    errors: list[BaseException] = []

    def write(plan: list[Patch]) -> None:
        try:
            for url, values, removals in plan:
                manager.patch(url, set=values, remove=removals)
        except BaseException as error:  # reported by the test thread below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(plan,)) for plan in plans]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert {url: manager.get_all(url) for url in expected} == expected

"""XML strings: escaping, property tags, and dead property values written back whole."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from shallot.dav import DAVError
from shallot.dav.xml_write import (
    close_tag,
    empty_element,
    escape_attribute,
    escape_text,
    open_tag,
    serialize_element,
    split_clark,
)


def test_escaping() -> None:
    assert escape_text("plain") == "plain"
    assert escape_text("a<b>&c\r") == "a&lt;b&gt;&amp;c&#13;"
    assert escape_text("bell\x07 and \ud800") == "bell\ufffd and \ufffd"
    assert escape_attribute('say "hi"\t\n') == "say &quot;hi&quot;&#9;&#10;"


def test_property_tags() -> None:
    assert split_clark("{DAV:}getetag") == ("DAV:", "getetag")
    assert split_clark("bare") == ("", "bare")
    assert open_tag("{DAV:}getetag") == "<D:getetag>"
    assert close_tag("{DAV:}getetag") == "</D:getetag>"
    assert empty_element("{urn:a&b}x") == '<x xmlns="urn:a&amp;b"/>'
    assert empty_element("{}plain") == '<plain xmlns=""/>'
    assert open_tag("{urn:x}y") + close_tag("{urn:x}y") == '<y xmlns="urn:x"></y>'


def round_trip(source: str, lang: str | None = None) -> ET.Element:
    element = ET.fromstring(source)
    fragment = serialize_element(element, lang)
    wrapped = ET.fromstring(f'<D:prop xmlns:D="DAV:" xmlns="urn:default">{fragment}</D:prop>')
    return wrapped[0]


def test_values_survive_any_surrounding_namespaces() -> None:
    source = (
        '<z:a xmlns:z="urn:z" xmlns:q="urn:q" q:attr="v&amp;&quot;"><z:b>text &lt;1&gt;</z:b>'
        "tail<c xmlns=''>none</c><q:d/></z:a>"
    )
    element = round_trip(source, lang="de")
    assert element.tag == "{urn:z}a"
    assert element.get("{urn:q}attr") == 'v&"'
    assert element.get("{http://www.w3.org/XML/1998/namespace}lang") == "de"
    assert [(child.tag, child.text, child.tail) for child in element] == [
        ("{urn:z}b", "text <1>", "tail"),
        ("c", "none", None),
        ("{urn:q}d", None, None),
    ]


def test_own_language_wins_over_the_inherited_one() -> None:
    element = round_trip('<a xml:lang="fr" xmlns="urn:x">b</a>', lang="en")
    assert element.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"


def test_nesting_is_bounded() -> None:
    deep = ET.fromstring("<a>" * 80 + "</a>" * 80)
    with pytest.raises(DAVError) as raised:
        serialize_element(deep)
    assert raised.value.status == 400

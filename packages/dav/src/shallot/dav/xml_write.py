"""Writing XML as strings: escaping, property elements, and dead property values.

The server writes its XML (multistatus bodies, lock discovery, error bodies) by joining strings,
never by building ElementTree trees: a PROPFIND answer on ten thousand files is ten thousand
f-strings. This module holds what those strings need:

- :func:`escape_text` and :func:`escape_attribute`, which also replace characters XML 1.0 cannot
  carry (a control character in a file name, say) with U+FFFD;
- :func:`empty_element`, :func:`open_tag` and :func:`close_tag` for a property named in Clark
  notation: ``DAV:`` names use the ``D:`` prefix the multistatus element declares, every other
  namespace is declared as the default namespace on the element itself, so no prefix can clash;
- :func:`serialize_element`: a property element from a request written back as a self-contained
  fragment (its namespaces declared on it, the ``xml:lang`` in scope kept), which is what
  ``shallot.props`` stores for a dead property and what PROPFIND sends back verbatim.

RFC 4918 section 4.4 asks servers to keep a dead property's names, attributes, ``xml:lang`` and
characters, not its prefixes or comments; the fragments keep exactly that.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from shallot.dav.errors import DAVError

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

__all__ = [
    "DAV_NS",
    "XML_NS",
    "close_tag",
    "empty_element",
    "escape_attribute",
    "escape_text",
    "open_tag",
    "serialize_element",
    "split_clark",
]

DAV_NS = "DAV:"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MAX_DEPTH = 64
"""The deepest nesting a dead property value may have."""

_TEXT_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ATTRIBUTE_SPECIAL = re.compile('[&<>"\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')
_REPLACEMENTS = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "\t": "&#9;",
    "\n": "&#10;",
    "\r": "&#13;",
}


def _replace(match: re.Match[str]) -> str:
    return _REPLACEMENTS.get(match.group(), "\ufffd")


def escape_text(text: str) -> str:
    """``text`` as XML character data; characters XML cannot carry become U+FFFD."""
    if _TEXT_SPECIAL.search(text) is None:
        return text
    return _TEXT_SPECIAL.sub(_replace, text)


def escape_attribute(value: str) -> str:
    """``value`` for a double-quoted attribute, whitespace kept as character references."""
    if _ATTRIBUTE_SPECIAL.search(value) is None:
        return value
    return _ATTRIBUTE_SPECIAL.sub(_replace, value)


def split_clark(name: str) -> tuple[str, str]:
    """``{namespace}local`` (or a bare ``local``) as ``(namespace, local)``."""
    if name[:1] == "{":
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return "", name


@lru_cache(maxsize=1024)
def open_tag(name: str) -> str:
    """The start tag of the property ``name`` (Clark notation), declaring what it needs."""
    namespace, local = split_clark(name)
    if namespace == DAV_NS:
        return f"<D:{local}>"
    return f'<{local} xmlns="{escape_attribute(namespace)}">'


@lru_cache(maxsize=1024)
def close_tag(name: str) -> str:
    """The end tag matching :func:`open_tag`."""
    namespace, local = split_clark(name)
    return f"</D:{local}>" if namespace == DAV_NS else f"</{local}>"


@lru_cache(maxsize=1024)
def empty_element(name: str) -> str:
    """The property ``name`` as an empty element (for propname answers and 404 propstats)."""
    tag = open_tag(name)
    return tag[:-1] + "/>"


def serialize_element(element: Element, lang: str | None = None) -> str:
    """``element`` and its content as a self-contained fragment (see the module documentation).

    ``lang`` is the ``xml:lang`` in scope from the element's ancestors; it is written on the
    element unless the element sets its own. Raises :class:`~shallot.dav.errors.DAVError` (400)
    when the element nests deeper than :data:`MAX_DEPTH`.
    """
    out: list[str] = []
    _write(element, None, lang, out, 0)
    return "".join(out)


def _write(
    element: Element, parent_ns: str | None, lang: str | None, out: list[str], depth: int
) -> None:
    if depth > MAX_DEPTH:
        raise DAVError(400, f"a property value nests deeper than {MAX_DEPTH} elements")
    namespace, local = split_clark(element.tag)
    head = [local]
    if namespace != parent_ns:
        head.append(f' xmlns="{escape_attribute(namespace)}"')
    attributes = element.attrib
    if lang is not None and f"{{{XML_NS}}}lang" not in attributes:
        head.append(f' xml:lang="{escape_attribute(lang)}"')
    for index, (key, value) in enumerate(attributes.items()):
        attribute_ns, attribute_local = split_clark(key)
        if not attribute_ns:
            head.append(f' {attribute_local}="{escape_attribute(value)}"')
        elif attribute_ns == XML_NS:
            head.append(f' xml:{attribute_local}="{escape_attribute(value)}"')
        else:
            prefix = f"a{index}"
            head.append(
                f' xmlns:{prefix}="{escape_attribute(attribute_ns)}"'
                f' {prefix}:{attribute_local}="{escape_attribute(value)}"'
            )
    children = list(element)
    text = element.text
    if not children and not text:
        out.append(f"<{''.join(head)}/>")
    else:
        out.append(f"<{''.join(head)}>")
        if text:
            out.append(escape_text(text))
        for child in children:
            _write(child, namespace, None, out, depth + 1)
            if child.tail:
                out.append(escape_text(child.tail))
        out.append(f"</{local}>")

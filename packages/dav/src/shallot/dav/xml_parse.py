"""Reading XML request bodies safely: defusedxml, a size limit, and 400 for anything hostile.

Every XML body the server reads (PROPFIND, PROPPATCH, LOCK) goes through :func:`parse_body`:

- the body is read up to ``max_size`` bytes (413 past it, before reading when the length is
  declared);
- it is parsed by defusedxml with document type declarations forbidden outright, so entity
  expansion ("billion laughs"), external entities and external DTDs never happen;
- a body that is not well-formed, not namespace-well-formed, or hostile is answered with 400, and
  nothing else can come out of parsing.

Elements come back as ElementTree elements with Clark-notation tags (``{DAV:}prop``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.etree.ElementTree import ParseError

import defusedxml  # type: ignore[import-untyped, unused-ignore]  # typeshed stubs may be absent
import defusedxml.ElementTree  # type: ignore[import-untyped, unused-ignore]

from shallot.dav.body import has_body, read_body
from shallot.dav.errors import DAVError

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from _typeshed.wsgi import WSGIEnvironment

__all__ = ["parse_body", "parse_xml", "xml_body"]


def parse_xml(data: bytes) -> Element:
    """The root element of the document ``data``; 400 for malformed or hostile XML."""
    try:
        root: Element = defusedxml.ElementTree.fromstring(data, forbid_dtd=True)
    except ParseError as error:
        raise DAVError(400, f"the XML body is not well-formed ({error})") from None
    except defusedxml.DefusedXmlException:
        raise DAVError(400, "the XML body has a document type declaration or entities") from None
    except (ValueError, UnicodeError, RecursionError):
        raise DAVError(400, "the XML body cannot be read") from None
    return root


def xml_body(environ: WSGIEnvironment, max_size: int) -> bytes | None:
    """The request body's bytes, read within ``max_size``, or ``None`` for an empty (or blank)
    body: what :func:`parse_body` parses."""
    if not has_body(environ):
        return None
    data = read_body(environ, max_size)
    return data if data.strip() else None


def parse_body(environ: WSGIEnvironment, max_size: int) -> Element | None:
    """The request body's root element, or ``None`` for an empty body (see the module docs)."""
    data = xml_body(environ, max_size)
    return None if data is None else parse_xml(data)

"""PROPPATCH: set and remove dead properties, all or nothing (RFC 4918 section 9.2).

The ``propertyupdate`` instructions apply in document order (the last one for a name wins). A
live property is protected: the whole request fails, that property with 403
``cannot-modify-protected-property`` and the others with 424 Failed Dependency. Otherwise the
changes go to :class:`shallot.props.PropertyManager` in one atomic patch; a limit it enforces
fails every property with 507. Values are stored as self-contained XML fragments
(:func:`~shallot.dav.xml_write.serialize_element`), so Windows clients' Win32 properties
(``Win32CreationTime``, ``Win32FileAttributes`` ...) are kept like any other dead property.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shallot.dav.errors import DAVError
from shallot.dav.live_properties import LIVE_NAMES
from shallot.dav.multistatus import MultistatusResponse, status_element
from shallot.dav.xml_parse import parse_body
from shallot.dav.xml_write import XML_NS, empty_element, serialize_element
from shallot.props import PropertyError, PropertyLimitExceeded

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from _typeshed.wsgi import WSGIApplication

    from shallot.dav.handlers.context import DAVRequest

__all__ = ["handle", "parse_propertyupdate"]

_LANG = f"{{{XML_NS}}}lang"


def parse_propertyupdate(root: Element | None) -> list[tuple[str, str | None]]:
    """The instructions of a ``propertyupdate`` body in document order: (name, fragment) to set,
    (name, ``None``) to remove. 400 when the body is missing or not a ``propertyupdate``."""
    if root is None or root.tag != "{DAV:}propertyupdate":
        raise DAVError(400, "PROPPATCH needs a DAV:propertyupdate body")
    instructions: list[tuple[str, str | None]] = []
    root_lang = root.get(_LANG)
    for action in root:
        if action.tag not in ("{DAV:}set", "{DAV:}remove"):
            raise DAVError(400, "DAV:propertyupdate holds only DAV:set and DAV:remove")
        setting = action.tag == "{DAV:}set"
        action_lang = action.get(_LANG, root_lang)
        for container in action:
            if container.tag != "{DAV:}prop":
                raise DAVError(400, "DAV:set and DAV:remove hold DAV:prop")
            lang = container.get(_LANG, action_lang)
            for element in container:
                tag = element.tag
                name = tag if tag[:1] == "{" else "{}" + tag
                value = serialize_element(element, lang) if setting else None
                instructions.append((name, value))
    if not instructions:
        raise DAVError(400, "the DAV:propertyupdate names no property")
    return instructions


def handle(request: DAVRequest) -> WSGIApplication:
    """Apply a PROPPATCH and answer 207 with each property's status."""
    request.check_writable_share()
    info = request.info()
    if info is None:
        raise DAVError(404)
    request.check_conditions(info)
    request.check_locks(request.url)
    instructions = parse_propertyupdate(parse_body(request.environ, request.settings.max_xml_size))
    final: dict[str, str | None] = {}
    for name, value in instructions:
        final.pop(name, None)
        final[name] = value
    statuses: dict[str, int]
    protected = [name for name in final if name in LIVE_NAMES]
    if protected:
        statuses = {name: 403 if name in LIVE_NAMES else 424 for name in final}
    else:
        try:
            request.settings.props.patch(
                request.url,
                set={name: value for name, value in final.items() if value is not None},
                remove=[name for name, value in final.items() if value is None],
            )
            statuses = dict.fromkeys(final, 200)
        except PropertyLimitExceeded:
            statuses = dict.fromkeys(final, 507)
        except PropertyError:
            statuses = dict.fromkeys(final, 400)
    return MultistatusResponse([_response(request, info.is_collection, statuses)])


def _response(request: DAVRequest, collection: bool, statuses: dict[str, int]) -> str:
    groups: dict[int, list[str]] = {}
    for name, status in statuses.items():
        groups.setdefault(status, []).append(empty_element(name))
    propstats = "".join(
        f"<D:propstat><D:prop>{''.join(names)}</D:prop>{status_element(status)}"
        + ("<D:error><D:cannot-modify-protected-property/></D:error>" if status == 403 else "")
        + "</D:propstat>"
        for status, names in groups.items()
    )
    return (
        f"<D:response><D:href>{request.href(request.url, collection)}</D:href>"
        f"{propstats}</D:response>"
    )

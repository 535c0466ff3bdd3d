"""Reverse routing: the path of a route, built from its parameters.

Each value goes through its filter's ``to_url`` (``42`` → ``"42"``, a UUID → its canonical text),
must then match the filter's regex, as the request would have to, and is percent-encoded (``/``
kept only where the filter allows it, as ``path`` does). So a URL built here always routes back to
the route it was built from, with the same values; anything else is a
:class:`~shallot.routing.exceptions.BuildError` naming the parameter and the reason.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from shallot.routing.exceptions import BuildError
from shallot.routing.patterns import has_dot_segment

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from shallot.routing.table import Route

__all__ = ["build_path", "build_url"]

_LITERAL_SAFE = "/!$&'()*+,;=:@"


def build_path(route: Route, params: Mapping[str, object], endpoint: str) -> str:
    """The path of ``route`` with ``params`` (one value per group; see the module documentation).

    ``endpoint`` names what was asked for in errors.
    """
    pieces: list[str] = []
    for part in route.pattern.parts:
        if isinstance(part, str):
            pieces.append(quote(part, safe=_LITERAL_SAFE))
            continue
        value = params[part.name]
        where = f"parameter {part.name!r} of {route.pattern.text!r}"
        try:
            text = part.filter.to_url(value)
        except (TypeError, ValueError, ArithmeticError) as error:
            raise BuildError(endpoint, f"{where}: cannot convert {value!r}: {error}") from None
        if not isinstance(text, str) or part.filter.compiled.fullmatch(text) is None:
            raise BuildError(
                endpoint,
                f"{where}: {value!r} does not match filter {part.filter.name!r} "
                f"({part.filter.regex})",
            )
        pieces.append(quote(text, safe=part.filter.url_safe))
    path = "".join(pieces)
    if has_dot_segment(path):
        raise BuildError(endpoint, f"{path!r} has '.' or '..' segments, which are refused")
    return path


def build_url(
    routes: Sequence[Route], endpoint: str, params: Mapping[str, object], script_name: str = ""
) -> str:
    """The path of the first of ``routes`` whose groups are exactly the keys of ``params``,
    below ``script_name`` (percent-encoded, trailing ``/`` dropped).

    :class:`~shallot.routing.exceptions.BuildError` when ``routes`` is empty, when no route takes
    exactly those parameters (the message lists what each takes), or when a value is refused.
    """
    if not routes:
        raise BuildError(endpoint, "no route has this name or handler")
    given = set(params)
    for route in routes:
        if set(route.pattern.names) == given:
            prefix = quote(script_name.rstrip("/"), safe=_LITERAL_SAFE)
            return prefix + build_path(route, params, endpoint)
    takes = "; ".join(
        f"{route.pattern.text!r} takes {', '.join(route.pattern.names) or 'nothing'}"
        for route in routes
    )
    missing = sorted(set(routes[0].pattern.names) - given) if len(routes) == 1 else []
    detail = f"missing {', '.join(missing)}; " if missing else ""
    raise BuildError(
        endpoint, f"{detail}given {', '.join(sorted(given)) or 'nothing'}, but {takes}"
    )

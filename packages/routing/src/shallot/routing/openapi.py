"""OpenAPI request and response validation for an App, on openapi-core (extra ``openapi``).

::

    from shallot.routing.openapi import OpenAPIValidation

    validation = OpenAPIValidation.from_file("openapi.yaml")
    validation.install(app)          # a before hook and an after hook

Every routed request is checked against the spec before its handler runs: an unknown path is
answered 404, an operation the path lacks 405, failed security requirements 401, and any other
fault (a missing or ill-typed parameter, a body that breaks its schema) 400, each with an
``application/json`` body listing what was wrong. The unmarshalled result (typed parameters and
body) is left in the environ for the handler (:func:`request_result`). Each response of a
validated request is then checked too: one that breaks the spec is logged and replaced by a 500
(``strict_responses=False`` only logs it), since sending it would break the API's contract.
Requests the App answers without a route (404, 405, automatic ``OPTIONS``, default handlers)
are left alone, and so are streamed responses, whose bodies are not held in memory.

openapi-core is imported when a validation is created, so ``shallot-routing`` itself does not
need it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from shallot.http import BaseResponse, HTTPException, JSONResponse, Response, internal_error
from shallot.routing.recovery import logger, request_line

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from openapi_core import OpenAPI
    from openapi_core.unmarshalling.request.datatypes import RequestUnmarshalResult

    from shallot.http import Fields, Headers
    from shallot.routing.app import App
    from shallot.routing.request import RoutedRequest

__all__ = ["RESULT_KEY", "OpenAPIValidation", "request_result"]

RESULT_KEY = "shallot.routing.openapi"
"""The environ key under which the unmarshalled request is left for the handler."""

_INSTALL_HINT = "OpenAPI validation needs openapi-core: pip install 'shallot-routing[openapi]'"


class _QueryMapping(Mapping[str, str]):
    """Query fields as openapi-core reads them: first value by name, and ``getlist``."""

    def __init__(self, fields: Fields) -> None:
        self._fields = fields

    def __getitem__(self, name: str) -> str:
        return self._fields[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def getlist(self, name: str) -> list[str]:
        return self._fields.getlist(name)


class _HeaderMapping(Mapping[str, str]):
    """Response headers looked up case-insensitively, as a spec names them."""

    def __init__(self, headers: Headers) -> None:
        self._headers = headers

    def __getitem__(self, name: str) -> str:
        return self._headers[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._headers.keys())

    def __len__(self) -> int:
        return len(self._headers)


class _OpenAPIRequest:
    """A request as openapi-core's ``Request`` protocol describes it."""

    def __init__(self, request: RoutedRequest) -> None:
        from openapi_core.datatypes import RequestParameters

        self._request = request
        self.parameters = RequestParameters(
            query=_QueryMapping(request.args),
            header=request.headers,
            cookie=request.cookies,
        )

    @property
    def host_url(self) -> str:
        return self._request.host_url

    @property
    def path(self) -> str:
        return self._request.full_path

    @property
    def method(self) -> str:
        return self._request.method.lower()

    @property
    def body(self) -> bytes | None:
        return self._request.body or None

    @property
    def content_type(self) -> str:
        value: str = self._request.environ.get("CONTENT_TYPE") or "application/octet-stream"
        return value.lower()


class _OpenAPIResponse:
    """A response held in memory, as openapi-core's ``Response`` protocol describes it."""

    def __init__(self, response: Response) -> None:
        self._response = response

    @property
    def status_code(self) -> int:
        return self._response.status_code

    @property
    def content_type(self) -> str:
        return (self._response.content_type or "").lower()

    @property
    def headers(self) -> Mapping[str, str]:
        return _HeaderMapping(self._response.headers)

    @property
    def data(self) -> bytes:
        return self._response.data


def _status_for(errors: Iterable[Exception]) -> int:
    from openapi_core.templating.paths.exceptions import (
        OperationNotFound,
        PathNotFound,
        ServerNotFound,
    )
    from openapi_core.validation.request.exceptions import SecurityValidationError

    for error in errors:
        if isinstance(error, (PathNotFound, ServerNotFound)):
            return 404
        if isinstance(error, OperationNotFound):
            return 405
        if isinstance(error, SecurityValidationError):
            return 401
    return 400


def _describe(error: BaseException) -> list[str]:
    """What was wrong, as messages: the error, and the schema errors it was caused by."""
    messages = [str(error)]
    cause = error.__cause__
    if cause is not None:
        schema_errors = getattr(cause, "schema_errors", None)
        if schema_errors:
            messages.extend(str(getattr(item, "message", item)) for item in schema_errors)
        else:
            messages.append(str(cause))
    return messages


def request_result(request: RoutedRequest) -> RequestUnmarshalResult | None:
    """The unmarshalled request (``.parameters``, ``.body``) left by the validation, if any."""
    result: RequestUnmarshalResult | None = request.environ.get(RESULT_KEY)
    return result


class OpenAPIValidation:
    """Validates an App's requests and responses against an OpenAPI 3 spec (see the module
    documentation). Build it with :meth:`from_dict` or :meth:`from_file`, then :meth:`install`.
    """

    def __init__(self, openapi: OpenAPI, *, strict_responses: bool = True) -> None:
        self.openapi = openapi
        self.strict_responses = strict_responses

    @classmethod
    def from_dict(
        cls, spec: Mapping[str, object], *, strict_responses: bool = True
    ) -> OpenAPIValidation:
        """Validation against the spec ``spec`` (checked now: an invalid spec raises)."""
        try:
            from openapi_core import OpenAPI
        except ImportError as error:
            raise ImportError(_INSTALL_HINT) from error
        return cls(OpenAPI.from_dict(dict(spec)), strict_responses=strict_responses)

    @classmethod
    def from_file(cls, path: str | Path, *, strict_responses: bool = True) -> OpenAPIValidation:
        """Validation against the spec in the JSON or YAML file at ``path``."""
        try:
            from openapi_core import OpenAPI
        except ImportError as error:
            raise ImportError(_INSTALL_HINT) from error
        return cls(OpenAPI.from_file_path(str(path)), strict_responses=strict_responses)

    def install(self, app: App) -> None:
        """Add :meth:`validate_request` and :meth:`validate_response` as ``app``'s hooks."""
        app.add_before_response(self.validate_request)
        app.add_after_response(self.validate_response)

    def validate_request(self, request: RoutedRequest) -> None:
        """Before hook: check a routed request, answering 4xx when it breaks the spec."""
        if request.route is None:
            return
        result = self.openapi.unmarshal_request(_OpenAPIRequest(request))
        errors = list(result.errors)
        if errors:
            messages = [message for error in errors for message in _describe(error)]
            status = _status_for(errors)
            raise HTTPException(JSONResponse({"errors": messages}, status))
        request.environ[RESULT_KEY] = result

    def validate_response(self, request: RoutedRequest, response: BaseResponse) -> BaseResponse:
        """After hook: check the response of a validated request; see the module documentation."""
        if RESULT_KEY not in request.environ or not isinstance(response, Response):
            return response
        result = self.openapi.unmarshal_response(
            _OpenAPIRequest(request), _OpenAPIResponse(response)
        )
        if not result.errors:
            return response
        messages = [message for error in result.errors for message in _describe(error)]
        logger.error(
            "%s: the response breaks the OpenAPI spec: %s", request_line(request), messages
        )
        return internal_error() if self.strict_responses else response

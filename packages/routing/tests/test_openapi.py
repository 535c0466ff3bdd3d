"""OpenAPI validation hooks, against a small spec: valid and invalid requests and responses."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

import pytest

from shallot.http import GeneratorResponse, JSONLike
from shallot.routing import App, RoutedRequest
from shallot.routing.openapi import OpenAPIValidation, request_result
from shallot.testing import fetch

if TYPE_CHECKING:
    from pathlib import Path

    from shallot.testing import Call, Serve

PET = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {"id": {"type": "integer"}, "name": {"type": "string", "minLength": 1}},
    "additionalProperties": False,
}
SPEC: dict[str, object] = {
    "openapi": "3.0.3",
    "info": {"title": "pets", "version": "1"},
    "components": {
        "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-API-Key"}}
    },
    "paths": {
        "/pets/{id}": {
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
            ],
            "get": {
                "parameters": [{"name": "verbose", "in": "query", "schema": {"type": "boolean"}}],
                "responses": {
                    "200": {
                        "description": "a pet",
                        "content": {"application/json": {"schema": PET}},
                    }
                },
            },
            "delete": {"security": [{"key": []}], "responses": {"204": {"description": "gone"}}},
        },
        "/pets": {
            "post": {
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {"name": {"type": "string", "minLength": 1}},
                            }
                        }
                    },
                },
                "responses": {
                    "201": {"description": "made", "content": {"application/json": {"schema": PET}}}
                },
            },
            "get": {
                "responses": {
                    "200": {
                        "description": "all",
                        "content": {"application/json": {"schema": {"type": "array"}}},
                    }
                }
            },
        },
    },
}


def pet_app(validation: OpenAPIValidation) -> App:
    app = App()
    validation.install(app)

    @app.route("/pets/<id:int>")
    def get_pet(req: RoutedRequest, id: int) -> dict[str, JSONLike]:
        result = request_result(req)
        assert result is not None
        assert result.parameters.path == {"id": id}
        if id == 13:
            return {"id": id, "name": ""}  # breaks the spec
        return {"id": id, "name": "Rex"}

    @app.route("/pets/<id:int>", "DELETE")
    def delete_pet(req: RoutedRequest, id: int) -> None:
        return None

    @app.route("/pets", "POST")
    def add_pet(req: RoutedRequest) -> tuple[dict[str, JSONLike], None, None, int]:
        result = request_result(req)
        assert result is not None
        assert isinstance(result.body, dict)
        return {"id": 1, "name": result.body["name"]}, None, None, 201

    @app.route("/pets")
    def all_pets(req: RoutedRequest) -> GeneratorResponse:
        return GeneratorResponse(iter([b"not json"]), "application/json")  # streamed: skipped

    @app.route("/unspecified")
    def unspecified(req: RoutedRequest) -> str:
        return "not in the spec"

    @app.default()
    def fallback(req: RoutedRequest) -> str:
        return "default: not validated"

    return app


@pytest.fixture
def app() -> App:
    return pet_app(OpenAPIValidation.from_dict(SPEC))


def test_valid_requests_pass_with_their_unmarshalled_values(app: App, call: Call) -> None:
    reply = call(app, "/pets/7?verbose=true")
    assert (reply.status, json.loads(reply.body)) == (200, {"id": 7, "name": "Rex"})
    body = json.dumps({"name": "Tom"}).encode()
    reply = call(app, "/pets", "POST", {"Content-Type": "application/json"}, body)
    assert (reply.status, json.loads(reply.body)) == (201, {"id": 1, "name": "Tom"})
    reply = call(app, "/pets/7", "DELETE", {"X-API-Key": "secret"})
    assert reply.status == 204


@pytest.mark.parametrize(
    ("target", "method", "headers", "body", "status", "message"),
    [
        ("/pets/7?verbose=maybe", "GET", {}, b"", 400, "Failed to cast value to boolean"),
        ("/pets", "POST", {"Content-Type": "application/json"}, b'{"name": ""}', 400, "non-empty"),
        ("/pets", "POST", {"Content-Type": "application/json"}, b"{", 400, "deserialize"),
        ("/pets", "POST", {"Content-Type": "application/json"}, b"{}", 400, "'name' is a required"),
        ("/pets", "POST", {"Content-Type": "text/plain"}, b"x", 400, "text/plain"),
        ("/pets/7", "DELETE", {}, b"", 401, "ecurity"),
        ("/unspecified", "GET", {}, b"", 404, "/unspecified"),
        ("/pets", "PUT", {}, b"", 405, "put"),
    ],
)
def test_invalid_requests_are_refused_with_reasons(
    app: App,
    call: Call,
    target: str,
    method: str,
    headers: dict[str, str],
    body: bytes,
    status: int,
    message: str,
) -> None:
    app.set_route("/pets", lambda req: "", "PUT")  # routed, so validated; the spec lacks it
    reply = call(app, target, method, headers, body)
    assert reply.status == status
    assert reply.headers["Content-Type"] == "application/json; charset=utf-8"
    errors = json.loads(reply.body)["errors"]
    assert any(message in error for error in errors), errors


def test_invalid_responses_are_logged_and_replaced(
    call: Call, caplog: pytest.LogCaptureFixture
) -> None:
    strict = pet_app(OpenAPIValidation.from_dict(SPEC))
    with caplog.at_level(logging.ERROR, logger="shallot.routing"):
        reply = call(strict, "/pets/13")
    assert (reply.status, reply.body) == (500, b"500 Internal Server Error\n")
    assert "GET /pets/13: the response breaks the OpenAPI spec" in caplog.text
    assert "should be non-empty" in caplog.text
    caplog.clear()
    lenient = pet_app(OpenAPIValidation.from_dict(SPEC, strict_responses=False))
    with caplog.at_level(logging.ERROR, logger="shallot.routing"):
        reply = call(lenient, "/pets/13")
    assert json.loads(reply.body) == {"id": 13, "name": ""}
    assert "breaks the OpenAPI spec" in caplog.text


def test_what_is_left_alone(app: App, call: Call) -> None:
    assert call(app, "/pets").body == b"not json"  # a streamed response
    assert call(app, "/elsewhere").body == b"default: not validated"
    assert call(app, "/pets/1", "OPTIONS").status == 204  # answered by the App itself


def test_from_file_and_served(tmp_path: Path, serve: Serve) -> None:
    spec_file = tmp_path / "openapi.json"
    spec_file.write_text(json.dumps(SPEC), encoding="utf-8")
    base = serve(pet_app(OpenAPIValidation.from_file(spec_file)))
    assert json.loads(fetch(base, "/pets/5").body) == {"id": 5, "name": "Rex"}
    assert fetch(base, "/pets/5?verbose=3").status == 400
    assert fetch(base, "/pets/13").status == 500


def test_an_invalid_spec_is_refused() -> None:
    with pytest.raises(Exception, match="openapi"):
        OpenAPIValidation.from_dict({"openapi": "3.0.3", "info": {}})

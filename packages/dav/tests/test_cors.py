"""CORS: preflights answered in front of authentication, headers for allowed origins only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shallot.dav import DAVConfig, build_app

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from packages.dav.tests.conftest import Result


def test_allowed_origin(share: Path, send: Callable[..., Result]) -> None:
    app = build_app(
        DAVConfig(
            shares={"/": share},
            cors_origins=("https://app.example",),
            auth="digest",
            users={"ann": "pw"},
        )
    )
    preflight = send(
        app,
        "OPTIONS",
        "/",
        {
            "Origin": "https://app.example",
            "Access-Control-Request-Method": "PROPFIND",
            "Access-Control-Request-Headers": "depth, authorization",
        },
    )
    assert preflight.status == 204
    assert preflight.headers["access-control-allow-origin"] == "https://app.example"
    assert "PROPFIND" in preflight.headers["access-control-allow-methods"]
    assert preflight.headers["access-control-allow-headers"] == "depth, authorization"
    assert preflight.headers["access-control-allow-credentials"] == "true"
    actual = send(app, "PROPFIND", "/", {"Origin": "https://app.example", "Depth": "0"})
    assert actual.status == 401
    assert actual.headers["access-control-allow-origin"] == "https://app.example"
    assert "Lock-Token" in actual.headers["access-control-expose-headers"]
    stranger = send(
        app,
        "OPTIONS",
        "/",
        {"Origin": "https://evil.example", "Access-Control-Request-Method": "PUT"},
    )
    assert "access-control-allow-origin" not in stranger.headers
    assert stranger.status == 401
    app.close()


def test_any_origin(share: Path, send: Callable[..., Result]) -> None:
    app = build_app(DAVConfig(shares={"/": share}, cors_origins=("*",)))
    result = send(app, "GET", "/", {"Origin": "https://anyone.example"})
    assert result.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in result.headers
    assert "access-control-allow-origin" not in send(app, "GET", "/").headers
    app.close()

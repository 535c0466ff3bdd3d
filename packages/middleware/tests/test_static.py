"""Static: files served through FileResponse, everything else left to the application, and no
path (encoded, symlinked or Windows-styled) escaping an export."""

from __future__ import annotations

import gzip
import os
import subprocess
from typing import TYPE_CHECKING
from urllib.parse import quote
from wsgiref.util import FileWrapper

import httpx
import pytest

from shallot.middleware import ExportError, Static
from shallot.testing import fetch, validated

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from _typeshed.wsgi import WSGIEnvironment

    from packages.middleware.tests.conftest import Send
    from shallot.testing import Serve


def app(environ: WSGIEnvironment, start_response: Callable[..., object]) -> list[bytes]:
    """The application behind: says it was reached, and with which path."""
    body = f"app {environ['REQUEST_METHOD']} {environ['PATH_INFO']}".encode("latin-1")
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


@pytest.fixture
def public(tmp_path: Path) -> Path:
    root = tmp_path / "public"
    (root / "docs").mkdir(parents=True)
    (root / "empty").mkdir()
    (root / ".git").mkdir()
    (root / "hello.txt").write_text("hello world\n")
    (root / "data.bin").write_bytes(bytes(range(256)) * 4)
    (root / "unknown.zzqx").write_bytes(b"?")
    (root / "docs" / "index.html").write_text("<h1>docs</h1>")
    (root / "settings.py").write_text("SECRET = 1")
    (root / ".env").write_text("TOKEN=1")
    (root / ".git" / "config").write_text("[core]")
    (root / "café.txt").write_text("accents")
    (root / "日本語.txt").write_text("nihongo")
    (tmp_path / "secret.txt").write_text("TOP SECRET")
    (root / "leak").symlink_to(tmp_path / "secret.txt")
    (root / "etc").symlink_to("/etc")
    (root / "alias.txt").symlink_to(root / "hello.txt")
    return root


@pytest.fixture
def static(public: Path) -> Static:
    return Static(app, {"/static": public}, disallow=["*.py", ".*"])


def test_file_with_validators_and_cache(static: Static, send: Send) -> None:
    answer = send(static, "/static/hello.txt")
    assert (answer.status, answer.body) == (200, b"hello world\n")
    assert answer.header("Content-Type") == "text/plain; charset=utf-8"
    assert answer.header("Content-Length") == "12"
    assert answer.header("Cache-Control") == "public, max-age=43200"
    assert answer.header("ETag") is not None
    assert answer.header("Last-Modified") is not None
    assert answer.header("Vary") is None
    assert send(static, "/static/alias.txt").body == b"hello world\n"


def test_without_cache_still_conditional(public: Path, send: Send) -> None:
    static = Static(app, {"/static": public}, cache=False, cache_timeout=5)
    answer = send(static, "/static/hello.txt")
    assert answer.header("Cache-Control") is None
    etag = answer.header("ETag")
    assert etag is not None
    again = send(static, "/static/hello.txt", headers={"If-None-Match": etag})
    assert (again.status, again.body) == (304, b"")


def test_head_and_fallback_type(public: Path, send: Send) -> None:
    static = Static(app, {"/static": public}, fallback_mimetype="application/x-custom")
    head = send(static, "/static/hello.txt", "HEAD")
    assert (head.status, head.body, head.header("Content-Length")) == (200, b"", "12")
    assert send(static, "/static/unknown.zzqx").header("Content-Type") == "application/x-custom"
    assert send(static, "/static/data.bin").header("Content-Type") == "application/octet-stream"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/static/hello.txt"),
        ("PUT", "/static/hello.txt"),
        ("GET", "/static/missing.txt"),
        ("GET", "/staticfiles/hello.txt"),
        ("GET", "/other"),
        ("GET", "/static/hello.txt/"),
        ("GET", "/static/empty/"),
        ("GET", "/static/settings.py"),
        ("GET", "/static/.env"),
        ("GET", "/static/.git/config"),
        ("GET", "/static/%2e%2e/secret.txt"),  # double-encoded: a literal (missing) name
    ],
)
def test_left_to_the_application(static: Static, send: Send, method: str, path: str) -> None:
    answer = send(static, path, method)
    assert (answer.status, answer.body) == (200, f"app {method} {path}".encode())


def test_index_files(public: Path, send: Send) -> None:
    static = Static(app, {"/static": public})
    assert send(static, "/static/docs/").body == b"<h1>docs</h1>"
    moved = send(static, "/static/docs", QUERY_STRING="a=1", SCRIPT_NAME="/site")
    assert moved.status == 301
    assert moved.header("Location") == "/site/static/docs/?a=1"
    assert send(static, "/static/empty").body == b"app GET /static/empty"
    plain = Static(app, {"/static": public}, index=())
    assert send(plain, "/static/docs/").body == b"app GET /static/docs/"


def test_exports_single_file_longest_first_and_fallthrough(
    public: Path, tmp_path: Path, send: Send
) -> None:
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "hello.txt").write_text("overlaid")
    static = Static(
        app,
        {
            "/": overlay,
            "/static": overlay,
            "/static/": public,  # the same prefix again: the later one is tried too
            "/robots.txt": public / "hello.txt",
        },
    )
    assert send(static, "/hello.txt").body == b"overlaid"
    assert send(static, "/robots.txt").body == b"hello world\n"
    assert send(static, "/robots.txt/x").body == b"app GET /robots.txt/x"
    assert send(static, "/static/data.bin").status == 200
    assert [export.prefix for export in static.exports][-1] == ""


def test_file_wrapper_is_used(static: Static, send: Send) -> None:
    bodies: list[object] = []
    answer = send(
        validated(static, bodies), "/static/data.bin", environ={"wsgi.file_wrapper": FileWrapper}
    )
    assert answer.body == bytes(range(256)) * 4
    assert isinstance(bodies[0], FileWrapper)


@pytest.mark.parametrize("name", ["café.txt", "日本語.txt"])
def test_non_ascii_names_over_http(static: Static, serve: Serve, name: str) -> None:
    base = serve(static)
    expected = {"café.txt": b"accents", "日本語.txt": b"nihongo"}[name]
    response = httpx.get(f"{base}/static/{name}")
    assert (response.status_code, response.content) == (200, expected)
    assert fetch(base, "/static/" + quote(name)).body == expected


@pytest.mark.parametrize(
    "path",
    [
        "/static/%2e%2e/secret.txt",
        "/static/..%2fsecret.txt",
        "/static/docs/%2E%2E/%2E%2E/secret.txt",
        "/static/%5c..%5csecret.txt",
        "/static/..%5csecret.txt",
        "/static/hello.txt%00.png",
        "/static/C:/Windows/win.ini",
        "/static/c:%5cboot.ini",
        "/static/leak",
        "/static/etc/passwd",
        "/static/etc/hostname",
        "/static/%ff.txt",
        "/static/%c3%28",
    ],
)
def test_escapes_are_refused_over_http(static: Static, serve: Serve, path: str) -> None:
    reply = fetch(serve(static), path)
    assert reply.status == 404
    assert b"SECRET" not in reply.body
    assert b"app" not in reply.body
    assert b"root:" not in reply.body


def test_double_encoding_stays_a_literal_name(static: Static, serve: Serve) -> None:
    reply = fetch(serve(static), "/static/%252e%252e/secret.txt")
    assert (reply.status, reply.body) == (200, b"app GET /static/%2e%2e/secret.txt")


def test_ranges_and_conditionals_with_curl(static: Static, serve: Serve, tmp_path: Path) -> None:
    base = serve(static)
    url = f"{base}/static/data.bin"
    data = bytes(range(256)) * 4

    def curl(*arguments: str) -> tuple[str, bytes]:
        out = tmp_path / "curl.out"
        out.unlink(missing_ok=True)
        done = subprocess.run(
            ["curl", "-s", "-o", str(out), "-w", "%{http_code}", *arguments, url],
            capture_output=True,
            check=True,
            timeout=30,
        )
        return done.stdout.decode(), out.read_bytes() if out.exists() else b""

    assert curl("-r", "10-19") == ("206", data[10:20])
    assert curl("-r", "5000-6000")[0] == "416"
    status, body = curl("-r", "0-1,4-5")
    assert status == "206"
    assert b"Content-Range: bytes 0-1/1024\r\n\r\n\x00\x01" in body
    assert b"Content-Range: bytes 4-5/1024\r\n\r\n\x04\x05" in body
    response = httpx.get(url)
    etag = response.headers["ETag"]
    assert curl("-H", f"If-None-Match: {etag}") == ("304", b"")
    assert curl("-H", f"If-Modified-Since: {response.headers['Last-Modified']}")[0] == "304"
    assert curl("-H", 'If-Match: "other"')[0] == "412"
    assert curl("-r", "0-3", "-H", 'If-Range: "other"') == ("200", data)
    assert httpx.head(url).headers["Content-Length"] == str(len(data))


@pytest.fixture
def compressed(public: Path) -> Path:
    script = b"console.log('plain');\n" * 20
    (public / "app.js").write_bytes(script)
    (public / "app.js.gz").write_bytes(gzip.compress(script))
    (public / "app.js.br").write_bytes(b"brotli-bytes")
    (public / "only.css").write_text("body{}")
    (public / "only.css.gz").write_bytes(gzip.compress(b"body{}"))
    return public


def test_precompressed_siblings(compressed: Path, static: Static, send: Send) -> None:
    br = send(static, "/static/app.js", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert (br.body, br.header("Content-Encoding")) == (b"brotli-bytes", "br")
    assert br.header("Content-Type") == "text/javascript; charset=utf-8"
    assert br.header("Vary") == "Accept-Encoding"
    gz = send(static, "/static/app.js", headers={"Accept-Encoding": "gzip"})
    assert gz.header("Content-Encoding") == "gzip"
    assert gzip.decompress(gz.body) == b"console.log('plain');\n" * 20
    plain = send(static, "/static/app.js", headers={"Accept-Encoding": "br;q=0, gzip;q=0"})
    assert plain.header("Content-Encoding") is None
    assert plain.header("Vary") == "Accept-Encoding"
    bare = send(static, "/static/app.js")
    assert (bare.header("Content-Encoding"), bare.header("Vary")) == (None, None)
    etags = {answer.header("ETag") for answer in (br, gz, plain)}
    assert len(etags) == 3
    css = send(static, "/static/only.css", headers={"Accept-Encoding": "br, gzip"})
    assert css.header("Content-Encoding") == "gzip"
    tagged = send(
        static,
        "/static/app.js",
        headers={"Accept-Encoding": "gzip", "If-None-Match": str(br.header("ETag"))},
    )
    assert tagged.status == 200  # the br tag does not validate the gzip answer
    none = Static(app, {"/static": compressed}, encodings=())
    assert send(none, "/static/app.js", headers={"Accept-Encoding": "br"}).header("Vary") is None


def test_precompressed_sibling_leading_out_is_refused(
    compressed: Path, tmp_path: Path, static: Static, send: Send
) -> None:
    (compressed / "only.css.gz").unlink()
    (compressed / "only.css.gz").symlink_to(tmp_path / "secret.txt")
    answer = send(static, "/static/only.css", headers={"Accept-Encoding": "gzip"})
    assert answer.status == 404
    assert b"SECRET" not in answer.body


def test_package_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, send: Send) -> None:
    package = tmp_path / "shallot_static_pkg"
    (package / "assets").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "assets" / "logo.svg").write_text("<svg/>")
    monkeypatch.syspath_prepend(str(tmp_path))
    static = Static(app, {"/assets": ("shallot_static_pkg", "assets")})
    answer = send(static, "/assets/logo.svg")
    assert (answer.status, answer.body) == (200, b"<svg/>")
    assert answer.header("Content-Type") == "image/svg+xml"


def test_vanished_single_file_goes_to_the_application(tmp_path: Path, send: Send) -> None:
    single = tmp_path / "robots.txt"
    single.write_text("User-agent: *")
    static = Static(app, {"/robots.txt": single})
    assert send(static, "/robots.txt").body == b"User-agent: *"
    os.remove(single)
    assert send(static, "/robots.txt").body == b"app GET /robots.txt"


@pytest.mark.parametrize(
    "options",
    [
        {"cache_timeout": -1},
        {"cache_timeout": 1.5},
        {"cache_timeout": True},
        {"fallback_mimetype": "text/plain\r\nX: y"},
        {"encodings": ("deflate",)},
        {"index": ("../index.html",)},
        {"index": ("",)},
    ],
)
def test_bad_options(public: Path, options: dict[str, object]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011  # each option has its own message
        Static(app, {"/static": public}, **options)  # type: ignore[arg-type]  # wrong on purpose


def test_bad_export(public: Path) -> None:
    with pytest.raises(ExportError):
        Static(app, {"static": public})

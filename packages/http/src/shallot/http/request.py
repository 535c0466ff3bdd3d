"""The request: a typed, lazily computed view of one WSGI environ, with bounded body reading.

:class:`Request` answers the questions handlers ask (method, path, query arguments, form fields,
uploads, JSON, cookies, credentials, proxy headers) straight from the environ, computing each on
first use. Every body reader applies the application's :class:`~shallot.http.limits.RequestLimits`,
and bad input becomes an :class:`~shallot.http.exceptions.HTTPException` with a 4xx status, never a
server error. :class:`InputStream` is the bounded reader over ``wsgi.input`` they all share.
"""

from __future__ import annotations

import io
import json
import warnings
from typing import TYPE_CHECKING, NoReturn

from python_multipart.multipart import parse_options_header

from shallot.http.authorization import Authorization, MalformedAuthorization, parse_authorization
from shallot.http.cookies import parse_cookie_header
from shallot.http.exceptions import HTTPException
from shallot.http.fields import Fields, parse_query
from shallot.http.forms import CHUNK_SIZE, parse_multipart
from shallot.http.forwarded import ForwardedInfo, forwarded_info
from shallot.http.limits import DEFAULT_LIMITS, RequestLimits
from shallot.http.session import SESSION_ENVIRON_KEY, NoSessionError
from shallot.http.status import BAD_REQUEST, CONTENT_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE
from shallot.http.uploads import Files

with warnings.catch_warnings():
    # WebOb 1.8 imports the deprecated cgi module: a warning no user of shallot can act on.
    warnings.filterwarnings("ignore", "'cgi' is deprecated", DeprecationWarning)
    from webob.request import BaseRequest

if TYPE_CHECKING:
    from collections.abc import Mapping

    from _typeshed.wsgi import InputStream as WSGIInputStream
    from _typeshed.wsgi import WSGIEnvironment
    from webob.acceptparse import (
        AcceptCharsetInvalidHeader,
        AcceptCharsetNoHeader,
        AcceptCharsetValidHeader,
        AcceptEncodingInvalidHeader,
        AcceptEncodingNoHeader,
        AcceptEncodingValidHeader,
        AcceptInvalidHeader,
        AcceptLanguageInvalidHeader,
        AcceptLanguageNoHeader,
        AcceptLanguageValidHeader,
        AcceptNoHeader,
        AcceptValidHeader,
    )
    from webob.headers import EnvironHeaders

    from shallot.http.session import RequestSession
    from shallot.http.types import JSONValue
    from shallot.http.uploads import FileFactory

__all__ = ["InputStream", "Request"]

_DEFAULT_PORTS = {"http": ":80", "https": ":443"}
_URLENCODED = "application/x-www-form-urlencoded"
# The parameters of every Content-Type that has none: read only, never handed out.
_NO_PARAMETERS: dict[str, str] = {}
_NO_FILES = Files()  # immutable, so every form without uploads can share it


def _wsgi_text(value: str) -> str:
    """A WSGI (latin-1 transported) string as the UTF-8 text it carries."""
    if value.isascii():
        return value
    try:
        return value.encode("latin-1").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return value


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not valid JSON")


class InputStream:
    """A reader over ``wsgi.input`` that never reads past the end of the request body.

    ``length`` is the body's size (its Content-Length), or ``None`` when the server marks the input
    as terminated (``wsgi.input_terminated``, e.g. a chunked request), in which case the stream ends
    where the input does. ``read`` and ``readline`` return ``b""`` at the end of the body. When the
    input ends before ``length`` bytes arrived (the client went away), :attr:`truncated` becomes
    true.
    """

    __slots__ = ("_raw", "_remaining", "truncated")

    def __init__(self, raw: WSGIInputStream, length: int | None) -> None:
        self._raw = raw
        self._remaining = length
        self.truncated = False

    @property
    def remaining(self) -> int | None:
        """Bytes of the body not read yet; ``None`` when the length is not known."""
        return self._remaining

    def read(self, size: int = -1, /) -> bytes:
        """Up to ``size`` bytes of the body (all the rest when ``size`` is negative)."""
        remaining = self._remaining
        if size < 0:
            chunk = self.read(CHUNK_SIZE if remaining is None else remaining)
            if not chunk or self._remaining == 0:
                return chunk  # all of it at once, as a body with a Content-Length usually comes
            chunks: list[bytes] = []
            while chunk:
                chunks.append(chunk)
                chunk = self.read(CHUNK_SIZE if self._remaining is None else self._remaining)
            return b"".join(chunks)
        if remaining is None:
            return self._raw.read(size)
        size = min(size, remaining)
        if size == 0:
            return b""
        data = self._raw.read(size)
        if not data:
            self.truncated = True
            self._remaining = 0
            return data
        self._remaining = remaining - len(data)
        return data

    def readline(self, size: int = -1, /) -> bytes:
        """One line of the body, ending in ``b"\\n"`` unless the body or ``size`` ends first."""
        remaining = self._remaining
        if remaining is None:
            return self._raw.readline(size)
        if size < 0 or size > remaining:
            size = remaining
        if size == 0:
            return b""
        line = self._raw.readline(size)
        if not line:
            self.truncated = True
            self._remaining = 0
            return line
        self._remaining = remaining - len(line)
        return line


class Request:
    """A thin, typed wrapper around one WSGI environ.

    Why not a ``webob.Request`` subclass: types-webob types ``json`` and ``authorization`` as
    descriptors whose types conflict with the validated behaviour promised here; WebOb's ``path``
    means SCRIPT_NAME + PATH_INFO where Werkzeug and PoorWSGI users expect PATH_INFO; and
    ``webob.Request`` inherits a ``__getattr__`` returning ``Any`` that hides typos from the type
    checker. So hot attributes read the environ directly, and :attr:`webob` (a
    ``webob.request.BaseRequest`` on the same environ, made on first use) gives all of WebOb;
    ``accept*``, ``headers``, ``url``, ``host_url``, ``application_url`` and ``user_agent``
    delegate to it.

    Attributes are computed on first use; the costly ones are cached (in ``__slots__``, so a
    request stays small and creating one is cheap). ``limits`` bound every body reader;
    ``file_factory`` makes the files uploads are written to. The body can be read once: ``body``,
    ``json`` and urlencoded ``form`` share the cached bytes, while parsing a multipart ``form`` or
    reading ``stream`` yourself consumes it.
    """

    __slots__ = (
        "_args",
        "_authorization",
        "_body",
        "_content_type",
        "_cookies",
        "_form",
        "_forwarded",
        "_json",
        "_stream",
        "_user",
        "_webob",
        "environ",
        "file_factory",
        "limits",
    )

    _args: Fields | None
    _authorization: Authorization | None
    _body: bytes | HTTPException | None
    _content_type: tuple[str, dict[str, str]] | None
    _cookies: Mapping[str, str]
    _form: tuple[Fields, Files] | HTTPException | None
    _forwarded: ForwardedInfo
    _json: JSONValue
    _stream: InputStream | None
    _user: str | None
    _webob: BaseRequest

    def __init__(
        self,
        environ: WSGIEnvironment,
        limits: RequestLimits | None = None,
        file_factory: FileFactory | None = None,
    ) -> None:
        self.environ = environ
        self.limits = DEFAULT_LIMITS if limits is None else limits
        self.file_factory = file_factory
        # The caches a form or body read goes through start empty, so that first read does not
        # pay for an AttributeError (the other caches are rarer and left unset until used).
        self._args = self._body = self._content_type = self._form = self._stream = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.method} {self.full_path!r}>"

    @property
    def method(self) -> str:
        """The request method as sent (``"GET"``, ``"PROPFIND"``...), a plain ``str``."""
        method: str = self.environ.get("REQUEST_METHOD", "GET")
        return method

    @property
    def path(self) -> str:
        """PATH_INFO as text (UTF-8, undecodable bytes as U+FFFD); ``"/"`` when empty."""
        return _wsgi_text(self.environ.get("PATH_INFO", "")) or "/"

    @property
    def root_path(self) -> str:
        """SCRIPT_NAME (where the application is mounted) as text; ``""`` at the root."""
        return _wsgi_text(self.environ.get("SCRIPT_NAME", ""))

    @property
    def full_path(self) -> str:
        """:attr:`root_path` followed by :attr:`path`."""
        return self.root_path + self.path

    @property
    def query_string(self) -> str:
        """QUERY_STRING as the server gave it (still percent-encoded)."""
        query: str = self.environ.get("QUERY_STRING", "")
        return query

    @property
    def args(self) -> Fields:
        """The query-string fields (see :func:`~shallot.http.fields.parse_query`).

        More than ``limits.max_form_fields`` pairs gives 413.
        """
        args = self._args
        if args is None:
            args = self._args = parse_query(
                self.environ.get("QUERY_STRING", ""), max_fields=self.limits.max_form_fields
            )
        return args

    @property
    def content_length(self) -> int | None:
        """CONTENT_LENGTH as an int; ``None`` when absent or empty; 400 when not a number."""
        value: str | None = self.environ.get("CONTENT_LENGTH")
        if not value:
            return None
        if len(value) < 19 and value.isdigit() and value.isascii():  # the usual case, first
            return int(value)
        value = value.strip(" \t")
        if not value:
            return None
        if not (value.isascii() and value.isdigit()):
            raise HTTPException(BAD_REQUEST, "invalid Content-Length header")
        try:
            return int(value)
        except ValueError:
            raise HTTPException(BAD_REQUEST, "invalid Content-Length header") from None

    def _parsed_content_type(self) -> tuple[str, dict[str, str]]:
        parsed = self._content_type
        if parsed is not None:
            return parsed
        header: str = self.environ.get("CONTENT_TYPE", "")
        if ";" not in header and header.isascii():  # no parameters: what the parser would do
            parsed = self._content_type = (header.lower().strip(" \t"), _NO_PARAMETERS)
            return parsed
        mimetype, params = parse_options_header(header)
        parsed = self._content_type = (
            mimetype.decode("latin-1").strip(" \t").lower(),
            {
                key.decode("latin-1").lower(): value.decode("latin-1")
                for key, value in params.items()
            },
        )
        return parsed

    @property
    def content_type(self) -> str:
        """The media type of the body, lower-cased, without parameters; ``""`` when absent."""
        return self._parsed_content_type()[0]

    @property
    def mimetype_params(self) -> dict[str, str]:
        """The Content-Type parameters (names lower-cased, quoted values unquoted), a new dict."""
        return dict(self._parsed_content_type()[1])

    @property
    def charset(self) -> str | None:
        """The Content-Type ``charset`` parameter, lower-cased; ``None`` when not given."""
        charset = self._parsed_content_type()[1].get("charset")
        return None if charset is None else charset.lower()

    @property
    def stream(self) -> InputStream:
        """The body as a bounded stream (see :class:`InputStream`).

        Its length is the Content-Length; without one, the input is read to its end only when
        the server sets ``wsgi.input_terminated``, and is empty otherwise (PEP 3333).
        """
        stream = self._stream
        if stream is None:
            # A body already read whole left nothing to stream (see _read_body).
            stream = self._open_stream(0 if type(self._body) is bytes else self.content_length)
        return stream

    def _open_stream(self, length: int | None) -> InputStream:
        if length is None and not self.environ.get("wsgi.input_terminated"):
            length = 0
        raw = self.environ.get("wsgi.input") or io.BytesIO()
        stream = self._stream = InputStream(raw, length)
        return stream

    @property
    def body(self) -> bytes:
        """The whole body, read once and cached.

        At most ``limits.max_body_size`` bytes: a larger Content-Length gives 413 before anything
        is read, and a body without a length (chunked) gives 413 once it grows past the limit. A
        body that ends before its Content-Length gives 400.
        """
        body = self._body
        if body is None:  # the first read: its error is kept, so a second read gives it again
            try:
                body = self._body = self._read_body()
            except HTTPException as error:
                self._body = error
                raise
            return body
        if isinstance(body, HTTPException):
            raise body
        return body

    def _read_body(self) -> bytes:
        limit = self.limits.max_body_size
        length = self.content_length
        if length is not None and limit is not None and length > limit:
            raise HTTPException(CONTENT_TOO_LARGE, f"body too large (limit {limit} bytes)")
        stream = self._stream
        if stream is None:
            if length:
                # The usual case, read straight from the input without the stream's per-read
                # bookkeeping; the stream is opened (empty) only when asked for.
                raw = self.environ.get("wsgi.input") or io.BytesIO()
                body = raw.read(length)
                return self._read_rest(raw, body, length) if len(body) < length else body
            stream = self._open_stream(length)
        if limit is None or stream.remaining is not None:
            body = stream.read()
        else:
            chunks: list[bytes] = []
            size = 0
            while size <= limit:
                chunk = stream.read(min(CHUNK_SIZE, limit + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            if size > limit:
                raise HTTPException(CONTENT_TOO_LARGE, f"body too large (limit {limit} bytes)")
            body = b"".join(chunks)
        if stream.truncated:
            raise HTTPException(BAD_REQUEST, "truncated request body")
        return body

    def _read_rest(self, raw: WSGIInputStream, start: bytes, length: int) -> bytes:
        """The body of known ``length`` whose first read from ``raw`` gave only ``start``: read
        on until it is whole; 400 when the input ends first."""
        chunks = [start]
        missing = length - len(start)
        while missing:
            chunk = raw.read(missing)
            if not chunk:
                break
            chunks.append(chunk)
            missing -= len(chunk)
        if missing:
            stream = self._stream = InputStream(raw, 0)
            stream.truncated = True
            raise HTTPException(BAD_REQUEST, "truncated request body")
        return b"".join(chunks)

    @property
    def json(self) -> JSONValue:
        """The body parsed as JSON, cached.

        The Content-Type must be ``application/json`` or end in ``+json``, else 415. A body over
        ``limits.max_json_size`` (or ``max_body_size``) gives 413; a body that is not UTF-8 or not
        valid JSON (including ``NaN``/``Infinity``, numbers too long to convert, or nesting too
        deep) gives 400 with a message saying where it failed.
        """
        try:
            return self._json
        except AttributeError:
            pass
        mimetype = self.content_type
        if mimetype != "application/json" and not mimetype.endswith("+json"):
            raise HTTPException(UNSUPPORTED_MEDIA_TYPE, "expected an application/json request body")
        limit = self.limits.max_json_size
        length = self.content_length
        if length is not None and limit is not None and length > limit:
            raise HTTPException(CONTENT_TOO_LARGE, f"JSON body too large (limit {limit} bytes)")
        body = self.body
        if limit is not None and len(body) > limit:
            raise HTTPException(CONTENT_TOO_LARGE, f"JSON body too large (limit {limit} bytes)")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise HTTPException(
                BAD_REQUEST, f"JSON body is not valid UTF-8 (at byte {error.start})"
            ) from None
        try:
            value: JSONValue = json.loads(
                text.removeprefix("\ufeff"), parse_constant=_reject_constant
            )
        except json.JSONDecodeError as error:
            raise HTTPException(
                BAD_REQUEST,
                f"invalid JSON body: {error.msg} (line {error.lineno}, column {error.colno})",
            ) from None
        except ValueError as error:
            raise HTTPException(BAD_REQUEST, f"invalid JSON body: {error}") from None
        except RecursionError:
            raise HTTPException(BAD_REQUEST, "invalid JSON body: nested too deeply") from None
        self._json = value
        return value

    def _parsed_form(self) -> tuple[Fields, Files]:
        form = self._form
        if form is None:  # as body: the first parse's error is kept for the next
            try:
                form = self._form = self._parse_form()
            except HTTPException as error:
                self._form = error
                raise
            return form
        if isinstance(form, HTTPException):
            raise form
        return form

    def _parse_form(self) -> tuple[Fields, Files]:
        # A Content-Type as browsers send it needs no parsing.
        if self.environ.get("CONTENT_TYPE") == _URLENCODED or self.content_type == _URLENCODED:
            limits = self.limits  # parse_urlencoded's work, without its call
            fields = parse_query(
                self.body.decode("latin-1"),
                max_fields=limits.max_form_fields,
                max_field_size=limits.max_field_size,
            )
            return fields, _NO_FILES
        mimetype, params = self._parsed_content_type()
        if mimetype != "multipart/form-data":
            return Fields(), _NO_FILES
        body = self._body
        if body is None:
            stream = self.stream
            return parse_multipart(
                stream,
                params.get("boundary"),
                stream.remaining,
                limits=self.limits,
                file_factory=self.file_factory,
            )
        if isinstance(body, HTTPException):
            raise body
        return parse_multipart(
            io.BytesIO(body),
            params.get("boundary"),
            len(body),
            limits=self.limits,
            file_factory=self.file_factory,
        )

    @property
    def form(self) -> Fields:
        """The form fields of a urlencoded or multipart body; empty for other content types.

        Parsed once, together with :attr:`files`; errors as in
        :func:`~shallot.http.forms.parse_urlencoded` and
        :func:`~shallot.http.forms.parse_multipart`.
        """
        return self._parsed_form()[0]

    @property
    def files(self) -> Files:
        """The uploads of a multipart body (see :attr:`form`); empty otherwise."""
        return self._parsed_form()[1]

    def close(self) -> None:
        """Close the files of parsed uploads; call when the response is done (idempotent)."""
        form = self._form
        if form is not None and not isinstance(form, HTTPException):
            form[1].close()

    @property
    def cookies(self) -> Mapping[str, str]:
        """The request cookies by name (first occurrence wins; malformed pairs skipped)."""
        try:
            return self._cookies
        except AttributeError:
            cookies = self._cookies = parse_cookie_header(self.environ.get("HTTP_COOKIE", ""))
            return cookies

    @property
    def session(self) -> RequestSession:
        """The session a session middleware attached to this request (see
        :mod:`shallot.http.session`); :class:`~shallot.http.session.NoSessionError` without one."""
        session: RequestSession | None = self.environ.get(SESSION_ENVIRON_KEY)
        if session is None:
            raise NoSessionError
        return session

    @property
    def is_xhr(self) -> bool:
        """Whether ``X-Requested-With`` is ``XMLHttpRequest`` (as some JavaScript clients send)."""
        requested_with: str = self.environ.get("HTTP_X_REQUESTED_WITH", "")
        return requested_with.lower() == "xmlhttprequest"

    @property
    def scheme(self) -> str:
        """``wsgi.url_scheme``: ``"http"`` or ``"https"`` as the server saw the request."""
        scheme: str = self.environ.get("wsgi.url_scheme", "http")
        return scheme

    @property
    def secure(self) -> bool:
        """Whether the request came over HTTPS (:attr:`scheme` is ``"https"``)."""
        return self.scheme == "https"

    @property
    def host(self) -> str:
        """The Host header, else SERVER_NAME and SERVER_PORT; without a default port (80, 443)."""
        environ = self.environ
        host: str = environ.get("HTTP_HOST", "").strip(" \t")
        if not host:
            name: str = environ.get("SERVER_NAME", "")
            if ":" in name:
                name = f"[{name}]"
            port: str = environ.get("SERVER_PORT", "")
            host = f"{name}:{port}" if port else name
        default_port = _DEFAULT_PORTS.get(self.scheme)
        if default_port is not None and host.endswith(default_port):
            return host[: -len(default_port)]
        return host

    @property
    def remote_addr(self) -> str | None:
        """REMOTE_ADDR, the address of the peer (perhaps a proxy); ``None`` when unknown."""
        address: str | None = self.environ.get("REMOTE_ADDR") or None
        return address

    def _forwarded_info(self) -> ForwardedInfo:
        try:
            return self._forwarded
        except AttributeError:
            info = self._forwarded = forwarded_info(self.environ)
            return info

    @property
    def forwarded_for(self) -> list[str]:
        """Client then proxies as claimed by ``Forwarded`` or ``X-Forwarded-For`` (untrusted)."""
        return list(self._forwarded_info().for_)

    @property
    def forwarded_host(self) -> str | None:
        """The original Host as claimed by ``Forwarded`` or ``X-Forwarded-Host`` (untrusted)."""
        return self._forwarded_info().host

    @property
    def forwarded_proto(self) -> str | None:
        """The original scheme as claimed by ``Forwarded`` or ``X-Forwarded-Proto`` (untrusted)."""
        return self._forwarded_info().proto

    @property
    def authorization(self) -> Authorization | None:
        """The parsed Authorization header; ``None`` when absent; 400 when malformed."""
        try:
            return self._authorization
        except AttributeError:
            pass
        value: str | None = self.environ.get("HTTP_AUTHORIZATION")
        if value is None:
            authorization = None
        else:
            try:
                authorization = parse_authorization(value)
            except MalformedAuthorization as error:
                raise HTTPException(
                    BAD_REQUEST, f"malformed Authorization header: {error}"
                ) from None
        self._authorization = authorization
        return authorization

    @property
    def user(self) -> str | None:
        """The authenticated user name: set by authentication code, else REMOTE_USER, else None."""
        try:
            return self._user
        except AttributeError:
            user: str | None = self.environ.get("REMOTE_USER") or None
            return user

    @user.setter
    def user(self, value: str | None) -> None:
        self._user = value

    @property
    def webob(self) -> BaseRequest:
        """A ``webob.request.BaseRequest`` on the same environ, for everything else WebOb offers."""
        try:
            return self._webob
        except AttributeError:
            webob = self._webob = BaseRequest(self.environ)
            return webob

    @property
    def headers(self) -> EnvironHeaders:
        """The request headers as a case-insensitive mapping over the environ (WebOb's)."""
        return self.webob.headers

    @property
    def accept(self) -> AcceptValidHeader | AcceptInvalidHeader | AcceptNoHeader:
        """The Accept header for content negotiation (WebOb's ``acceptable_offers``...)."""
        return self.webob.accept

    @property
    def accept_charset(
        self,
    ) -> AcceptCharsetValidHeader | AcceptCharsetInvalidHeader | AcceptCharsetNoHeader:
        """The Accept-Charset header (WebOb's)."""
        return self.webob.accept_charset

    @property
    def accept_encoding(
        self,
    ) -> AcceptEncodingValidHeader | AcceptEncodingInvalidHeader | AcceptEncodingNoHeader:
        """The Accept-Encoding header (WebOb's)."""
        return self.webob.accept_encoding

    @property
    def accept_language(
        self,
    ) -> AcceptLanguageValidHeader | AcceptLanguageInvalidHeader | AcceptLanguageNoHeader:
        """The Accept-Language header (WebOb's ``lookup``...)."""
        return self.webob.accept_language

    @property
    def url(self) -> str:
        """The full request URL, query string included (WebOb's)."""
        return self.webob.url

    @property
    def host_url(self) -> str:
        """Scheme and host, e.g. ``http://example.com`` (WebOb's)."""
        return self.webob.host_url

    @property
    def application_url(self) -> str:
        """The URL of the application root: :attr:`host_url` plus SCRIPT_NAME (WebOb's)."""
        return self.webob.application_url

    @property
    def user_agent(self) -> str | None:
        """The User-Agent header, or ``None``."""
        return self.webob.user_agent

"""The first bytes of XML bodies, for the debug filter: a capture logged once, and
``wsgi.input`` watched as the application reads it.

The filter must never read a body itself (an application may stream a request body, or never read
it), so it only looks at what passes: the chunks the application reads from ``wsgi.input`` and the
chunks the server takes from the response body. A :class:`BodyCapture` keeps the first bytes and
logs them once, as soon as it knows they are all it will show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shallot.middleware.log_text import printable

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from _typeshed.wsgi import InputStream

__all__ = ["BodyCapture", "WatchedInput", "is_xml"]

_XML_TYPES = frozenset(("text/xml", "application/xml"))


def is_xml(content_type: object) -> bool:
    """Whether ``content_type`` (a ``Content-Type`` value) is XML: ``text/xml``,
    ``application/xml`` or any ``+xml`` type."""
    if not isinstance(content_type, str):
        return False
    media = content_type.partition(";")[0].strip(" \t").lower()
    return media in _XML_TYPES or media.endswith("+xml")


def _to_the_end(size: tuple[object, ...]) -> bool:
    """Whether a ``read`` with these arguments reads all that is left."""
    return not size or size[0] is None or (isinstance(size[0], int) and size[0] < 0)


class BodyCapture:
    """The first ``limit`` bytes of one body, logged once, as ``<label>, N bytes:`` (the whole
    body) or ``<label>, first N bytes:`` (more followed, or may have), then the text indented.

    It is logged as soon as more than ``limit`` bytes were seen, or when :meth:`flush` is called
    (nothing is logged for a body of which no byte was seen).
    """

    __slots__ = ("_done", "_emit", "_label", "_limit", "_pieces", "_shown", "total")

    def __init__(self, label: str, limit: int, emit: Callable[[str], None]) -> None:
        self._label = label
        self._limit = limit
        self._emit = emit
        self._pieces: list[bytes] = []
        self._shown = 0
        self._done = False
        self.total = 0
        """Bytes seen until the capture was logged."""

    def add(self, data: bytes) -> None:
        """Note ``data``, the body's next bytes (anything but ``bytes`` is ignored)."""
        if self._done or not isinstance(data, bytes):
            return
        self.total += len(data)
        room = self._limit - self._shown
        if room > 0 and data:
            piece = data[:room]
            self._pieces.append(piece)
            self._shown += len(piece)
        if self.total > self._limit:
            self.flush(ended=False)

    def flush(self, ended: bool) -> None:
        """Log what was captured, unless it was logged already; ``ended`` says whether the
        body is known to have ended with what was seen."""
        if self._done:
            return
        self._done = True
        if not self.total:
            return
        data = b"".join(self._pieces)
        size = (
            f"{len(data)} bytes"
            if ended and self.total == len(data)
            else f"first {len(data)} bytes"
        )
        lines = data.decode("utf-8", "backslashreplace").splitlines()
        self._emit(
            "\n".join([f"{self._label}, {size}:", *(f"    {printable(line)}" for line in lines)])
        )


class WatchedInput:
    """``wsgi.input`` as the application reads it: every call goes to the real stream with the
    application's own arguments, and what it returns is also shown to a :class:`BodyCapture`."""

    __slots__ = ("_capture", "_length", "_stream")

    def __init__(self, stream: InputStream, capture: BodyCapture, length: int | None) -> None:
        self._stream = stream
        self._capture = capture
        self._length = length

    def _seen(self, data: bytes, ended: bool) -> None:
        self._capture.add(data)
        if ended or (self._length is not None and self._capture.total >= self._length):
            self._capture.flush(ended=True)

    def read(self, *size: int) -> bytes:
        """Read as the real stream does."""
        data = self._stream.read(*size)
        self._seen(data, (not data and size != (0,)) or _to_the_end(size))
        return data

    def readline(self, *size: int) -> bytes:
        """Read a line as the real stream does."""
        data = self._stream.readline(*size)
        self._seen(data, not data and size != (0,))
        return data

    def readlines(self, *hint: int) -> list[bytes]:
        """Read lines as the real stream does."""
        lines = self._stream.readlines(*hint)
        for line in lines:
            self._capture.add(line)
        self._seen(b"", _to_the_end(hint) or hint == (0,))
        return lines

    def __iter__(self) -> Iterator[bytes]:
        for line in self._stream:
            self._seen(line, False)
            yield line
        self._capture.flush(ended=True)

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)

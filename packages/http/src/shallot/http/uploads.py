"""Uploaded files: one upload, the files of a form, and where upload bytes are written.

Multipart parsing (:mod:`shallot.http.forms`) streams each file part into a binary file object made
by a :class:`FileFactory` (a temporary file on disk by default, so an upload is never held whole in
memory) and describes it with a :class:`FileUpload`. The uploads of one form are a :class:`Files`
multi-map, since a form can send several files under one name.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from typing import TYPE_CHECKING, BinaryIO, Protocol, TypeVar, overload

from shallot.http.multimap import OrderedMultiMap

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from types import TracebackType

__all__ = [
    "FileFactory",
    "FileUpload",
    "Files",
    "default_file_factory",
    "sanitize_filename",
]

_D = TypeVar("_D")

_COPY_BUFFER_SIZE = 64 * 1024
_CONTROL_CHARACTERS = dict.fromkeys([*range(32), 127])


class FileFactory(Protocol):
    """Makes the binary file an upload is written to (PoorWSGI's ``file_callback``).

    Called once per file part, positionally, with the form field name, the sanitised file name and
    the part's Content-Type. The returned file must be writable, readable and seekable; the parser
    writes the part's bytes to it, seeks it back to 0 and closes it if parsing fails.
    """

    def __call__(self, field_name: str, filename: str, content_type: str, /) -> BinaryIO:
        """Return a new empty binary file for one uploaded file."""
        ...


def default_file_factory(field_name: str, filename: str, content_type: str, /) -> BinaryIO:
    """The default :class:`FileFactory`: an anonymous temporary file, removed when closed."""
    return tempfile.TemporaryFile()


def sanitize_filename(filename: str) -> str:
    """The last path segment of a client-supplied file name, safe to show or to join to a folder.

    Both ``/`` and ``\\`` separate segments (clients on any OS), control characters are dropped,
    surrounding whitespace is stripped, and ``.``/``..`` become ``""``. The result never contains a
    path separator; it may be ``""`` (no usable name was sent).
    """
    name = filename[max(filename.rfind("/"), filename.rfind("\\")) + 1 :]
    name = name.translate(_CONTROL_CHARACTERS).strip()
    return "" if name in {".", ".."} else name


@dataclasses.dataclass(frozen=True, slots=True)
class FileUpload:
    """One uploaded file of a multipart form.

    ``name`` is the form field name, ``filename`` the sanitised base name the client sent (see
    :func:`sanitize_filename`; possibly ``""``), ``content_type`` the part's Content-Type
    (``application/octet-stream`` when the client sent none), ``headers`` the part's headers with
    lower-cased names, ``file`` the binary file holding the content, positioned at 0 after parsing,
    and ``size`` the content length in bytes.
    """

    name: str
    filename: str
    content_type: str
    headers: Mapping[str, str] = dataclasses.field(hash=False, compare=False)
    file: BinaryIO = dataclasses.field(hash=False, compare=False)
    size: int

    def save(self, destination: str | os.PathLike[str] | BinaryIO) -> None:
        """Copy the whole content to a path (created or truncated) or to a binary file object.

        The copy starts from the beginning of the upload whatever the current position, and
        :attr:`file` is left at position 0 afterwards.
        """
        self.file.seek(0)
        if isinstance(destination, (str, os.PathLike)):
            with open(destination, "wb") as target:
                shutil.copyfileobj(self.file, target, _COPY_BUFFER_SIZE)
        else:
            shutil.copyfileobj(self.file, destination, _COPY_BUFFER_SIZE)
        self.file.seek(0)

    def close(self) -> None:
        """Close :attr:`file` (a default temporary file is removed from disk). Idempotent."""
        self.file.close()

    def __enter__(self) -> FileUpload:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class Files(OrderedMultiMap["FileUpload"]):
    """The uploads of one form: an immutable ordered multi-map of field name to :class:`FileUpload`.

    ``files[name]``, :meth:`get` and :meth:`getfirst` give the first upload sent under a name,
    :meth:`getlist` all of them in order. Iteration, :meth:`keys` and ``len()`` see each name once;
    :meth:`items` gives every ``(name, upload)`` pair.
    """

    __slots__ = ()

    def __init__(self, uploads: Iterable[FileUpload] = ()) -> None:
        self._pairs = [(upload.name, upload) for upload in uploads]
        self._index = {}
        for name, upload in self._pairs:
            self._index.setdefault(name, []).append(upload)

    @overload
    def getfirst(self, name: str) -> FileUpload | None: ...
    @overload
    def getfirst(self, name: str, default: _D) -> FileUpload | _D: ...
    def getfirst(self, name: str, default: object = None) -> object:
        """The first upload sent under ``name``, or ``default``."""
        uploads = self._index.get(name)
        return default if uploads is None else uploads[0]

    get = getfirst

    def getlist(self, name: str) -> list[FileUpload]:
        """Every upload sent under ``name``, in order; ``[]`` when there is none."""
        return list(self._index.get(name, ()))

    def close(self) -> None:
        """Close every upload's file."""
        for _, upload in self.items():
            upload.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({[upload for _, upload in self.items()]!r})"

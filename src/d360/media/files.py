"""Files in and out without holding them in memory: a streamed multipart upload, and download targets
that check size and sha256 and never leave a partial file under the name asked for."""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import os
import secrets
import stat
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import attrs

from d360.errors import MediaIntegrityError, Problem, ValidationError
from d360.media.limits import check_upload, guess_mime_type, read_head
from d360.numbers import read_int

CHUNK = 256 * 1024


@attrs.define
class Upload:
    """A file ready to send as `multipart/form-data`: its parts are produced as they are sent."""

    stream: IO[bytes]
    start: int
    size: int
    filename: str
    mime_type: str
    kind: str
    owned: bool
    """True when d360 opened the file, and so closes it."""
    boundary: str = attrs.Factory(lambda: "d360-" + secrets.token_hex(16))

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    def _preamble(self) -> bytes:
        fields = "".join(
            f'--{self.boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in (("messaging_product", "whatsapp"), ("type", self.mime_type))
        )
        return (
            f"{fields}--{self.boundary}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{_quoted(self.filename)}"\r\n'
            f"Content-Type: {self.mime_type}\r\n\r\n"
        ).encode()

    def _epilogue(self) -> bytes:
        return f"\r\n--{self.boundary}--\r\n".encode()

    @property
    def content_length(self) -> int:
        return len(self._preamble()) + self.size + len(self._epilogue())

    def chunks(self) -> Iterator[bytes]:
        """The body, from the start of the file each time (so that a retry sends it whole again)."""
        yield self._preamble()
        yield from self.chunks_from(0)
        yield self._epilogue()

    def chunks_from(self, offset: int) -> Iterator[bytes]:
        """The raw file from `offset` on (an upload session's body), read as it is sent."""
        self.stream.seek(self.start + offset)
        remaining = self.size - offset
        while remaining > 0:
            chunk = self.stream.read(min(CHUNK, remaining))
            if not chunk:
                raise ValidationError(
                    [Problem("$.file", f"{self.filename} got shorter while it was being uploaded")],
                    subject="media upload",
                )
            remaining -= len(chunk)
            yield chunk

    def close(self) -> None:
        if self.owned:
            self.stream.close()


def prepare_upload(file: Any, mime_type: str | None, filename: str | None) -> Upload:
    """A path, bytes or a binary file object, checked against the Cloud API's types and limits."""
    owned = False
    if isinstance(file, str | os.PathLike):
        path = Path(file)
        stream: IO[bytes] = open_regular_file(path)
        owned, name = True, filename or path.name
    elif isinstance(file, bytes | bytearray | memoryview):
        stream, owned, name = io.BytesIO(bytes(file)), True, filename or "upload"
    elif hasattr(file, "read") and hasattr(file, "seek"):
        stream, name = file, filename or Path(str(getattr(file, "name", "upload"))).name
    else:
        raise ValidationError(
            [Problem("$.file", f"must be a path, bytes or a seekable binary file, not {type(file).__name__}")],
            subject="media upload",
        )
    try:
        try:
            start = stream.tell()
            size = stream.seek(0, os.SEEK_END) - start
            stream.seek(start)
        except (OSError, ValueError) as exc:  # a pipe, a socket, a closed file: a retry could not read it again
            raise ValidationError(
                [Problem("$.file", f"{name} cannot be read from its start again ({exc}): give a file or bytes")],
                subject="media upload",
            ) from None
        head = read_head(stream)
        if isinstance(head, str):
            raise ValidationError(
                [Problem("$.file", f"{name} is open in text mode; open it with 'rb'")], subject="media upload"
            )
        chosen = mime_type or guess_mime_type(name)
        if chosen is None:
            raise ValidationError(
                [Problem("$.file", f"cannot tell the MIME type of {name!r} from its name: pass mime_type=")],
                subject="media upload",
            )
        kind = check_upload(chosen, size, name, head)
    except BaseException:
        if owned:
            stream.close()
        raise
    return Upload(stream, start, size, name, chosen.split(";", 1)[0].strip().lower(), kind, owned)


_NOT_REGULAR = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def open_regular_file(path: Path) -> IO[bytes]:
    """`path` opened for reading, or ValidationError when it is not a regular file.

    Checked before anything could block: opening a FIFO for reading waits, for ever, for a writer. The
    file is opened non-blocking and checked again, so a path swapped for a FIFO in between is refused too.
    """

    def refused(mode: int) -> ValidationError:
        what = next((name for test, name in _NOT_REGULAR if test(mode)), "not a regular file")
        return ValidationError(
            [Problem("$.file", f"{path} is {what}, not a regular file: only a file's bytes can be uploaded")],
            subject="media upload",
        )

    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise refused(mode)
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise ValidationError(
            [Problem("$.file", f"cannot read {path}: {exc.strerror or exc}")], subject="media upload"
        ) from None
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise refused(mode)
        if hasattr(os, "O_NONBLOCK"):
            os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def prepare_for_kind(kind: str, file: Any) -> Upload:
    """An upload for `send_<kind>(path=...)`: the file must be of that kind (a PDF is no image)."""
    upload = prepare_upload(file, None, None)
    if upload.kind != kind:
        upload.close()
        raise ValidationError(
            [Problem("$.file", f"{upload.filename} is {upload.mime_type}, which is sent as {upload.kind}, not {kind}")],
            subject="media upload",
        )
    return upload


def _quoted(filename: str) -> str:
    """A file name safe inside a quoted multipart parameter (RFC 7578): no quotes, no line breaks."""
    return "".join("%22" if character == '"' else "" if ord(character) < 32 else character for character in filename)


# Downloads.


class DownloadTarget:
    """Where a download goes: it counts and hashes what it is given, and checks both at the end.

    It never takes a byte past the size declared for the file (the lookup's `file_size`, else the answer's
    Content-Length): a server that sends more is cut off there, whatever it meant to send.
    """

    def __init__(self, expected_size: int | None, expected_sha256: str | None, max_bytes: int | None = None) -> None:
        self.expected_size = expected_size
        """The size upstream's lookup declared, if it did."""
        self.declared_size = expected_size
        """This try's bound: the lookup's size, else the answer's Content-Length; None when neither said."""
        self.expected_sha256 = expected_sha256
        self.max_bytes = max_bytes
        self.size = 0
        self._hash = hashlib.sha256()
        self.progress: Callable[[int, int | None], None] | None = None
        """Called after each chunk with the bytes received so far and the expected size."""

    def begin(self, headers: Mapping[str, str]) -> None:
        """A try starts: forget an earlier one's bytes, and take the answer's Content-Length as a bound."""
        self.restart()
        length = read_int(headers.get("content-length"))
        if self.expected_size is not None and length is not None and length != self.expected_size:
            raise MediaIntegrityError(
                f"the download declares {length} bytes where upstream's lookup said {self.expected_size}; not read"
            )
        self.declared_size = self.expected_size if self.expected_size is not None else length

    def write(self, chunk: bytes) -> None:
        size = self.size + len(chunk)
        if self.declared_size is not None and size > self.declared_size:
            raise MediaIntegrityError(
                f"the download brought more than the {self.declared_size} bytes declared for it; stopped there"
            )
        if self.max_bytes is not None and size > self.max_bytes:
            raise MediaIntegrityError(f"the media is larger than max_bytes={self.max_bytes}; nothing was kept")
        self.size = size
        self._hash.update(chunk)
        self._write(chunk)
        if self.progress is not None:
            self.progress(self.size, self.declared_size)

    def _write(self, chunk: bytes) -> None:
        raise NotImplementedError

    def restart(self) -> None:
        """Forget what was written, for a retry from the first byte."""
        self.size = 0
        self._hash = hashlib.sha256()

    def verify(self) -> None:
        if self.declared_size is not None and self.size != self.declared_size:
            raise MediaIntegrityError(
                f"the download has {self.size} bytes where {self.declared_size} were declared: cut short or corrupt"
            )
        if self.expected_sha256 and not _same_digest(self._hash.digest(), self.expected_sha256):
            raise MediaIntegrityError("the download's sha256 does not match upstream's: the file is corrupt")

    def finish(self) -> None:
        """Called once the whole body arrived and verified."""

    def discard(self) -> None:
        """Called when the download failed for good."""


class PathTarget(DownloadTarget):
    """A file written beside its final name and renamed over it only once whole and verified."""

    def __init__(self, path: Path, expected_size: int | None, expected_sha256: str | None) -> None:
        super().__init__(expected_size, expected_sha256)
        self.path = path
        try:
            descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        except OSError as exc:
            raise ValidationError(
                [Problem("$.to", f"cannot write beside {path}: {exc.strerror or exc}")], subject="download"
            ) from None
        self.temporary = Path(temporary)
        self._file = os.fdopen(descriptor, "wb")

    def _write(self, chunk: bytes) -> None:
        self._file.write(chunk)

    def restart(self) -> None:
        super().restart()
        self._file.seek(0)
        self._file.truncate()

    def finish(self) -> None:
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.replace(self.temporary, self.path)

    def discard(self) -> None:
        try:
            self._file.close()
        finally:
            self.temporary.unlink(missing_ok=True)


class StreamTarget(DownloadTarget):
    """A binary file object of the caller's: written as the bytes come (it cannot be undone)."""

    def __init__(self, stream: IO[bytes], expected_size: int | None, expected_sha256: str | None) -> None:
        super().__init__(expected_size, expected_sha256)
        self.stream = stream
        self._start = stream.tell() if stream.seekable() else None

    def _write(self, chunk: bytes) -> None:
        self.stream.write(chunk)

    def restart(self) -> None:
        if self.size == 0:
            return  # nothing written yet: the first try
        if self._start is None:
            raise MediaIntegrityError("the download failed part way, and the file object it went to cannot be rewound")
        super().restart()
        self.stream.seek(self._start)
        self.stream.truncate()


class BytesTarget(DownloadTarget):
    def __init__(self, expected_size: int | None, expected_sha256: str | None, max_bytes: int) -> None:
        super().__init__(expected_size, expected_sha256, max_bytes)
        self.buffer = bytearray()

    def _write(self, chunk: bytes) -> None:
        self.buffer += chunk

    def restart(self) -> None:
        super().restart()
        self.buffer.clear()


def target_for(to: Any, expected_size: int | None, expected_sha256: str | None) -> DownloadTarget:
    if isinstance(to, str | os.PathLike):
        path = Path(to)
        if path.is_dir():
            raise ValidationError([Problem("$.to", f"{path} is a folder: give the file's path")], subject="download")
        return PathTarget(path, expected_size, expected_sha256)
    if hasattr(to, "write"):
        return StreamTarget(to, expected_size, expected_sha256)
    raise ValidationError(
        [Problem("$.to", f"must be a path or a binary file object, not {type(to).__name__}")], subject="download"
    )


def _same_digest(digest: bytes, expected: str) -> bool:
    """Upstream gives sha256 as hex (media lookups) or base64 (webhooks): either matches."""
    text = expected.strip()
    if len(text) == 64:
        try:
            return bytes.fromhex(text) == digest
        except ValueError:
            pass
    try:
        return (
            base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_" if "-" in text or "_" in text else None)
            == digest
        )
    except (binascii.Error, ValueError):
        return False

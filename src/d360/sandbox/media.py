"""The sandbox's media: uploads kept on disk (bounded in count and bytes), looked up, served for download
with their sha256, deleted; the same limits as the client's; faults that cut a download short or corrupt it.
Resumable upload sessions live inside the same bound: a session reserves its declared length when opened.
"""

from __future__ import annotations

import collections
import hashlib
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import attrs

from d360.media.limits import LARGEST

DEFAULT_KEEP = 1000
DEFAULT_KEEP_BYTES = 512 << 20
MAX_UPLOAD_BYTES = LARGEST + (1 << 20)
"""The largest request body POST /media takes: the largest file the Cloud API takes, and room for the form."""
LOOKASIDE = "https://lookaside.fbsbx.com"
"""The host upstream's lookup URLs name; the client fetches their path under its base URL instead."""


MAX_SESSIONS = 100
"""Open upload sessions at most, whatever room `keep` leaves."""
DEFAULT_SESSION_TTL = 3600.0
"""Seconds an upload session may go without a request before it is dropped, its bytes with it."""
KEPT_OFFSETS = 1000


class NoRoom(Exception):
    """The store cannot take this upload or session within its bounds; answered 400, as upstream refuses."""


@attrs.define
class UploadSession:
    id: str
    path: Path
    file_name: str
    file_type: str
    length: int
    """The declared file_length: what the session reserves in the store from the start."""
    received: int = 0
    handle: str | None = None
    touched: float = 0.0
    """When a request last used it (the store's clock)."""


@attrs.frozen
class StoredMedia:
    id: str
    path: Path
    mime_type: str
    sha256: str
    size: int
    stored_at: float
    token: str


class MediaStore:
    """Files on disk under one folder, the oldest dropped first beyond `keep` files or `keep_bytes`.

    Upload sessions count too: each is one of `keep`, and reserves its declared length of `keep_bytes`
    while it lives. One that cannot fit even once every file is dropped is refused; one unused for
    `session_ttl` seconds expires.
    """

    def __init__(
        self,
        *,
        keep: int = DEFAULT_KEEP,
        keep_bytes: int = DEFAULT_KEEP_BYTES,
        lookaside: str = LOOKASIDE,
        session_ttl: float = DEFAULT_SESSION_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="d360-sandbox-media-"))
        self.keep = keep
        self.keep_bytes = keep_bytes
        self.lookaside = lookaside.rstrip("/")
        self.session_ttl = session_ttl
        self._clock = clock
        self._files: collections.OrderedDict[str, StoredMedia] = collections.OrderedDict()
        self._bytes = 0
        self._session_bytes = 0
        self._lock = threading.Lock()
        self.sessions: collections.OrderedDict[str, UploadSession] = collections.OrderedDict()
        """Upload sessions by id (without `upload:`), the oldest first."""
        self.session_offsets: collections.deque[int] = collections.deque(maxlen=KEPT_OFFSETS)
        """The `file_offset` of the latest chunks received, in order: how resumed uploads resumed."""

    def save(self, source: IO[bytes], mime_type: str, size: int) -> StoredMedia:
        """Copy an uploaded file of `size` bytes into the store (streamed), hashing it on the way; NoRoom
        when it cannot fit beside the open sessions."""
        with self._lock:
            self._expire_sessions()
            self._check_room(size, "file")
        media_id = str(secrets.randbelow(9 * 10**15) + 10**15)
        path = self.folder / media_id
        digest = hashlib.sha256()
        written = 0
        with path.open("wb") as target:
            while written < size and (chunk := source.read(min(1 << 20, size - written))):
                digest.update(chunk)
                written += len(chunk)
                target.write(chunk)
        stored = StoredMedia(
            media_id, path, mime_type, digest.hexdigest(), written, time.time(), secrets.token_urlsafe(12)
        )
        with self._lock:
            self._files[media_id] = stored
            self._bytes += written
            self._drop_oldest_files()
        return stored

    def _check_room(self, size: int, what: str) -> None:
        """NoRoom unless one more item of `size` bytes fits once every file is dropped (sessions stay; lock held)."""
        if what == "session" and len(self.sessions) >= MAX_SESSIONS:
            raise NoRoom(f"the sandbox holds {MAX_SESSIONS} upload sessions already: finish or abandon one first")
        if len(self.sessions) + 1 > self.keep or self._session_bytes + size > self.keep_bytes:
            raise NoRoom(
                f"no room for this {what} of {size} bytes: the sandbox keeps {self.keep_bytes} bytes of media "
                f"(media_keep_bytes) and {self.keep} files (media_keep), and its {len(self.sessions)} open upload "
                f"sessions hold {self._session_bytes} bytes"
            )

    def _drop_oldest_files(self) -> None:
        """Files go, the oldest first, until files and sessions fit `keep` and `keep_bytes` (lock held)."""
        while self._files and (
            len(self._files) + len(self.sessions) > self.keep or self._bytes + self._session_bytes > self.keep_bytes
        ):
            _, oldest = self._files.popitem(last=False)
            self._bytes -= oldest.size
            oldest.path.unlink(missing_ok=True)

    def get(self, media_id: str) -> StoredMedia | None:
        with self._lock:
            return self._files.get(media_id)

    def delete(self, media_id: str) -> bool:
        with self._lock:
            stored = self._files.pop(media_id, None)
            if stored is None:
                return False
            self._bytes -= stored.size
        stored.path.unlink(missing_ok=True)
        return True

    def info(self, stored: StoredMedia) -> dict[str, Any]:
        """The lookup's answer, its URL on the lookaside host as upstream gives it."""
        query = f"mid={stored.id}&ext={int(stored.stored_at)}&hash={stored.token}"
        url = f"{self.lookaside}/whatsapp_business/attachments/?{query}"
        return {
            "messaging_product": "whatsapp",
            "url": url,
            "mime_type": stored.mime_type,
            "sha256": stored.sha256,
            "file_size": stored.size,
            "id": stored.id,
        }

    def open_session(self, file_name: str, file_type: str, length: int) -> UploadSession:
        """A new upload session reserving `length` bytes (the oldest files make room); NoRoom when it cannot fit."""
        name = secrets.token_urlsafe(18).replace("-", "x").replace("_", "y")
        session = UploadSession(name, self.folder / f"session-{name}", file_name, file_type, length)
        with self._lock:
            self._expire_sessions()
            self._check_room(length, "session")
            session.touched = self._clock()
            session.path.touch()
            self.sessions[name] = session
            self._session_bytes += length
            self._drop_oldest_files()
        return session

    def session(self, name: str) -> UploadSession | None:
        """The live session of that id (its clock restarted), or None: unknown, or expired."""
        with self._lock:
            self._expire_sessions()
            session = self.sessions.get(name)
        return session if session is not None and self.touch(session) else None

    def touch(self, session: UploadSession) -> bool:
        """Restart a session's clock as its bytes come; False when it is gone (expired, or the store cleared)."""
        with self._lock:
            if self.sessions.get(session.id) is not session:
                return False
            session.touched = self._clock()
            self.sessions.move_to_end(session.id)
            return True

    def _expire_sessions(self) -> None:
        """Sessions unused for `session_ttl` seconds are dropped, their bytes with them (lock held)."""
        cutoff = self._clock() - self.session_ttl
        while self.sessions:
            name, oldest = next(iter(self.sessions.items()))
            if oldest.touched > cutoff:
                break  # kept in order of use: the rest are younger
            self._drop_session(name)

    def _drop_session(self, name: str) -> None:
        session = self.sessions.pop(name)
        self._session_bytes -= session.length
        session.path.unlink(missing_ok=True)

    @property
    def kept_bytes(self) -> int:
        """The files' bytes and what the open sessions reserve; never more than `keep_bytes`."""
        return self._bytes + self._session_bytes

    def __len__(self) -> int:
        return len(self._files)

    def clear(self) -> None:
        """Every file and upload session dropped, as when new."""
        with self._lock:
            for stored in self._files.values():
                stored.path.unlink(missing_ok=True)
            self._files.clear()
            self._bytes = 0
            for name in list(self.sessions):
                self._drop_session(name)
            self.session_offsets.clear()

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

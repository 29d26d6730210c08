"""The sandbox's media: uploads kept on disk (bounded in count and bytes), looked up, served for download
with their sha256, deleted; the same limits as the client's; faults that cut a download short or corrupt it.
"""

from __future__ import annotations

import collections
import hashlib
import secrets
import shutil
import tempfile
import threading
import time
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


@attrs.define
class UploadSession:
    id: str
    path: Path
    file_name: str
    file_type: str
    length: int
    received: int = 0
    handle: str | None = None


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
    """Files on disk under one folder, the oldest dropped first beyond `keep` files or `keep_bytes`."""

    def __init__(
        self, *, keep: int = DEFAULT_KEEP, keep_bytes: int = DEFAULT_KEEP_BYTES, lookaside: str = LOOKASIDE
    ) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="d360-sandbox-media-"))
        self.keep = keep
        self.keep_bytes = keep_bytes
        self.lookaside = lookaside.rstrip("/")
        self._files: collections.OrderedDict[str, StoredMedia] = collections.OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.sessions: collections.OrderedDict[str, UploadSession] = collections.OrderedDict()
        """Upload sessions by id (without `upload:`), the oldest dropped beyond 100."""
        self.session_offsets: list[int] = []
        """The `file_offset` of every chunk received, in order: how resumed uploads resumed."""

    def save(self, source: IO[bytes], mime_type: str) -> StoredMedia:
        """Copy an uploaded file into the store (streamed), hashing it on the way."""
        media_id = str(secrets.randbelow(9 * 10**15) + 10**15)
        path = self.folder / media_id
        digest = hashlib.sha256()
        size = 0
        with path.open("wb") as target:
            while chunk := source.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
                target.write(chunk)
        stored = StoredMedia(
            media_id, path, mime_type, digest.hexdigest(), size, time.time(), secrets.token_urlsafe(12)
        )
        with self._lock:
            self._files[media_id] = stored
            self._bytes += size
            while self._files and (len(self._files) > self.keep or self._bytes > self.keep_bytes):
                _, oldest = self._files.popitem(last=False)
                self._bytes -= oldest.size
                oldest.path.unlink(missing_ok=True)
        return stored

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
        name = secrets.token_urlsafe(18).replace("-", "x").replace("_", "y")
        session = UploadSession(name, self.folder / f"session-{name}", file_name, file_type, length)
        session.path.touch()
        with self._lock:
            self.sessions[name] = session
            while len(self.sessions) > MAX_SESSIONS:
                _, oldest = self.sessions.popitem(last=False)
                oldest.path.unlink(missing_ok=True)
        return session

    @property
    def kept_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._files)

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

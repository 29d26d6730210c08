"""`client.media`: upload, look up, download and delete media, the same for `Client` and `AsyncClient`.

Everything that is not I/O (checking a file, building a URL, reading an answer, choosing to retry) is in
`_MediaCore`; `Media` and `AsyncMedia` add only the loop of send, read, sleep and retry. Downloads go
through 360dialog: the lookup's URL names a lookaside host, whose path and query are fetched under the
client's base URL with the API key, so the key never goes to any other host.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Awaitable, Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeVar
from urllib.parse import urlencode, urlsplit

import attrs

from d360.errors import (
    APIStatusError,
    D360Error,
    MediaIntegrityError,
    MediaLookupBlockedError,
    Problem,
    RateLimitError,
    UnexpectedResponseError,
    ValidationError,
)
from d360.media.files import BytesTarget, DownloadTarget, Upload, prepare_upload, target_for
from d360.numbers import read_int
from d360.responses import _json_or_none, request_id_of, snippet, status_error
from d360.retry import is_transient
from d360.transports import StreamedResponse, TransportFailure, read_chunks, read_chunks_async

if TYPE_CHECKING:
    import httpx

    from d360.config import ClientConfig
    from d360.errors import APIConnectionError, D360Error
    from d360.transports import AsyncTransport, ConnectionFailure, SyncTransport

ATTACHMENTS_PATH = "/whatsapp_business/attachments/"
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
MEDIA_ID_DIGITS = 32
"""Digits a media id may have: Meta's are 15 to 17 today; an id is a name, not a quantity, so room to grow."""
T = TypeVar("T")
Progress = Callable[[int, int | None], None]
"""Told the bytes received so far and the expected size, after each chunk of a download."""


@attrs.frozen
class MediaInfo:
    """What upstream says about a media file; `url` is valid for 5 minutes."""

    id: str
    url: str | None
    mime_type: str | None
    sha256: str | None
    file_size: int | None
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)


class _ClientParts(Protocol):
    """What media needs of a client (`Client` and `AsyncClient` have it): said here, so media imports no client."""

    _config: ClientConfig

    def _log_request(self, method: str, url: str, attempt: int) -> None: ...

    def _request_timeout(self) -> httpx.Timeout | None: ...

    def _connection_error(self, failure: ConnectionFailure, cause: BaseException) -> APIConnectionError: ...

    def _next_delay(self, error: D360Error, retries_done: int, *, idempotent: bool = False) -> float: ...


class BlockingClient(_ClientParts, Protocol):
    _transport: SyncTransport
    _sleep: Callable[[float], None]


class AwaitingClient(_ClientParts, Protocol):
    _transport: AsyncTransport
    _sleep: Callable[[float], Awaitable[None]]


class _MediaCore:
    _client: BlockingClient | AwaitingClient

    def _url(self, media_id: Any) -> str:
        # The id goes into the URL's path: ASCII digits only ("²" and "٣" are digits to str.isdigit), so
        # nothing else can be reached with the key.
        if read_int(media_id, max_digits=MEDIA_ID_DIGITS) is None:
            raise ValidationError(
                [Problem("$.media_id", f"must be upstream's numeric media id, not {media_id!r}")], subject="media id"
            )
        return f"{self._client._config.base_url}/{media_id}"

    def _download_url(self, info: MediaInfo) -> str:
        """The lookup's URL, moved under the base URL: its path must be upstream's attachments path."""
        if not info.url:
            raise UnexpectedResponseError(
                f"upstream's lookup of media {info.id} gave no download URL", status_code=200, body=dict(info.raw)
            )
        parts = urlsplit(info.url)
        if not parts.path.startswith(ATTACHMENTS_PATH.rstrip("/")):
            raise UnexpectedResponseError(
                f"upstream's URL for media {info.id} is not an attachments URL ({parts.path!r}); not fetched",
                status_code=200,
                body=dict(info.raw),
            )
        query = f"?{parts.query}" if parts.query else ""
        return f"{self._client._config.base_url}{parts.path}{query}"

    def _headers(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        headers = {**self._client._config.headers, "Accept-Encoding": "identity"}
        headers.pop("Content-Type", None)
        return {**headers, **(extra or {})}

    def _upload_headers(self, upload: Upload) -> dict[str, str]:
        return self._headers({"Content-Type": upload.content_type, "Content-Length": str(upload.content_length)})

    @staticmethod
    def _upload_result(status: int, headers: Mapping[str, str], content: bytes) -> str:
        body = _json_or_none(content)
        media_id = body.get("id") if isinstance(body, Mapping) else None
        if not isinstance(media_id, str | int) or isinstance(media_id, bool) or not str(media_id):
            raise UnexpectedResponseError(
                f"HTTP {status} without a media id: {snippet(content)!r}",
                status_code=status,
                body=body,
                request_id=request_id_of(headers, body),
            )
        return str(media_id)

    @staticmethod
    def _info_result(media_id: str) -> Callable[[int, Mapping[str, str], bytes], MediaInfo]:
        def parse(status: int, headers: Mapping[str, str], content: bytes) -> MediaInfo:
            body = _json_or_none(content)
            if not isinstance(body, Mapping):
                raise UnexpectedResponseError(
                    f"HTTP {status} without media details: {snippet(content)!r}",
                    status_code=status,
                    request_id=request_id_of(headers),
                )
            size = body.get("file_size")
            file_size = None if size is None else read_int(size)
            if size is not None and file_size is None:
                raise UnexpectedResponseError(
                    f"upstream's lookup of media {media_id} gave a file_size d360 cannot read: "
                    f"{snippet(repr(size).encode())}",
                    status_code=status,
                    body=body,
                    request_id=request_id_of(headers, body),
                )
            return MediaInfo(
                id=str(body.get("id") or media_id),
                url=body.get("url") if isinstance(body.get("url"), str) else None,
                mime_type=body.get("mime_type") if isinstance(body.get("mime_type"), str) else None,
                sha256=body.get("sha256") if isinstance(body.get("sha256"), str) else None,
                file_size=file_size,
                raw=body,
            )

        return parse

    def _session_url(self, session: str) -> str:
        name = session.removeprefix("upload:")
        if not name or not all(character.isalnum() or character in "-_" for character in name) or not name.isascii():
            raise ValidationError(
                [Problem("$.session", f"must be an upload session id (upload:...), not {session!r}")],
                subject="upload session",
            )
        return f"{self._client._config.base_url}/upload:{name}"

    def _session_create_url(self, upload: Upload) -> str:
        query = urlencode({"file_name": upload.filename, "file_length": upload.size, "file_type": upload.mime_type})
        return f"{self._client._config.base_url}/uploads?{query}"

    def _session_headers(self, upload: Upload, offset: int) -> dict[str, str]:
        return self._headers(
            {"Content-Type": "application/octet-stream", "Content-Length": str(upload.size - offset),
             "file_offset": str(offset)}
        )  # fmt: skip

    @staticmethod
    def _field(name: str, what: str) -> Callable[[int, Mapping[str, str], bytes], Any]:
        def parse(status: int, headers: Mapping[str, str], content: bytes) -> Any:
            body = _json_or_none(content)
            value = body.get(name) if isinstance(body, Mapping) else None
            if value is None or isinstance(value, bool) or not isinstance(value, str | int):
                raise UnexpectedResponseError(
                    f"HTTP {status} without {what}: {snippet(content)!r}", status_code=status, body=body,
                    request_id=request_id_of(headers, body),
                )  # fmt: skip
            return value

        return parse

    @staticmethod
    def _offset(upload: Upload) -> Callable[[int, Mapping[str, str], bytes], int]:
        """How far an upload session got: a whole number of bytes, at most the file's size."""

        def parse(status: int, headers: Mapping[str, str], content: bytes) -> int:
            body = _json_or_none(content)
            value = body.get("file_offset") if isinstance(body, Mapping) else None
            offset = read_int(value)
            if offset is None or offset > upload.size:
                raise UnexpectedResponseError(
                    f"HTTP {status} without an offset d360 can read (0 to {upload.size} bytes): {snippet(content)!r}",
                    status_code=status, body=body, request_id=request_id_of(headers, body),
                )  # fmt: skip
            return offset

        return parse

    def _resume_delay(self, error: D360Error, attempts: int) -> float:
        """A failed chunk is resumed from where upstream stands, when the failure was transient."""
        if attempts > self._client._config.retry.max_retries or not is_transient(error):
            raise error
        return self._client._config.retry.backoff(attempts - 1)

    @staticmethod
    def _deleted(status: int, headers: Mapping[str, str], content: bytes) -> bool:
        body = _json_or_none(content)
        return bool(body.get("success", True)) if isinstance(body, Mapping) else True

    def _lookup_failure(self, error: D360Error) -> D360Error:
        """Lookups are never retried after a 4xx (upstream blocks lookups after repeated failures); a 429
        becomes MediaLookupBlockedError, saying so."""
        if isinstance(error, RateLimitError) and not isinstance(error, MediaLookupBlockedError):
            blocked = MediaLookupBlockedError(
                f"upstream is refusing media lookups for now ({error.message}): it blocks them for a while after "
                "repeated failed lookups; wait before looking media up again",
                status_code=error.status_code,
                code=error.code,
                body=error.body,
                request_id=error.request_id,
                retry_after=error.retry_after,
            )
            blocked.__cause__ = error
            return blocked
        return error

    def _retry_or_raise(self, error: D360Error, retries_done: int, *, lookup: bool) -> float:
        if lookup and isinstance(error, APIStatusError) and 400 <= error.status_code < 500:
            raise self._lookup_failure(error)
        if isinstance(error, MediaIntegrityError):
            if retries_done >= self._client._config.retry.max_retries:
                raise error
            return self._client._config.retry.backoff(retries_done)
        # Every media call is safe to repeat: an upload repeated can only leave an unused copy behind.
        return self._client._next_delay(error, retries_done, idempotent=True)


class Media(_MediaCore):
    """`client.media` on `Client`: blocking."""

    _client: BlockingClient

    def __init__(self, client: BlockingClient) -> None:
        self._client = client

    def upload(self, file: Any, mime_type: str | None = None, *, filename: str | None = None) -> str:
        """Upload a path, bytes or a binary file object (streamed, never read whole); return its media id.

        The MIME type is guessed from the name unless given; the type and size are checked against the
        Cloud API's limits first (ValidationError, nothing sent). Retried after any transient failure.
        """
        return self._send_upload(prepare_upload(file, mime_type, filename))

    def _send_upload(self, upload: Upload) -> str:
        try:
            url = f"{self._client._config.base_url}/media"
            return self._exchange("POST", url, upload.chunks, self._upload_headers(upload), self._upload_result)
        finally:
            upload.close()

    def upload_resumable(
        self, file: Any, mime_type: str | None = None, *, filename: str | None = None, session: str | None = None
    ) -> str:
        """Upload through an upload session and return the file's handle (`2:...`), for a template header.

        A chunk that fails part way is resumed from the offset upstream reports, not sent again from the
        start. Pass `session` (an `upload:...` id from `create_upload_session`) to resume an earlier upload.
        """
        upload = prepare_upload(file, mime_type, filename)
        try:
            if session is None:
                session = self._create_session(upload)
            url = self._session_url(session)
            attempts = 0
            while True:
                try:
                    offset = self._exchange("GET", url, None, self._headers(), self._offset(upload), lookup=True)
                    return str(
                        self._exchange(
                            "POST",
                            url,
                            functools.partial(upload.chunks_from, offset),
                            self._session_headers(upload, offset),
                            self._field("h", "a file handle"),
                            retry=False,
                        )
                    )
                except D360Error as error:
                    attempts += 1
                    self._client._sleep(self._resume_delay(error, attempts))
        finally:
            upload.close()

    def create_upload_session(self, file: Any, mime_type: str | None = None, *, filename: str | None = None) -> str:
        """Open an upload session for a file (checked first) and return its id (`upload:...`)."""
        upload = prepare_upload(file, mime_type, filename)
        upload.close()
        return self._create_session(upload)

    def _create_session(self, upload: Upload) -> str:
        return str(
            self._exchange(
                "POST", self._session_create_url(upload), None, self._headers(), self._field("id", "a session id")
            )
        )

    def get(self, media_id: str) -> MediaInfo:
        """Look a media file up: its download URL (valid 5 minutes), MIME type, sha256 and size."""
        url = self._url(media_id)
        return self._exchange("GET", url, None, self._headers(), self._info_result(str(media_id)), lookup=True)

    def delete(self, media_id: str) -> bool:
        """Delete a media file from upstream's storage."""
        return self._exchange("DELETE", self._url(media_id), None, self._headers(), self._deleted)

    def download(
        self, media_id: str, to: str | os.PathLike[str] | Any, *, progress: Progress | None = None
    ) -> MediaInfo:
        """Stream a media file to a path or a binary file object, checking its size and sha256.

        A path is written beside it and renamed only once whole and checked: an interrupted or corrupt
        download never leaves a partial file under the name asked for. `progress(received, total)` is
        called after each chunk.
        """
        info = self.get(media_id)
        url = self._download_url(info)  # refused before any file is made
        target = target_for(to, info.file_size, info.sha256)
        target.progress = progress
        self._fetch(url, target)
        return info

    def download_bytes(self, media_id: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
        """A small media file's bytes, checked; refused (MediaIntegrityError) past `max_bytes`."""
        info = self.get(media_id)
        if info.file_size is not None and info.file_size > max_bytes:
            raise MediaIntegrityError(f"media {media_id} is {info.file_size} bytes, more than max_bytes={max_bytes}")
        target = BytesTarget(info.file_size, info.sha256, max_bytes)
        self._fetch(self._download_url(info), target)
        return bytes(target.buffer)

    def _fetch(self, url: str, target: DownloadTarget) -> None:
        def consume(streamed: StreamedResponse) -> bool:
            target.begin(streamed.headers)
            for chunk in streamed.chunks:
                target.write(chunk)
            target.verify()
            return True

        try:
            self._exchange("GET", url, None, self._headers(), None, consume=consume)
            target.finish()
        except BaseException:  # refused, failed, interrupted or cancelled: no partial file is left behind
            target.discard()
            raise

    def _exchange(
        self,
        method: str,
        url: str,
        body: Callable[[], Iterator[bytes]] | None,
        headers: Mapping[str, str],
        parse: Callable[[int, Mapping[str, str], bytes], T] | None,
        *,
        lookup: bool = False,
        consume: Callable[[StreamedResponse], T] | None = None,
        retry: bool = True,
    ) -> T:
        client = self._client
        retries_done = 0
        while True:
            client._log_request(method, url, retries_done + 1)
            outcome: T | D360Error
            try:
                with client._transport.stream(
                    method, url, body() if body else None, headers, client._request_timeout()
                ) as streamed:
                    outcome = self._read(streamed, parse, consume)
            except TransportFailure as exc:
                outcome = client._connection_error(exc.failure, exc.__cause__ or exc)
            except MediaIntegrityError as exc:
                outcome = exc
            if not isinstance(outcome, D360Error):
                return outcome
            if not retry:
                raise outcome
            client._sleep(self._retry_or_raise(outcome, retries_done, lookup=lookup))
            retries_done += 1

    @staticmethod
    def _read(
        streamed: StreamedResponse,
        parse: Callable[[int, Mapping[str, str], bytes], T] | None,
        consume: Callable[[StreamedResponse], T] | None,
    ) -> T | D360Error:
        if 200 <= streamed.status_code < 300 and consume is not None:
            return consume(streamed)
        content, _ = read_chunks(streamed.headers, streamed.chunks, None)
        return _outcome(streamed, content, parse)


class AsyncMedia(_MediaCore):
    """`client.media` on `AsyncClient`: the same methods, awaited."""

    _client: AwaitingClient

    def __init__(self, client: AwaitingClient) -> None:
        self._client = client

    async def upload(self, file: Any, mime_type: str | None = None, *, filename: str | None = None) -> str:
        """Upload a path, bytes or a binary file object; see `Media.upload`."""
        return await self._send_upload(prepare_upload(file, mime_type, filename))

    async def _send_upload(self, upload: Upload) -> str:
        try:
            url = f"{self._client._config.base_url}/media"
            return await self._exchange("POST", url, upload.chunks, self._upload_headers(upload), self._upload_result)
        finally:
            upload.close()

    async def upload_resumable(
        self, file: Any, mime_type: str | None = None, *, filename: str | None = None, session: str | None = None
    ) -> str:
        """Upload through an upload session and return the file's handle; see `Media.upload_resumable`."""
        upload = prepare_upload(file, mime_type, filename)
        try:
            if session is None:
                session = await self._create_session(upload)
            url = self._session_url(session)
            attempts = 0
            while True:
                try:
                    offset = await self._exchange("GET", url, None, self._headers(), self._offset(upload), lookup=True)
                    return str(
                        await self._exchange(
                            "POST",
                            url,
                            functools.partial(upload.chunks_from, offset),
                            self._session_headers(upload, offset),
                            self._field("h", "a file handle"),
                            retry=False,
                        )
                    )
                except D360Error as error:
                    attempts += 1
                    await self._client._sleep(self._resume_delay(error, attempts))
        finally:
            upload.close()

    async def create_upload_session(
        self, file: Any, mime_type: str | None = None, *, filename: str | None = None
    ) -> str:
        """Open an upload session for a file (checked first) and return its id (`upload:...`)."""
        upload = prepare_upload(file, mime_type, filename)
        upload.close()
        return await self._create_session(upload)

    async def _create_session(self, upload: Upload) -> str:
        return str(
            await self._exchange(
                "POST", self._session_create_url(upload), None, self._headers(), self._field("id", "a session id")
            )
        )

    async def get(self, media_id: str) -> MediaInfo:
        """Look a media file up; see `Media.get`."""
        url = self._url(media_id)
        return await self._exchange("GET", url, None, self._headers(), self._info_result(str(media_id)), lookup=True)

    async def delete(self, media_id: str) -> bool:
        """Delete a media file from upstream's storage."""
        return await self._exchange("DELETE", self._url(media_id), None, self._headers(), self._deleted)

    async def download(
        self, media_id: str, to: str | os.PathLike[str] | Any, *, progress: Progress | None = None
    ) -> MediaInfo:
        """Stream a media file to a path or a binary file object; see `Media.download`."""
        info = await self.get(media_id)
        url = self._download_url(info)  # refused before any file is made
        target = target_for(to, info.file_size, info.sha256)
        target.progress = progress
        await self._fetch(url, target)
        return info

    async def download_bytes(self, media_id: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
        """A small media file's bytes; see `Media.download_bytes`."""
        info = await self.get(media_id)
        if info.file_size is not None and info.file_size > max_bytes:
            raise MediaIntegrityError(f"media {media_id} is {info.file_size} bytes, more than max_bytes={max_bytes}")
        target = BytesTarget(info.file_size, info.sha256, max_bytes)
        await self._fetch(self._download_url(info), target)
        return bytes(target.buffer)

    async def _fetch(self, url: str, target: DownloadTarget) -> None:
        async def consume(streamed: StreamedResponse) -> bool:
            target.begin(streamed.headers)
            async for chunk in streamed.chunks:
                target.write(chunk)
            target.verify()
            return True

        try:
            await self._exchange("GET", url, None, self._headers(), None, consume=consume)
            target.finish()
        except BaseException:  # refused, failed, interrupted or cancelled: no partial file is left behind
            target.discard()
            raise

    async def _exchange(
        self,
        method: str,
        url: str,
        body: Callable[[], Iterator[bytes]] | None,
        headers: Mapping[str, str],
        parse: Callable[[int, Mapping[str, str], bytes], T] | None,
        *,
        lookup: bool = False,
        consume: Any = None,
        retry: bool = True,
    ) -> T:
        client = self._client
        retries_done = 0
        while True:
            client._log_request(method, url, retries_done + 1)
            outcome: Any
            try:
                async with client._transport.stream(
                    method, url, body() if body else None, headers, client._request_timeout()
                ) as streamed:
                    outcome = await self._read(streamed, parse, consume)
            except TransportFailure as exc:
                outcome = client._connection_error(exc.failure, exc.__cause__ or exc)
            except MediaIntegrityError as exc:
                outcome = exc
            if not isinstance(outcome, D360Error):
                return outcome  # type: ignore[no-any-return]
            if not retry:
                raise outcome
            await client._sleep(self._retry_or_raise(outcome, retries_done, lookup=lookup))
            retries_done += 1

    @staticmethod
    async def _read(
        streamed: StreamedResponse, parse: Callable[[int, Mapping[str, str], bytes], Any] | None, consume: Any
    ) -> Any:
        if 200 <= streamed.status_code < 300 and consume is not None:
            return await consume(streamed)
        content, _ = await read_chunks_async(streamed.headers, streamed.chunks)
        return _outcome(streamed, content, parse)


def _outcome(
    streamed: StreamedResponse, content: bytes, parse: Callable[[int, Mapping[str, str], bytes], T] | None
) -> T | D360Error:
    """A whole answer read: the parsed result of a success, or the error of anything else."""
    if 200 <= streamed.status_code < 300 and parse is not None:
        try:
            return parse(streamed.status_code, streamed.headers, content)
        except UnexpectedResponseError as error:
            return error
    return status_error(streamed.status_code, streamed.headers, content)

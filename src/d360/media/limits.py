"""What the Cloud API takes as media: the MIME types per kind, and the size limit of each, checked before
anything is sent (Cloud API reference, Media, "Supported media types":
https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#supported-media-types)."""

from __future__ import annotations

import mimetypes
from typing import IO

from d360.errors import Problem, ValidationError

MB = 1024 * 1024
KB = 1024

KINDS: dict[str, tuple[str, ...]] = {
    "audio": ("audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg"),
    "document": (
        "text/plain",
        "application/pdf",
        "application/vnd.ms-powerpoint",
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "image": ("image/jpeg", "image/png"),
    "sticker": ("image/webp",),
    "video": ("video/3gpp", "video/mp4"),
}
KIND_OF = {mime: kind for kind, mimes in KINDS.items() for mime in mimes}
MAX_BYTES = {"audio": 16 * MB, "document": 100 * MB, "image": 5 * MB, "video": 16 * MB}
STICKER_MAX_BYTES = {"static": 100 * KB, "animated": 500 * KB}
LARGEST = max(MAX_BYTES.values())

# The extensions of the supported types, first: the platform's own table may say otherwise (.m4a, .amr).
EXTENSIONS = {
    ".aac": "audio/aac", ".amr": "audio/amr", ".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".ogg": "audio/ogg",
    ".opus": "audio/ogg", ".txt": "text/plain", ".pdf": "application/pdf", ".ppt": "application/vnd.ms-powerpoint",
    ".doc": "application/msword", ".xls": "application/vnd.ms-excel",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp",
    ".3gp": "video/3gpp", ".mp4": "video/mp4",
}  # fmt: skip


def guess_mime_type(name: str) -> str | None:
    """The MIME type a file name says, from the supported types' extensions first, then the platform's table."""
    dot = name.rfind(".")
    if dot >= 0 and name[dot:].lower() in EXTENSIONS:
        return EXTENSIONS[name[dot:].lower()]
    return mimetypes.guess_type(name, strict=False)[0]


def media_kind(mime_type: str) -> str | None:
    """`image`, `audio`, `video`, `document` or `sticker` for a supported MIME type (parameters ignored)."""
    return KIND_OF.get(mime_type.split(";", 1)[0].strip().lower())


def check_upload(mime_type: str, size: int, name: str, head: bytes = b"") -> str:
    """The media kind, or ValidationError naming the limit: the type must be supported, the size within
    its kind's limit and not zero. `head`: the file's first bytes (a WebP's say whether it is animated)."""
    kind = media_kind(mime_type)
    if kind is None:
        supported = ", ".join(sorted(KIND_OF))
        raise ValidationError(
            [Problem("$.file", f"{name}: {mime_type} is not a media type the Cloud API takes ({supported})")],
            subject="media upload",
        )
    if size <= 0:
        raise ValidationError([Problem("$.file", f"{name} is empty")], subject="media upload")
    if kind == "sticker":
        animated = is_animated_webp(head)
        limit = STICKER_MAX_BYTES["animated" if animated else "static"]
        what = f"{'animated' if animated else 'static'} stickers"
    else:
        limit, what = MAX_BYTES[kind], f"{kind}s" if kind != "audio" else "audio files"
    if size > limit:
        raise ValidationError(
            [Problem("$.file", f"{name} is {_size(size)}; {what} may be at most {_size(limit)} (Cloud API limit)")],
            subject="media upload",
        )
    return kind


def is_animated_webp(head: bytes) -> bool:
    """A WebP in the extended format with its animation flag set (RIFF....WEBPVP8X, flags bit 1)."""
    return len(head) >= 21 and head[:4] == b"RIFF" and head[8:16] == b"WEBPVP8X" and bool(head[20] & 0x02)


def read_head(stream: IO[bytes], count: int = 32) -> bytes:
    """The first bytes of a seekable file, the position left where it was."""
    position = stream.tell()
    try:
        return stream.read(count)
    finally:
        stream.seek(position)


def _size(size: int) -> str:
    if size >= MB:
        return f"{size / MB:.1f} MB"
    return f"{size / KB:.0f} KB" if size >= KB else f"{size} bytes"

"""Media: upload files to send by id, and look up, download and delete what customers sent.

    media_id = client.media.upload("invoice.pdf")          # checked against the Cloud API's limits first
    client.send_document(to, media_id=media_id, filename="invoice.pdf")
    client.media.download(message.image.id, to="photo.jpg")  # streamed, sha256 checked, renamed when whole

Modules: `limits` (types and sizes), `files` (streamed uploads, download targets), `client` (the API).
"""

from d360.errors import MediaIntegrityError, MediaLookupBlockedError
from d360.media.client import AsyncMedia, Media, MediaInfo
from d360.media.limits import KINDS, MAX_BYTES, STICKER_MAX_BYTES, guess_mime_type, media_kind

__all__ = [
    "KINDS",
    "MAX_BYTES",
    "STICKER_MAX_BYTES",
    "AsyncMedia",
    "Media",
    "MediaInfo",
    "MediaIntegrityError",
    "MediaLookupBlockedError",
    "guess_mime_type",
    "media_kind",
]

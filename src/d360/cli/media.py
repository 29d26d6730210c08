"""`d360 media upload|info|download|delete`: media files from the command line."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from d360.bulk.progress import byte_progress
from d360.cli.common import EXIT_OK, Commands, UsageError, add_action, connection_options, say, say_json
from d360.cli.send import make_client


def add_media_commands(commands: Commands) -> None:
    media = commands.add_parser("media", help="upload, look up, download and delete media", description=__doc__)
    actions = media.add_subparsers(dest="media_command", required=True, metavar="ACTION")
    shared = connection_options()

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        return add_action(actions, shared, name, help_text)

    upload = action("upload", "upload a file (checked against the Cloud API's limits first); prints its media id")
    upload.add_argument("file", metavar="FILE")
    upload.add_argument("--type", dest="mime_type", metavar="MIME", help="its MIME type (default: from its name)")
    upload.add_argument(
        "--resumable",
        action="store_true",
        help="upload through an upload session and print the file handle (for a template's header)",
    )
    upload.add_argument("--session", metavar="ID", help="with --resumable: resume this upload session (upload:...)")
    upload.set_defaults(handler=run_upload)
    info = action("info", "a media file's MIME type, size, sha256 and download URL")
    info.add_argument("media_id", metavar="ID")
    info.set_defaults(handler=run_info)
    download = action("download", "download a media file, checking its size and sha256")
    download.add_argument("media_id", metavar="ID")
    download.add_argument("-o", "--output", required=True, metavar="FILE", help="where to write it (- for stdout)")
    download.set_defaults(handler=run_download)
    delete = action("delete", "delete a media file from upstream's storage")
    delete.add_argument("media_id", metavar="ID")
    delete.set_defaults(handler=run_delete)


def run_upload(arguments: argparse.Namespace) -> int:
    if arguments.session and not arguments.resumable:
        raise UsageError("--session resumes an upload session: use it with --resumable")
    with make_client(arguments) as client:
        if arguments.resumable:
            handle = client.media.upload_resumable(arguments.file, arguments.mime_type, session=arguments.session)
            _report(arguments, {"ok": True, "handle": handle}, handle)
            return EXIT_OK
        media_id = client.media.upload(arguments.file, arguments.mime_type)
    _report(arguments, {"ok": True, "id": media_id}, media_id)
    return EXIT_OK


def run_info(arguments: argparse.Namespace) -> int:
    with make_client(arguments) as client:
        info = client.media.get(arguments.media_id)
    record = {"ok": True, "id": info.id, "mime_type": info.mime_type, "file_size": info.file_size,
              "sha256": info.sha256, "url": info.url}  # fmt: skip
    _report(arguments, record, f"{info.id}: {info.mime_type}, {info.file_size} bytes, sha256 {info.sha256}")
    return EXIT_OK


def run_download(arguments: argparse.Namespace) -> int:
    with make_client(arguments) as client:
        if arguments.output == "-":
            info = client.media.download(arguments.media_id, sys.stdout.buffer)
        else:
            progress = byte_progress(sys.stderr, f"media {arguments.media_id}") if sys.stderr.isatty() else None
            info = client.media.download(arguments.media_id, arguments.output, progress=progress)
    if arguments.output != "-":
        _report(arguments, {"ok": True, "id": info.id, "file": arguments.output, "file_size": info.file_size},
                f"downloaded {info.id} to {arguments.output} ({info.file_size} bytes, sha256 checked)")  # fmt: skip
    return EXIT_OK


def run_delete(arguments: argparse.Namespace) -> int:
    with make_client(arguments) as client:
        client.media.delete(arguments.media_id)
    _report(arguments, {"ok": True, "id": arguments.media_id}, f"deleted {arguments.media_id}")
    return EXIT_OK


def _report(arguments: argparse.Namespace, record: dict[str, Any], line: str) -> None:
    if arguments.json:
        say_json(record)
    else:
        say(line)

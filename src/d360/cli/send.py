"""`d360 send`: one message of any type, built from flags or read as JSON."""

from __future__ import annotations

import argparse
from typing import Any

from d360 import messages, templates
from d360.cli.common import (
    EXIT_OK,
    Commands,
    UsageError,
    add_action,
    connection_options,
    error_record,
    read_json_document,
    say,
    say_json,
)
from d360.client import Client
from d360.errors import D360Error
from d360.numbers import read_int


def add_send_command(commands: Commands) -> None:
    send = commands.add_parser("send", help="send one message", description="Send one message.")
    kinds = send.add_subparsers(dest="kind", required=True, metavar="TYPE")
    shared = connection_options()

    def kind(name: str, help_text: str, *, reply: bool = True) -> argparse.ArgumentParser:
        parser = add_action(kinds, shared, name, help_text)
        if name != "json":
            parser.add_argument("--to", required=True, help="phone number (+, spaces, dashes allowed) or group id")
            parser.add_argument("--group", action="store_true", help="--to is a group id")
        if reply:
            parser.add_argument("--reply-to", metavar="MESSAGE_ID", help="quote this message")
        parser.set_defaults(handler=run_send)
        return parser

    text = kind("text", "a text message")
    text.add_argument("--body", required=True)
    text.add_argument("--preview-url", action="store_true", help="render a preview of the first link")
    for media_kind in ("image", "audio", "video", "document", "sticker"):
        media = kind(media_kind, f"an {media_kind}" if media_kind[0] in "aeiou" else f"a {media_kind}")
        source = media.add_mutually_exclusive_group(required=True)
        source.add_argument("--link", help="a public https URL")
        source.add_argument("--media-id", help="an uploaded media id")
        source.add_argument("--file", dest="file_path", metavar="PATH", help="a local file: uploaded, then sent by id")
        if media_kind in ("image", "video", "document"):
            media.add_argument("--caption")
        if media_kind == "document":
            media.add_argument("--filename", help="the name the recipient sees")
    location = kind("location", "a location pin")
    location.add_argument("--latitude", type=float, required=True)
    location.add_argument("--longitude", type=float, required=True)
    location.add_argument("--name")
    location.add_argument("--address")
    reaction = kind("reaction", "a reaction to a message", reply=False)
    reaction.add_argument("--message-id", required=True, help="the message to react to")
    reaction.add_argument("--emoji", required=True, help='the emoji; "" removes a reaction')
    template = kind("template", "an approved template")
    template.add_argument("--name", required=True, help="the template's name")
    template.add_argument("--language", required=True, help="its language code, such as en or de")
    template.add_argument(
        "--body-param", action="append", default=[], metavar="TEXT", help="a body parameter, in order (repeatable)"
    )
    header = template.add_mutually_exclusive_group()
    header.add_argument("--header-text", metavar="TEXT")
    header.add_argument("--header-image", metavar="URL")
    header.add_argument("--header-video", metavar="URL")
    header.add_argument("--header-document", metavar="URL")
    template.add_argument(
        "--button-url-param",
        action="append",
        default=[],
        metavar="INDEX=TEXT",
        help="the URL suffix of the template's URL button at INDEX (repeatable)",
    )
    payload = kind("json", "a full message in the spec's shape", reply=False)
    payload.add_argument("file", metavar="FILE", help="a JSON file, or - for standard input")


def make_client(arguments: argparse.Namespace) -> Client:
    return Client(
        api_key=arguments.api_key,
        base_url=arguments.base_url,
        timeout=arguments.timeout,
        max_retries=arguments.max_retries,
    )


def build_message(arguments: argparse.Namespace) -> Any:
    if arguments.kind == "json":
        return read_json_document(arguments.file)
    common: dict[str, Any] = {"recipient_type": "group" if arguments.group else "individual"}
    reply = {"reply_to": arguments.reply_to} if getattr(arguments, "reply_to", None) else {}
    to = arguments.to
    if arguments.kind == "text":
        return messages.text(to, arguments.body, preview_url=arguments.preview_url, **reply, **common)
    if arguments.kind in ("image", "audio", "video", "document", "sticker"):
        return messages.media(
            arguments.kind,
            to,
            link=arguments.link,
            media_id=arguments.media_id,
            caption=getattr(arguments, "caption", None),
            filename=getattr(arguments, "filename", None),
            **reply,
            **common,
        )
    if arguments.kind == "location":
        return messages.location(
            to,
            arguments.latitude,
            arguments.longitude,
            name=arguments.name,
            address=arguments.address,
            **reply,
            **common,
        )
    if arguments.kind == "reaction":
        return messages.reaction(to, arguments.message_id, arguments.emoji, **common)
    return messages.template(
        to, arguments.name, arguments.language, components=template_components(arguments), **reply, **common
    )


def template_components(arguments: argparse.Namespace) -> list[dict[str, Any]]:
    components = []
    header_parameter = None
    if arguments.header_text is not None:
        header_parameter = templates.text(arguments.header_text)
    elif arguments.header_image:
        header_parameter = templates.image(link=arguments.header_image)
    elif arguments.header_video:
        header_parameter = templates.video(link=arguments.header_video)
    elif arguments.header_document:
        header_parameter = templates.document(link=arguments.header_document)
    if header_parameter is not None:
        components.append(templates.header(header_parameter))
    if arguments.body_param:
        components.append(templates.body(*(templates.text(value) for value in arguments.body_param)))
    for spec in arguments.button_url_param:
        text, separator, value = spec.partition("=")
        index = read_int(text)
        if not separator or index is None:
            raise UsageError(f"--button-url-param takes INDEX=TEXT, such as 0=orders/8812, not {spec!r}")
        components.append(templates.button(index, "url", templates.text(value)))
    return components


def run_send(arguments: argparse.Namespace) -> int:
    path = getattr(arguments, "file_path", None)
    if path is not None:
        arguments.media_id = "0"  # checks the rest of the message before the upload; the real id replaces it
    message = build_message(arguments)
    with make_client(arguments) as client:
        try:
            if path is not None:
                fields = {key: message[arguments.kind].get(key) for key in ("caption", "filename")}
                result = client._media_message(
                    arguments.kind,
                    arguments.to,
                    path,
                    **{key: value for key, value in fields.items() if value is not None},
                    reply_to=getattr(arguments, "reply_to", None),
                    recipient_type="group" if arguments.group else "individual",
                )
            else:
                result = client.send(message)
        except D360Error as error:
            if arguments.json:
                say_json({"ok": False, "error": error_record(error)})
            raise
    if arguments.json:
        say_json(
            {
                "ok": True,
                "message_id": result.message_id,
                "wa_id": result.wa_id,
                "input": result.input,
                "status": result.status,
            }
        )
    else:
        say(
            f"sent {message.get('type', 'message')} to {result.input or message.get('to')}: "
            f"{result.message_id} ({result.status or 'no status'})"
        )
    return EXIT_OK

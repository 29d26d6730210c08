"""The one-line senders, written once for both clients.

Each builds a message with `d360.messages` and hands it to `send`; on `Client` that returns a
SendResult, on `AsyncClient` an awaitable of one. The type parameters carry that difference to mypy.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from d360 import messages
from d360.errors import Problem, ValidationError
from d360.messages import ButtonSpec, HeaderSpec, RecipientType

ResultT = TypeVar("ResultT")
FlagT = TypeVar("FlagT")


class MessageSenders(Generic[ResultT, FlagT]):
    def send(self, message: Any) -> ResultT:
        """Send a d360_api `Message` model or a mapping in the spec's shape (implemented by each client)."""
        raise NotImplementedError

    def mark_as_read(self, message_id: str, *, typing_indicator: bool = False) -> FlagT:
        raise NotImplementedError

    def _send_file(self, kind: messages.MediaKind, to: str, path: Any, fields: dict[str, Any]) -> ResultT:
        """Upload `path`, then send it by id (implemented by each client: one blocks, one awaits)."""
        raise NotImplementedError

    def _marketing_twin(self, fields: Mapping[str, Any]) -> MessageSenders[ResultT, FlagT]:
        """This client, sending through POST /marketing_messages with MM Lite's `fields` (each client's core)."""
        raise NotImplementedError

    def _media_message(self, kind: messages.MediaKind, to: str, path: Any, **fields: Any) -> ResultT:
        if path is None:
            return self.send(messages.media(kind, to, **fields))
        if fields.get("link") is not None or fields.get("media_id") is not None:
            raise ValidationError(
                [Problem(f"$.{kind}", "give one of link, media_id or path, not several")], subject="message"
            )
        fields.pop("link", None)
        fields.pop("media_id", None)
        return self._send_file(kind, to, path, fields)

    def send_text(
        self,
        to: str,
        body: str,
        preview_url: bool = False,
        reply_to: str | None = None,
        *,
        recipient_type: RecipientType = "individual",
    ) -> ResultT:
        """A text message of 1-4096 characters; `preview_url` renders a preview of the first link."""
        return self.send(
            messages.text(to, body, preview_url=preview_url, reply_to=reply_to, recipient_type=recipient_type)
        )

    def send_image(
        self,
        to: str,
        link: str | None = None,
        media_id: str | None = None,
        caption: str | None = None,
        reply_to: str | None = None,
        *,
        recipient_type: RecipientType = "individual",
        path: str | os.PathLike[str] | None = None,
    ) -> ResultT:
        """An image by public `link`, uploaded `media_id`, or a local file's `path` (uploaded first), with an
        optional caption."""
        return self._media_message(
            "image",
            to,
            path,
            link=link,
            media_id=media_id,
            caption=caption,
            reply_to=reply_to,
            recipient_type=recipient_type,
        )

    def send_video(
        self,
        to: str,
        link: str | None = None,
        media_id: str | None = None,
        caption: str | None = None,
        reply_to: str | None = None,
        *,
        recipient_type: RecipientType = "individual",
        path: str | os.PathLike[str] | None = None,
    ) -> ResultT:
        """A video by public `link` or uploaded `media_id`, with an optional caption."""
        return self._media_message(
            "video",
            to,
            path,
            link=link,
            media_id=media_id,
            caption=caption,
            reply_to=reply_to,
            recipient_type=recipient_type,
        )

    def send_audio(
        self,
        to: str,
        link: str | None = None,
        media_id: str | None = None,
        reply_to: str | None = None,
        *,
        recipient_type: RecipientType = "individual",
        path: str | os.PathLike[str] | None = None,
    ) -> ResultT:
        """An audio file or voice note by public `link` or uploaded `media_id` (audio takes no caption)."""
        return self._media_message(
            "audio", to, path, link=link, media_id=media_id, reply_to=reply_to, recipient_type=recipient_type
        )

    def send_sticker(
        self,
        to: str,
        link: str | None = None,
        media_id: str | None = None,
        reply_to: str | None = None,
        *,
        recipient_type: RecipientType = "individual",
        path: str | os.PathLike[str] | None = None,
    ) -> ResultT:
        """A sticker (WebP) by public `link` or uploaded `media_id`."""
        return self._media_message(
            "sticker", to, path, link=link, media_id=media_id, reply_to=reply_to, recipient_type=recipient_type
        )

    def send_document(
        self,
        to: str,
        link: str | None = None,
        media_id: str | None = None,
        caption: str | None = None,
        filename: str | None = None,
        reply_to: str | None = None,
        *,
        recipient_type: RecipientType = "individual",
        path: str | os.PathLike[str] | None = None,
    ) -> ResultT:
        """A document by public `link` or uploaded `media_id`; `filename` is what the recipient sees."""
        return self._media_message(
            "document",
            to,
            path,
            link=link,
            media_id=media_id,
            caption=caption,
            filename=filename,
            reply_to=reply_to,
            recipient_type=recipient_type,
        )

    def send_location(
        self,
        to: str,
        latitude: float,
        longitude: float,
        name: str | None = None,
        address: str | None = None,
        reply_to: str | None = None,
        *,
        recipient_type: RecipientType = "individual",
    ) -> ResultT:
        return self.send(
            messages.location(
                to, latitude, longitude, name=name, address=address, reply_to=reply_to, recipient_type=recipient_type
            )
        )

    def send_reaction(
        self, to: str, message_id: str, emoji: str, *, recipient_type: RecipientType = "individual"
    ) -> ResultT:
        """React to `message_id` with `emoji`; an empty string removes the reaction."""
        return self.send(messages.reaction(to, message_id, emoji, recipient_type=recipient_type))

    def send_template(
        self,
        to: str,
        name: str,
        language: str,
        components: Sequence[Any] | None = None,
        reply_to: str | None = None,
        *,
        recipient_type: RecipientType = "individual",
        marketing: bool = False,
    ) -> ResultT:
        """An approved template; build `components` with `d360.templates` (header, body, button).

        `marketing=True` sends it through MM Lite (POST /marketing_messages), as `send_marketing` does with
        upstream's defaults; a marketing send takes no `reply_to` and only an individual recipient.
        """
        message = messages.template(
            to, name, language, components=components, reply_to=reply_to, recipient_type=recipient_type
        )
        if marketing:
            return self._marketing_twin({}).send(message)
        return self.send(message)

    def send_marketing(
        self,
        to: str,
        name: str,
        language: str,
        components: Sequence[Any] | None = None,
        *,
        message_send_ttl_seconds: int | None = None,
        product_policy: str | None = None,
        message_activity_sharing: bool | None = None,
    ) -> ResultT:
        """A marketing template through MM Lite (POST /marketing_messages), with every guarantee of `send`: the
        same checks first (the template message against the effective spec, then MM Lite's body), retries that
        never send it twice, the deadline, and `template_check` when the client has it on.

        `message_send_ttl_seconds`: how long upstream keeps trying to deliver it, 43200 (12 hours) to 2592000
        (30 days). `product_policy`: "CLOUD_API_FALLBACK" (upstream's default: a message MM Lite cannot take
        goes out through the Cloud API) or "STRICT" (refused instead). The result's `product_policy` says
        which applied. `message_activity_sharing`: share the message's activity for measurement.
        """
        from d360.resources.marketing import marketing_fields

        fields = marketing_fields(message_send_ttl_seconds, product_policy, message_activity_sharing)
        return self._marketing_twin(fields).send(messages.template(to, name, language, components=components))

    def send_buttons(
        self,
        to: str,
        body: str,
        buttons: Iterable[ButtonSpec],
        header: HeaderSpec | None = None,
        footer: str | None = None,
        reply_to: str | None = None,
        *,
        recipient_type: RecipientType = "individual",
    ) -> ResultT:
        """1-3 reply buttons, as `(id, title)` pairs; a str `header` is a text header, a mapping a media one."""
        return self.send(
            messages.buttons(
                to, body, buttons, header=header, footer=footer, reply_to=reply_to, recipient_type=recipient_type
            )
        )

    def send_list(
        self,
        to: str,
        body: str,
        button: str,
        sections: Sequence[Mapping[str, Any]],
        header: HeaderSpec | None = None,
        footer: str | None = None,
        reply_to: str | None = None,
        *,
        recipient_type: RecipientType = "individual",
    ) -> ResultT:
        """A list message: up to 10 sections and 10 rows in all; `button` labels the button that opens it."""
        return self.send(
            messages.list_message(
                to,
                body,
                button,
                sections,
                header=header,
                footer=footer,
                reply_to=reply_to,
                recipient_type=recipient_type,
            )
        )

    def send_interactive(
        self, to: str, interactive: Any, reply_to: str | None = None, *, recipient_type: RecipientType = "individual"
    ) -> ResultT:
        """Any interactive message (product, catalog, flow, ...) as an `InteractiveObject` model or a mapping."""
        return self.send(messages.interactive(to, interactive, reply_to=reply_to, recipient_type=recipient_type))

    def send_contacts(
        self,
        to: str,
        contacts: Sequence[Mapping[str, Any]],
        reply_to: str | None = None,
        *,
        recipient_type: RecipientType = "individual",
    ) -> ResultT:
        """Contact cards in upstream's shape: `[{"name": {"formatted_name": ...}, "phones": [...]}]`."""
        return self.send(messages.contacts(to, contacts, reply_to=reply_to, recipient_type=recipient_type))

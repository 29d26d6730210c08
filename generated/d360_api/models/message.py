from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.message_recipient_type import MessageRecipientType
from ..models.message_type import MessageType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.contact_card import ContactCard
    from ..models.interactive_object import InteractiveObject
    from ..models.location_message import LocationMessage
    from ..models.media_object import MediaObject
    from ..models.message_context import MessageContext
    from ..models.pin_object import PinObject
    from ..models.reaction_message import ReactionMessage
    from ..models.template_message import TemplateMessage
    from ..models.text_message import TextMessage


T = TypeVar("T", bound="Message")


@_attrs_define
class Message:
    """
    Attributes:
        messaging_product (str):
        audio (MediaObject | Unset):
        biz_opaque_callback_data (str | Unset):
        contacts (list[ContactCard] | Unset):
        context (MessageContext | Unset):
        document (MediaObject | Unset):
        image (MediaObject | Unset):
        interactive (InteractiveObject | Unset):
        location (LocationMessage | Unset):
        pin (PinObject | Unset):
        reaction (ReactionMessage | Unset):
        recipient (str | Unset): A business-scoped user id, sent instead of `to`.
        recipient_type (MessageRecipientType | Unset): The Cloud API takes individual when this is left out.
        sticker (MediaObject | Unset):
        template (TemplateMessage | Unset):
        text (TextMessage | Unset):
        to (str | Unset):
        type_ (MessageType | Unset): The Cloud API takes text when this is left out.
        video (MediaObject | Unset):
    """

    messaging_product: str
    audio: MediaObject | Unset = UNSET
    biz_opaque_callback_data: str | Unset = UNSET
    contacts: list[ContactCard] | Unset = UNSET
    context: MessageContext | Unset = UNSET
    document: MediaObject | Unset = UNSET
    image: MediaObject | Unset = UNSET
    interactive: InteractiveObject | Unset = UNSET
    location: LocationMessage | Unset = UNSET
    pin: PinObject | Unset = UNSET
    reaction: ReactionMessage | Unset = UNSET
    recipient: str | Unset = UNSET
    recipient_type: MessageRecipientType | Unset = UNSET
    sticker: MediaObject | Unset = UNSET
    template: TemplateMessage | Unset = UNSET
    text: TextMessage | Unset = UNSET
    to: str | Unset = UNSET
    type_: MessageType | Unset = UNSET
    video: MediaObject | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        messaging_product = self.messaging_product

        audio: dict[str, Any] | Unset = UNSET
        if not isinstance(self.audio, Unset):
            audio = self.audio.to_dict()

        biz_opaque_callback_data = self.biz_opaque_callback_data

        contacts: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.contacts, Unset):
            contacts = []
            for contacts_item_data in self.contacts:
                contacts_item = contacts_item_data.to_dict()
                contacts.append(contacts_item)

        context: dict[str, Any] | Unset = UNSET
        if not isinstance(self.context, Unset):
            context = self.context.to_dict()

        document: dict[str, Any] | Unset = UNSET
        if not isinstance(self.document, Unset):
            document = self.document.to_dict()

        image: dict[str, Any] | Unset = UNSET
        if not isinstance(self.image, Unset):
            image = self.image.to_dict()

        interactive: dict[str, Any] | Unset = UNSET
        if not isinstance(self.interactive, Unset):
            interactive = self.interactive.to_dict()

        location: dict[str, Any] | Unset = UNSET
        if not isinstance(self.location, Unset):
            location = self.location.to_dict()

        pin: dict[str, Any] | Unset = UNSET
        if not isinstance(self.pin, Unset):
            pin = self.pin.to_dict()

        reaction: dict[str, Any] | Unset = UNSET
        if not isinstance(self.reaction, Unset):
            reaction = self.reaction.to_dict()

        recipient = self.recipient

        recipient_type: str | Unset = UNSET
        if not isinstance(self.recipient_type, Unset):
            recipient_type = self.recipient_type.value

        sticker: dict[str, Any] | Unset = UNSET
        if not isinstance(self.sticker, Unset):
            sticker = self.sticker.to_dict()

        template: dict[str, Any] | Unset = UNSET
        if not isinstance(self.template, Unset):
            template = self.template.to_dict()

        text: dict[str, Any] | Unset = UNSET
        if not isinstance(self.text, Unset):
            text = self.text.to_dict()

        to = self.to

        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_.value

        video: dict[str, Any] | Unset = UNSET
        if not isinstance(self.video, Unset):
            video = self.video.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "messaging_product": messaging_product,
            }
        )
        if audio is not UNSET:
            field_dict["audio"] = audio
        if biz_opaque_callback_data is not UNSET:
            field_dict["biz_opaque_callback_data"] = biz_opaque_callback_data
        if contacts is not UNSET:
            field_dict["contacts"] = contacts
        if context is not UNSET:
            field_dict["context"] = context
        if document is not UNSET:
            field_dict["document"] = document
        if image is not UNSET:
            field_dict["image"] = image
        if interactive is not UNSET:
            field_dict["interactive"] = interactive
        if location is not UNSET:
            field_dict["location"] = location
        if pin is not UNSET:
            field_dict["pin"] = pin
        if reaction is not UNSET:
            field_dict["reaction"] = reaction
        if recipient is not UNSET:
            field_dict["recipient"] = recipient
        if recipient_type is not UNSET:
            field_dict["recipient_type"] = recipient_type
        if sticker is not UNSET:
            field_dict["sticker"] = sticker
        if template is not UNSET:
            field_dict["template"] = template
        if text is not UNSET:
            field_dict["text"] = text
        if to is not UNSET:
            field_dict["to"] = to
        if type_ is not UNSET:
            field_dict["type"] = type_
        if video is not UNSET:
            field_dict["video"] = video

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.contact_card import ContactCard
        from ..models.interactive_object import InteractiveObject
        from ..models.location_message import LocationMessage
        from ..models.media_object import MediaObject
        from ..models.message_context import MessageContext
        from ..models.pin_object import PinObject
        from ..models.reaction_message import ReactionMessage
        from ..models.template_message import TemplateMessage
        from ..models.text_message import TextMessage

        d = dict(src_dict)
        messaging_product = d.pop("messaging_product")

        _audio = d.pop("audio", UNSET)
        audio: MediaObject | Unset
        if isinstance(_audio, Unset):
            audio = UNSET
        else:
            audio = MediaObject.from_dict(_audio)

        biz_opaque_callback_data = d.pop("biz_opaque_callback_data", UNSET)

        _contacts = d.pop("contacts", UNSET)
        contacts: list[ContactCard] | Unset = UNSET
        if _contacts is not UNSET:
            contacts = []
            for contacts_item_data in _contacts:
                contacts_item = ContactCard.from_dict(contacts_item_data)

                contacts.append(contacts_item)

        _context = d.pop("context", UNSET)
        context: MessageContext | Unset
        if isinstance(_context, Unset):
            context = UNSET
        else:
            context = MessageContext.from_dict(_context)

        _document = d.pop("document", UNSET)
        document: MediaObject | Unset
        if isinstance(_document, Unset):
            document = UNSET
        else:
            document = MediaObject.from_dict(_document)

        _image = d.pop("image", UNSET)
        image: MediaObject | Unset
        if isinstance(_image, Unset):
            image = UNSET
        else:
            image = MediaObject.from_dict(_image)

        _interactive = d.pop("interactive", UNSET)
        interactive: InteractiveObject | Unset
        if isinstance(_interactive, Unset):
            interactive = UNSET
        else:
            interactive = InteractiveObject.from_dict(_interactive)

        _location = d.pop("location", UNSET)
        location: LocationMessage | Unset
        if isinstance(_location, Unset):
            location = UNSET
        else:
            location = LocationMessage.from_dict(_location)

        _pin = d.pop("pin", UNSET)
        pin: PinObject | Unset
        if isinstance(_pin, Unset):
            pin = UNSET
        else:
            pin = PinObject.from_dict(_pin)

        _reaction = d.pop("reaction", UNSET)
        reaction: ReactionMessage | Unset
        if isinstance(_reaction, Unset):
            reaction = UNSET
        else:
            reaction = ReactionMessage.from_dict(_reaction)

        recipient = d.pop("recipient", UNSET)

        _recipient_type = d.pop("recipient_type", UNSET)
        recipient_type: MessageRecipientType | Unset
        if isinstance(_recipient_type, Unset):
            recipient_type = UNSET
        else:
            recipient_type = MessageRecipientType(_recipient_type)

        _sticker = d.pop("sticker", UNSET)
        sticker: MediaObject | Unset
        if isinstance(_sticker, Unset):
            sticker = UNSET
        else:
            sticker = MediaObject.from_dict(_sticker)

        _template = d.pop("template", UNSET)
        template: TemplateMessage | Unset
        if isinstance(_template, Unset):
            template = UNSET
        else:
            template = TemplateMessage.from_dict(_template)

        _text = d.pop("text", UNSET)
        text: TextMessage | Unset
        if isinstance(_text, Unset):
            text = UNSET
        else:
            text = TextMessage.from_dict(_text)

        to = d.pop("to", UNSET)

        _type_ = d.pop("type", UNSET)
        type_: MessageType | Unset
        if isinstance(_type_, Unset):
            type_ = UNSET
        else:
            type_ = MessageType(_type_)

        _video = d.pop("video", UNSET)
        video: MediaObject | Unset
        if isinstance(_video, Unset):
            video = UNSET
        else:
            video = MediaObject.from_dict(_video)

        message = cls(
            messaging_product=messaging_product,
            audio=audio,
            biz_opaque_callback_data=biz_opaque_callback_data,
            contacts=contacts,
            context=context,
            document=document,
            image=image,
            interactive=interactive,
            location=location,
            pin=pin,
            reaction=reaction,
            recipient=recipient,
            recipient_type=recipient_type,
            sticker=sticker,
            template=template,
            text=text,
            to=to,
            type_=type_,
            video=video,
        )

        message.additional_properties = d
        return message

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.response_contact import ResponseContact
    from ..models.response_message import ResponseMessage


T = TypeVar("T", bound="MessageResponsePayload")


@_attrs_define
class MessageResponsePayload:
    """
    Attributes:
        contacts (list[ResponseContact] | Unset):
        messages (list[ResponseMessage] | Unset):
        messaging_product (str | Unset):
    """

    contacts: list[ResponseContact] | Unset = UNSET
    messages: list[ResponseMessage] | Unset = UNSET
    messaging_product: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        contacts: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.contacts, Unset):
            contacts = []
            for contacts_item_data in self.contacts:
                contacts_item = contacts_item_data.to_dict()
                contacts.append(contacts_item)

        messages: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.messages, Unset):
            messages = []
            for messages_item_data in self.messages:
                messages_item = messages_item_data.to_dict()
                messages.append(messages_item)

        messaging_product = self.messaging_product

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if contacts is not UNSET:
            field_dict["contacts"] = contacts
        if messages is not UNSET:
            field_dict["messages"] = messages
        if messaging_product is not UNSET:
            field_dict["messaging_product"] = messaging_product

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.response_contact import ResponseContact
        from ..models.response_message import ResponseMessage

        d = dict(src_dict)
        _contacts = d.pop("contacts", UNSET)
        contacts: list[ResponseContact] | Unset = UNSET
        if _contacts is not UNSET:
            contacts = []
            for contacts_item_data in _contacts:
                contacts_item = ResponseContact.from_dict(contacts_item_data)

                contacts.append(contacts_item)

        _messages = d.pop("messages", UNSET)
        messages: list[ResponseMessage] | Unset = UNSET
        if _messages is not UNSET:
            messages = []
            for messages_item_data in _messages:
                messages_item = ResponseMessage.from_dict(messages_item_data)

                messages.append(messages_item)

        messaging_product = d.pop("messaging_product", UNSET)

        message_response_payload = cls(
            contacts=contacts,
            messages=messages,
            messaging_product=messaging_product,
        )

        message_response_payload.additional_properties = d
        return message_response_payload

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

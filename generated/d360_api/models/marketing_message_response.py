from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.marketing_message_response_contacts_item import (
        MarketingMessageResponseContactsItem,
    )
    from ..models.marketing_message_response_messages_item import (
        MarketingMessageResponseMessagesItem,
    )


T = TypeVar("T", bound="MarketingMessageResponse")


@_attrs_define
class MarketingMessageResponse:
    """Response payload for a successfully sent marketing message

    Attributes:
        contacts (list[MarketingMessageResponseContactsItem] | Unset):
        messages (list[MarketingMessageResponseMessagesItem] | Unset):
        messaging_product (str | Unset):
        product_policy (str | Unset): The policy upstream applied (CLOUD_API_FALLBACK, STRICT, or a newer value)
    """

    contacts: list[MarketingMessageResponseContactsItem] | Unset = UNSET
    messages: list[MarketingMessageResponseMessagesItem] | Unset = UNSET
    messaging_product: str | Unset = UNSET
    product_policy: str | Unset = UNSET
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

        product_policy = self.product_policy

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if contacts is not UNSET:
            field_dict["contacts"] = contacts
        if messages is not UNSET:
            field_dict["messages"] = messages
        if messaging_product is not UNSET:
            field_dict["messaging_product"] = messaging_product
        if product_policy is not UNSET:
            field_dict["product_policy"] = product_policy

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.marketing_message_response_contacts_item import (
            MarketingMessageResponseContactsItem,
        )
        from ..models.marketing_message_response_messages_item import (
            MarketingMessageResponseMessagesItem,
        )

        d = dict(src_dict)
        _contacts = d.pop("contacts", UNSET)
        contacts: list[MarketingMessageResponseContactsItem] | Unset = UNSET
        if _contacts is not UNSET:
            contacts = []
            for contacts_item_data in _contacts:
                contacts_item = MarketingMessageResponseContactsItem.from_dict(
                    contacts_item_data
                )

                contacts.append(contacts_item)

        _messages = d.pop("messages", UNSET)
        messages: list[MarketingMessageResponseMessagesItem] | Unset = UNSET
        if _messages is not UNSET:
            messages = []
            for messages_item_data in _messages:
                messages_item = MarketingMessageResponseMessagesItem.from_dict(
                    messages_item_data
                )

                messages.append(messages_item)

        messaging_product = d.pop("messaging_product", UNSET)

        product_policy = d.pop("product_policy", UNSET)

        marketing_message_response = cls(
            contacts=contacts,
            messages=messages,
            messaging_product=messaging_product,
            product_policy=product_policy,
        )

        marketing_message_response.additional_properties = d
        return marketing_message_response

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

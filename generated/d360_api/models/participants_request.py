from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.participants_request_messaging_product import (
    ParticipantsRequestMessagingProduct,
)

if TYPE_CHECKING:
    from ..models.participant_request import ParticipantRequest


T = TypeVar("T", bound="ParticipantsRequest")


@_attrs_define
class ParticipantsRequest:
    """
    Attributes:
        messaging_product (ParticipantsRequestMessagingProduct):
        participants (list[ParticipantRequest]):
    """

    messaging_product: ParticipantsRequestMessagingProduct
    participants: list[ParticipantRequest]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        messaging_product = self.messaging_product.value

        participants = []
        for participants_item_data in self.participants:
            participants_item = participants_item_data.to_dict()
            participants.append(participants_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "messaging_product": messaging_product,
                "participants": participants,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.participant_request import ParticipantRequest

        d = dict(src_dict)
        messaging_product = ParticipantsRequestMessagingProduct(
            d.pop("messaging_product")
        )

        participants = []
        _participants = d.pop("participants")
        for participants_item_data in _participants:
            participants_item = ParticipantRequest.from_dict(participants_item_data)

            participants.append(participants_item)

        participants_request = cls(
            messaging_product=messaging_product,
            participants=participants,
        )

        participants_request.additional_properties = d
        return participants_request

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

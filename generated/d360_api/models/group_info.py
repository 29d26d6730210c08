from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.group_participant import GroupParticipant


T = TypeVar("T", bound="GroupInfo")


@_attrs_define
class GroupInfo:
    """Response payload containing detailed group metadata

    Attributes:
        creation_timestamp (int | Unset):
        description (str | Unset):
        id (str | Unset):
        join_approval_mode (str | Unset): approval_required or auto_approve; open, as a newer value may come
        messaging_product (str | Unset):
        participants (list[GroupParticipant] | Unset):
        subject (str | Unset):
        suspended (bool | Unset):
        total_participant_count (int | Unset):
    """

    creation_timestamp: int | Unset = UNSET
    description: str | Unset = UNSET
    id: str | Unset = UNSET
    join_approval_mode: str | Unset = UNSET
    messaging_product: str | Unset = UNSET
    participants: list[GroupParticipant] | Unset = UNSET
    subject: str | Unset = UNSET
    suspended: bool | Unset = UNSET
    total_participant_count: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        creation_timestamp = self.creation_timestamp

        description = self.description

        id = self.id

        join_approval_mode = self.join_approval_mode

        messaging_product = self.messaging_product

        participants: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.participants, Unset):
            participants = []
            for participants_item_data in self.participants:
                participants_item = participants_item_data.to_dict()
                participants.append(participants_item)

        subject = self.subject

        suspended = self.suspended

        total_participant_count = self.total_participant_count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if creation_timestamp is not UNSET:
            field_dict["creation_timestamp"] = creation_timestamp
        if description is not UNSET:
            field_dict["description"] = description
        if id is not UNSET:
            field_dict["id"] = id
        if join_approval_mode is not UNSET:
            field_dict["join_approval_mode"] = join_approval_mode
        if messaging_product is not UNSET:
            field_dict["messaging_product"] = messaging_product
        if participants is not UNSET:
            field_dict["participants"] = participants
        if subject is not UNSET:
            field_dict["subject"] = subject
        if suspended is not UNSET:
            field_dict["suspended"] = suspended
        if total_participant_count is not UNSET:
            field_dict["total_participant_count"] = total_participant_count

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.group_participant import GroupParticipant

        d = dict(src_dict)
        creation_timestamp = d.pop("creation_timestamp", UNSET)

        description = d.pop("description", UNSET)

        id = d.pop("id", UNSET)

        join_approval_mode = d.pop("join_approval_mode", UNSET)

        messaging_product = d.pop("messaging_product", UNSET)

        _participants = d.pop("participants", UNSET)
        participants: list[GroupParticipant] | Unset = UNSET
        if _participants is not UNSET:
            participants = []
            for participants_item_data in _participants:
                participants_item = GroupParticipant.from_dict(participants_item_data)

                participants.append(participants_item)

        subject = d.pop("subject", UNSET)

        suspended = d.pop("suspended", UNSET)

        total_participant_count = d.pop("total_participant_count", UNSET)

        group_info = cls(
            creation_timestamp=creation_timestamp,
            description=description,
            id=id,
            join_approval_mode=join_approval_mode,
            messaging_product=messaging_product,
            participants=participants,
            subject=subject,
            suspended=suspended,
            total_participant_count=total_participant_count,
        )

        group_info.additional_properties = d
        return group_info

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.failed_participant import FailedParticipant
    from ..models.group_error import GroupError


T = TypeVar("T", bound="ParticipantsResponse")


@_attrs_define
class ParticipantsResponse:
    """
    Attributes:
        errors (list[GroupError] | Unset):
        failed_participants (list[FailedParticipant] | Unset):
        messaging_product (str | Unset):
    """

    errors: list[GroupError] | Unset = UNSET
    failed_participants: list[FailedParticipant] | Unset = UNSET
    messaging_product: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)

        failed_participants: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.failed_participants, Unset):
            failed_participants = []
            for failed_participants_item_data in self.failed_participants:
                failed_participants_item = failed_participants_item_data.to_dict()
                failed_participants.append(failed_participants_item)

        messaging_product = self.messaging_product

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if errors is not UNSET:
            field_dict["errors"] = errors
        if failed_participants is not UNSET:
            field_dict["failed_participants"] = failed_participants
        if messaging_product is not UNSET:
            field_dict["messaging_product"] = messaging_product

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.failed_participant import FailedParticipant
        from ..models.group_error import GroupError

        d = dict(src_dict)
        _errors = d.pop("errors", UNSET)
        errors: list[GroupError] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = GroupError.from_dict(errors_item_data)

                errors.append(errors_item)

        _failed_participants = d.pop("failed_participants", UNSET)
        failed_participants: list[FailedParticipant] | Unset = UNSET
        if _failed_participants is not UNSET:
            failed_participants = []
            for failed_participants_item_data in _failed_participants:
                failed_participants_item = FailedParticipant.from_dict(
                    failed_participants_item_data
                )

                failed_participants.append(failed_participants_item)

        messaging_product = d.pop("messaging_product", UNSET)

        participants_response = cls(
            errors=errors,
            failed_participants=failed_participants,
            messaging_product=messaging_product,
        )

        participants_response.additional_properties = d
        return participants_response

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

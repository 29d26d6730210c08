from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.health_error import HealthError


T = TypeVar("T", bound="HealthEntity")


@_attrs_define
class HealthEntity:
    """
    Attributes:
        additional_info (list[str] | Unset):
        can_receive_call_sip (str | Unset):
        can_send_message (str | Unset):
        entity_type (str | Unset): PHONE_NUMBER, WABA, BUSINESS or APP (values newer than these are kept).
        errors (list[HealthError] | Unset):
        id (str | Unset):
    """

    additional_info: list[str] | Unset = UNSET
    can_receive_call_sip: str | Unset = UNSET
    can_send_message: str | Unset = UNSET
    entity_type: str | Unset = UNSET
    errors: list[HealthError] | Unset = UNSET
    id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        additional_info: list[str] | Unset = UNSET
        if not isinstance(self.additional_info, Unset):
            additional_info = self.additional_info

        can_receive_call_sip = self.can_receive_call_sip

        can_send_message = self.can_send_message

        entity_type = self.entity_type

        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)

        id = self.id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if additional_info is not UNSET:
            field_dict["additional_info"] = additional_info
        if can_receive_call_sip is not UNSET:
            field_dict["can_receive_call_sip"] = can_receive_call_sip
        if can_send_message is not UNSET:
            field_dict["can_send_message"] = can_send_message
        if entity_type is not UNSET:
            field_dict["entity_type"] = entity_type
        if errors is not UNSET:
            field_dict["errors"] = errors
        if id is not UNSET:
            field_dict["id"] = id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.health_error import HealthError

        d = dict(src_dict)
        additional_info = cast(list[str], d.pop("additional_info", UNSET))

        can_receive_call_sip = d.pop("can_receive_call_sip", UNSET)

        can_send_message = d.pop("can_send_message", UNSET)

        entity_type = d.pop("entity_type", UNSET)

        _errors = d.pop("errors", UNSET)
        errors: list[HealthError] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = HealthError.from_dict(errors_item_data)

                errors.append(errors_item)

        id = d.pop("id", UNSET)

        health_entity = cls(
            additional_info=additional_info,
            can_receive_call_sip=can_receive_call_sip,
            can_send_message=can_send_message,
            entity_type=entity_type,
            errors=errors,
            id=id,
        )

        health_entity.additional_properties = d
        return health_entity

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.pin_object_type import PinObjectType
from ..types import UNSET, Unset

T = TypeVar("T", bound="PinObject")


@_attrs_define
class PinObject:
    """
    Attributes:
        message_id (str):
        type_ (PinObjectType):
        expiration_days (int | Unset):
    """

    message_id: str
    type_: PinObjectType
    expiration_days: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        message_id = self.message_id

        type_ = self.type_.value

        expiration_days = self.expiration_days

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "message_id": message_id,
                "type": type_,
            }
        )
        if expiration_days is not UNSET:
            field_dict["expiration_days"] = expiration_days

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        message_id = d.pop("message_id")

        type_ = PinObjectType(d.pop("type"))

        expiration_days = d.pop("expiration_days", UNSET)

        pin_object = cls(
            message_id=message_id,
            type_=type_,
            expiration_days=expiration_days,
        )

        pin_object.additional_properties = d
        return pin_object

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

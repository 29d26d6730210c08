from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="JoinRequest")


@_attrs_define
class JoinRequest:
    """
    Attributes:
        creation_timestamp (int | Unset):
        join_request_id (str | Unset):
        wa_id (str | Unset):
    """

    creation_timestamp: int | Unset = UNSET
    join_request_id: str | Unset = UNSET
    wa_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        creation_timestamp = self.creation_timestamp

        join_request_id = self.join_request_id

        wa_id = self.wa_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if creation_timestamp is not UNSET:
            field_dict["creation_timestamp"] = creation_timestamp
        if join_request_id is not UNSET:
            field_dict["join_request_id"] = join_request_id
        if wa_id is not UNSET:
            field_dict["wa_id"] = wa_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        creation_timestamp = d.pop("creation_timestamp", UNSET)

        join_request_id = d.pop("join_request_id", UNSET)

        wa_id = d.pop("wa_id", UNSET)

        join_request = cls(
            creation_timestamp=creation_timestamp,
            join_request_id=join_request_id,
            wa_id=wa_id,
        )

        join_request.additional_properties = d
        return join_request

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

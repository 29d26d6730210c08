from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateGroupResponse")


@_attrs_define
class CreateGroupResponse:
    """Response payload for a successfully created group

    Attributes:
        id (str | Unset):
        messaging_product (str | Unset):
        request_id (str | Unset):
    """

    id: str | Unset = UNSET
    messaging_product: str | Unset = UNSET
    request_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        messaging_product = self.messaging_product

        request_id = self.request_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if messaging_product is not UNSET:
            field_dict["messaging_product"] = messaging_product
        if request_id is not UNSET:
            field_dict["request_id"] = request_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id", UNSET)

        messaging_product = d.pop("messaging_product", UNSET)

        request_id = d.pop("request_id", UNSET)

        create_group_response = cls(
            id=id,
            messaging_product=messaging_product,
            request_id=request_id,
        )

        create_group_response.additional_properties = d
        return create_group_response

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="BusinessEncryptionInfo")


@_attrs_define
class BusinessEncryptionInfo:
    """Business encryption public key information and verification status

    Attributes:
        business_public_key (str | Unset):
        business_public_key_signature_status (str | Unset): VALID or MISMATCH (upstream's values); open, as a newer one
            may come.
    """

    business_public_key: str | Unset = UNSET
    business_public_key_signature_status: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        business_public_key = self.business_public_key

        business_public_key_signature_status = self.business_public_key_signature_status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if business_public_key is not UNSET:
            field_dict["business_public_key"] = business_public_key
        if business_public_key_signature_status is not UNSET:
            field_dict["business_public_key_signature_status"] = (
                business_public_key_signature_status
            )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        business_public_key = d.pop("business_public_key", UNSET)

        business_public_key_signature_status = d.pop(
            "business_public_key_signature_status", UNSET
        )

        business_encryption_info = cls(
            business_public_key=business_public_key,
            business_public_key_signature_status=business_public_key_signature_status,
        )

        business_encryption_info.additional_properties = d
        return business_encryption_info

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

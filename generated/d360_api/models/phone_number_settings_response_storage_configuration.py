from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PhoneNumberSettingsResponseStorageConfiguration")


@_attrs_define
class PhoneNumberSettingsResponseStorageConfiguration:
    """
    Attributes:
        data_localization_region (str | Unset):
        status (str | Unset):
    """

    data_localization_region: str | Unset = UNSET
    status: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data_localization_region = self.data_localization_region

        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if data_localization_region is not UNSET:
            field_dict["data_localization_region"] = data_localization_region
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        data_localization_region = d.pop("data_localization_region", UNSET)

        status = d.pop("status", UNSET)

        phone_number_settings_response_storage_configuration = cls(
            data_localization_region=data_localization_region,
            status=status,
        )

        phone_number_settings_response_storage_configuration.additional_properties = d
        return phone_number_settings_response_storage_configuration

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

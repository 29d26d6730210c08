from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.calling_settings_response import CallingSettingsResponse
    from ..models.phone_number_settings_response_payload_encryption import (
        PhoneNumberSettingsResponsePayloadEncryption,
    )
    from ..models.phone_number_settings_response_storage_configuration import (
        PhoneNumberSettingsResponseStorageConfiguration,
    )


T = TypeVar("T", bound="PhoneNumberSettingsResponse")


@_attrs_define
class PhoneNumberSettingsResponse:
    """Response payload containing phone number settings including calling, encryption, and storage configuration

    Attributes:
        calling (CallingSettingsResponse | Unset): The calling settings as read; each value open, in the case upstream
            answers it
        payload_encryption (PhoneNumberSettingsResponsePayloadEncryption | Unset):
        storage_configuration (PhoneNumberSettingsResponseStorageConfiguration | Unset):
    """

    calling: CallingSettingsResponse | Unset = UNSET
    payload_encryption: PhoneNumberSettingsResponsePayloadEncryption | Unset = UNSET
    storage_configuration: PhoneNumberSettingsResponseStorageConfiguration | Unset = (
        UNSET
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        calling: dict[str, Any] | Unset = UNSET
        if not isinstance(self.calling, Unset):
            calling = self.calling.to_dict()

        payload_encryption: dict[str, Any] | Unset = UNSET
        if not isinstance(self.payload_encryption, Unset):
            payload_encryption = self.payload_encryption.to_dict()

        storage_configuration: dict[str, Any] | Unset = UNSET
        if not isinstance(self.storage_configuration, Unset):
            storage_configuration = self.storage_configuration.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if calling is not UNSET:
            field_dict["calling"] = calling
        if payload_encryption is not UNSET:
            field_dict["payload_encryption"] = payload_encryption
        if storage_configuration is not UNSET:
            field_dict["storage_configuration"] = storage_configuration

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.calling_settings_response import CallingSettingsResponse
        from ..models.phone_number_settings_response_payload_encryption import (
            PhoneNumberSettingsResponsePayloadEncryption,
        )
        from ..models.phone_number_settings_response_storage_configuration import (
            PhoneNumberSettingsResponseStorageConfiguration,
        )

        d = dict(src_dict)
        _calling = d.pop("calling", UNSET)
        calling: CallingSettingsResponse | Unset
        if isinstance(_calling, Unset):
            calling = UNSET
        else:
            calling = CallingSettingsResponse.from_dict(_calling)

        _payload_encryption = d.pop("payload_encryption", UNSET)
        payload_encryption: PhoneNumberSettingsResponsePayloadEncryption | Unset
        if isinstance(_payload_encryption, Unset):
            payload_encryption = UNSET
        else:
            payload_encryption = PhoneNumberSettingsResponsePayloadEncryption.from_dict(
                _payload_encryption
            )

        _storage_configuration = d.pop("storage_configuration", UNSET)
        storage_configuration: PhoneNumberSettingsResponseStorageConfiguration | Unset
        if isinstance(_storage_configuration, Unset):
            storage_configuration = UNSET
        else:
            storage_configuration = (
                PhoneNumberSettingsResponseStorageConfiguration.from_dict(
                    _storage_configuration
                )
            )

        phone_number_settings_response = cls(
            calling=calling,
            payload_encryption=payload_encryption,
            storage_configuration=storage_configuration,
        )

        phone_number_settings_response.additional_properties = d
        return phone_number_settings_response

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

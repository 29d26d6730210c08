from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.update_group_settings_request_messaging_product import (
    UpdateGroupSettingsRequestMessagingProduct,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="UpdateGroupSettingsRequest")


@_attrs_define
class UpdateGroupSettingsRequest:
    """The settings to change; those left out stay as they are

    Attributes:
        messaging_product (UpdateGroupSettingsRequestMessagingProduct):
        description (str | Unset):
        profile_picture_file (str | Unset): An image file for the group's profile picture (Meta's spec)
        subject (str | Unset):
    """

    messaging_product: UpdateGroupSettingsRequestMessagingProduct
    description: str | Unset = UNSET
    profile_picture_file: str | Unset = UNSET
    subject: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        messaging_product = self.messaging_product.value

        description = self.description

        profile_picture_file = self.profile_picture_file

        subject = self.subject

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "messaging_product": messaging_product,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if profile_picture_file is not UNSET:
            field_dict["profile_picture_file"] = profile_picture_file
        if subject is not UNSET:
            field_dict["subject"] = subject

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        messaging_product = UpdateGroupSettingsRequestMessagingProduct(
            d.pop("messaging_product")
        )

        description = d.pop("description", UNSET)

        profile_picture_file = d.pop("profile_picture_file", UNSET)

        subject = d.pop("subject", UNSET)

        update_group_settings_request = cls(
            messaging_product=messaging_product,
            description=description,
            profile_picture_file=profile_picture_file,
            subject=subject,
        )

        update_group_settings_request.additional_properties = d
        return update_group_settings_request

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

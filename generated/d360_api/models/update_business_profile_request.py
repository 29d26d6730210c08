from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.update_business_profile_request_messaging_product import (
    UpdateBusinessProfileRequestMessagingProduct,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="UpdateBusinessProfileRequest")


@_attrs_define
class UpdateBusinessProfileRequest:
    """The profile fields to change; those left out stay as they are

    Attributes:
        about (str | Unset):
        address (str | Unset):
        description (str | Unset):
        email (str | Unset):
        messaging_product (UpdateBusinessProfileRequestMessagingProduct | Unset):
        profile_picture_handle (str | Unset): The handle of an image uploaded through an upload session (POST /uploads).
        vertical (str | Unset): One of the values BusinessProfileData.vertical lists; a value newer than d360's list is
            sent as given. It cannot be set back to empty.
        websites (list[str] | Unset):
    """

    about: str | Unset = UNSET
    address: str | Unset = UNSET
    description: str | Unset = UNSET
    email: str | Unset = UNSET
    messaging_product: UpdateBusinessProfileRequestMessagingProduct | Unset = UNSET
    profile_picture_handle: str | Unset = UNSET
    vertical: str | Unset = UNSET
    websites: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        about = self.about

        address = self.address

        description = self.description

        email = self.email

        messaging_product: str | Unset = UNSET
        if not isinstance(self.messaging_product, Unset):
            messaging_product = self.messaging_product.value

        profile_picture_handle = self.profile_picture_handle

        vertical = self.vertical

        websites: list[str] | Unset = UNSET
        if not isinstance(self.websites, Unset):
            websites = self.websites

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if about is not UNSET:
            field_dict["about"] = about
        if address is not UNSET:
            field_dict["address"] = address
        if description is not UNSET:
            field_dict["description"] = description
        if email is not UNSET:
            field_dict["email"] = email
        if messaging_product is not UNSET:
            field_dict["messaging_product"] = messaging_product
        if profile_picture_handle is not UNSET:
            field_dict["profile_picture_handle"] = profile_picture_handle
        if vertical is not UNSET:
            field_dict["vertical"] = vertical
        if websites is not UNSET:
            field_dict["websites"] = websites

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        about = d.pop("about", UNSET)

        address = d.pop("address", UNSET)

        description = d.pop("description", UNSET)

        email = d.pop("email", UNSET)

        _messaging_product = d.pop("messaging_product", UNSET)
        messaging_product: UpdateBusinessProfileRequestMessagingProduct | Unset
        if isinstance(_messaging_product, Unset):
            messaging_product = UNSET
        else:
            messaging_product = UpdateBusinessProfileRequestMessagingProduct(
                _messaging_product
            )

        profile_picture_handle = d.pop("profile_picture_handle", UNSET)

        vertical = d.pop("vertical", UNSET)

        websites = cast(list[str], d.pop("websites", UNSET))

        update_business_profile_request = cls(
            about=about,
            address=address,
            description=description,
            email=email,
            messaging_product=messaging_product,
            profile_picture_handle=profile_picture_handle,
            vertical=vertical,
            websites=websites,
        )

        update_business_profile_request.additional_properties = d
        return update_business_profile_request

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="BusinessProfileData")


@_attrs_define
class BusinessProfileData:
    """WhatsApp Business Profile information and settings

    Attributes:
        messaging_product (str):
        about (str | Unset):
        address (str | Unset):
        description (str | Unset):
        email (str | Unset):
        profile_picture_url (str | Unset):
        vertical (str | Unset): The business's industry: UNDEFINED, OTHER, AUTO, BEAUTY, APPAREL, EDU, ENTERTAIN,
            EVENT_PLAN, FINANCE, GROCERY, GOVT, HOTEL, HEALTH, NONPROFIT, PROF_SERVICES, RETAIL, TRAVEL, RESTAURANT,
            ALCOHOL, ONLINE_GAMBLING, PHYSICAL_GAMBLING, OTC_DRUGS, NOT_A_BIZ (the pages' lists); open, as the update takes
            a newer value too, so an answer may hold one.
        websites (list[str] | Unset):
    """

    messaging_product: str
    about: str | Unset = UNSET
    address: str | Unset = UNSET
    description: str | Unset = UNSET
    email: str | Unset = UNSET
    profile_picture_url: str | Unset = UNSET
    vertical: str | Unset = UNSET
    websites: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        messaging_product = self.messaging_product

        about = self.about

        address = self.address

        description = self.description

        email = self.email

        profile_picture_url = self.profile_picture_url

        vertical = self.vertical

        websites: list[str] | Unset = UNSET
        if not isinstance(self.websites, Unset):
            websites = self.websites

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "messaging_product": messaging_product,
            }
        )
        if about is not UNSET:
            field_dict["about"] = about
        if address is not UNSET:
            field_dict["address"] = address
        if description is not UNSET:
            field_dict["description"] = description
        if email is not UNSET:
            field_dict["email"] = email
        if profile_picture_url is not UNSET:
            field_dict["profile_picture_url"] = profile_picture_url
        if vertical is not UNSET:
            field_dict["vertical"] = vertical
        if websites is not UNSET:
            field_dict["websites"] = websites

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        messaging_product = d.pop("messaging_product")

        about = d.pop("about", UNSET)

        address = d.pop("address", UNSET)

        description = d.pop("description", UNSET)

        email = d.pop("email", UNSET)

        profile_picture_url = d.pop("profile_picture_url", UNSET)

        vertical = d.pop("vertical", UNSET)

        websites = cast(list[str], d.pop("websites", UNSET))

        business_profile_data = cls(
            messaging_product=messaging_product,
            about=about,
            address=address,
            description=description,
            email=email,
            profile_picture_url=profile_picture_url,
            vertical=vertical,
            websites=websites,
        )

        business_profile_data.additional_properties = d
        return business_profile_data

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ContactCardAddressesItem")


@_attrs_define
class ContactCardAddressesItem:
    """
    Attributes:
        city (str | Unset):
        country (str | Unset):
        country_code (str | Unset):
        state (str | Unset):
        street (str | Unset):
        type_ (str | Unset):
        zip_ (str | Unset):
    """

    city: str | Unset = UNSET
    country: str | Unset = UNSET
    country_code: str | Unset = UNSET
    state: str | Unset = UNSET
    street: str | Unset = UNSET
    type_: str | Unset = UNSET
    zip_: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        city = self.city

        country = self.country

        country_code = self.country_code

        state = self.state

        street = self.street

        type_ = self.type_

        zip_ = self.zip_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if city is not UNSET:
            field_dict["city"] = city
        if country is not UNSET:
            field_dict["country"] = country
        if country_code is not UNSET:
            field_dict["country_code"] = country_code
        if state is not UNSET:
            field_dict["state"] = state
        if street is not UNSET:
            field_dict["street"] = street
        if type_ is not UNSET:
            field_dict["type"] = type_
        if zip_ is not UNSET:
            field_dict["zip"] = zip_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        city = d.pop("city", UNSET)

        country = d.pop("country", UNSET)

        country_code = d.pop("country_code", UNSET)

        state = d.pop("state", UNSET)

        street = d.pop("street", UNSET)

        type_ = d.pop("type", UNSET)

        zip_ = d.pop("zip", UNSET)

        contact_card_addresses_item = cls(
            city=city,
            country=country,
            country_code=country_code,
            state=state,
            street=street,
            type_=type_,
            zip_=zip_,
        )

        contact_card_addresses_item.additional_properties = d
        return contact_card_addresses_item

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.library_button_input_url import LibraryButtonInputUrl


T = TypeVar("T", bound="LibraryButtonInput")


@_attrs_define
class LibraryButtonInput:
    """The business's own website or phone number for a button of a library template.

    Attributes:
        type_ (str): URL or PHONE_NUMBER.
        phone_number (str | Unset):
        url (LibraryButtonInputUrl | Unset):
    """

    type_: str
    phone_number: str | Unset = UNSET
    url: LibraryButtonInputUrl | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        phone_number = self.phone_number

        url: dict[str, Any] | Unset = UNSET
        if not isinstance(self.url, Unset):
            url = self.url.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
            }
        )
        if phone_number is not UNSET:
            field_dict["phone_number"] = phone_number
        if url is not UNSET:
            field_dict["url"] = url

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.library_button_input_url import LibraryButtonInputUrl

        d = dict(src_dict)
        type_ = d.pop("type")

        phone_number = d.pop("phone_number", UNSET)

        _url = d.pop("url", UNSET)
        url: LibraryButtonInputUrl | Unset
        if isinstance(_url, Unset):
            url = UNSET
        else:
            url = LibraryButtonInputUrl.from_dict(_url)

        library_button_input = cls(
            type_=type_,
            phone_number=phone_number,
            url=url,
        )

        library_button_input.additional_properties = d
        return library_button_input

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

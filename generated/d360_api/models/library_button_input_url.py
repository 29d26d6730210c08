from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="LibraryButtonInputUrl")


@_attrs_define
class LibraryButtonInputUrl:
    """
    Attributes:
        base_url (str | Unset):
        url_suffix_example (str | Unset):
    """

    base_url: str | Unset = UNSET
    url_suffix_example: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        base_url = self.base_url

        url_suffix_example = self.url_suffix_example

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if base_url is not UNSET:
            field_dict["base_url"] = base_url
        if url_suffix_example is not UNSET:
            field_dict["url_suffix_example"] = url_suffix_example

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        base_url = d.pop("base_url", UNSET)

        url_suffix_example = d.pop("url_suffix_example", UNSET)

        library_button_input_url = cls(
            base_url=base_url,
            url_suffix_example=url_suffix_example,
        )

        library_button_input_url.additional_properties = d
        return library_button_input_url

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

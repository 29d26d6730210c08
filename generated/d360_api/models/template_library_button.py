from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.template_library_button_url import TemplateLibraryButtonURL


T = TypeVar("T", bound="TemplateLibraryButton")


@_attrs_define
class TemplateLibraryButton:
    """
    Attributes:
        phone_number (str | Unset):
        text (str | Unset):
        type_ (str | Unset):
        url (TemplateLibraryButtonURL | Unset):
    """

    phone_number: str | Unset = UNSET
    text: str | Unset = UNSET
    type_: str | Unset = UNSET
    url: TemplateLibraryButtonURL | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        phone_number = self.phone_number

        text = self.text

        type_ = self.type_

        url: dict[str, Any] | Unset = UNSET
        if not isinstance(self.url, Unset):
            url = self.url.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if phone_number is not UNSET:
            field_dict["phone_number"] = phone_number
        if text is not UNSET:
            field_dict["text"] = text
        if type_ is not UNSET:
            field_dict["type"] = type_
        if url is not UNSET:
            field_dict["url"] = url

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.template_library_button_url import TemplateLibraryButtonURL

        d = dict(src_dict)
        phone_number = d.pop("phone_number", UNSET)

        text = d.pop("text", UNSET)

        type_ = d.pop("type", UNSET)

        _url = d.pop("url", UNSET)
        url: TemplateLibraryButtonURL | Unset
        if isinstance(_url, Unset):
            url = UNSET
        else:
            url = TemplateLibraryButtonURL.from_dict(_url)

        template_library_button = cls(
            phone_number=phone_number,
            text=text,
            type_=type_,
            url=url,
        )

        template_library_button.additional_properties = d
        return template_library_button

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

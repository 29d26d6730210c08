from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TemplateDefinitionButton")


@_attrs_define
class TemplateDefinitionButton:
    """A button of a template's BUTTONS component.

    Attributes:
        type_ (str): QUICK_REPLY, URL, PHONE_NUMBER, COPY_CODE, OTP, FLOW, CATALOG, MPM, ...
        example (Any | Unset): Sample values for the button's variables (a list of strings, or one string).
        phone_number (str | Unset):
        text (str | Unset):
        url (str | Unset):
    """

    type_: str
    example: Any | Unset = UNSET
    phone_number: str | Unset = UNSET
    text: str | Unset = UNSET
    url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        example = self.example

        phone_number = self.phone_number

        text = self.text

        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
            }
        )
        if example is not UNSET:
            field_dict["example"] = example
        if phone_number is not UNSET:
            field_dict["phone_number"] = phone_number
        if text is not UNSET:
            field_dict["text"] = text
        if url is not UNSET:
            field_dict["url"] = url

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        type_ = d.pop("type")

        example = d.pop("example", UNSET)

        phone_number = d.pop("phone_number", UNSET)

        text = d.pop("text", UNSET)

        url = d.pop("url", UNSET)

        template_definition_button = cls(
            type_=type_,
            example=example,
            phone_number=phone_number,
            text=text,
            url=url,
        )

        template_definition_button.additional_properties = d
        return template_definition_button

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

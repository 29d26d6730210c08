from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.template_library_button import TemplateLibraryButton


T = TypeVar("T", bound="MessageTemplateLibraryItem")


@_attrs_define
class MessageTemplateLibraryItem:
    """
    Attributes:
        body (str | Unset):
        body_param_types (list[str] | Unset):
        body_params (list[str] | Unset):
        buttons (list[TemplateLibraryButton] | Unset):
        category (str | Unset):
        header (str | Unset):
        industry (list[str] | Unset):
        language (str | Unset):
        name (str | Unset):
        topic (str | Unset):
        usecase (str | Unset):
    """

    body: str | Unset = UNSET
    body_param_types: list[str] | Unset = UNSET
    body_params: list[str] | Unset = UNSET
    buttons: list[TemplateLibraryButton] | Unset = UNSET
    category: str | Unset = UNSET
    header: str | Unset = UNSET
    industry: list[str] | Unset = UNSET
    language: str | Unset = UNSET
    name: str | Unset = UNSET
    topic: str | Unset = UNSET
    usecase: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        body = self.body

        body_param_types: list[str] | Unset = UNSET
        if not isinstance(self.body_param_types, Unset):
            body_param_types = self.body_param_types

        body_params: list[str] | Unset = UNSET
        if not isinstance(self.body_params, Unset):
            body_params = self.body_params

        buttons: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.buttons, Unset):
            buttons = []
            for buttons_item_data in self.buttons:
                buttons_item = buttons_item_data.to_dict()
                buttons.append(buttons_item)

        category = self.category

        header = self.header

        industry: list[str] | Unset = UNSET
        if not isinstance(self.industry, Unset):
            industry = self.industry

        language = self.language

        name = self.name

        topic = self.topic

        usecase = self.usecase

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if body is not UNSET:
            field_dict["body"] = body
        if body_param_types is not UNSET:
            field_dict["body_param_types"] = body_param_types
        if body_params is not UNSET:
            field_dict["body_params"] = body_params
        if buttons is not UNSET:
            field_dict["buttons"] = buttons
        if category is not UNSET:
            field_dict["category"] = category
        if header is not UNSET:
            field_dict["header"] = header
        if industry is not UNSET:
            field_dict["industry"] = industry
        if language is not UNSET:
            field_dict["language"] = language
        if name is not UNSET:
            field_dict["name"] = name
        if topic is not UNSET:
            field_dict["topic"] = topic
        if usecase is not UNSET:
            field_dict["usecase"] = usecase

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.template_library_button import TemplateLibraryButton

        d = dict(src_dict)
        body = d.pop("body", UNSET)

        body_param_types = cast(list[str], d.pop("body_param_types", UNSET))

        body_params = cast(list[str], d.pop("body_params", UNSET))

        _buttons = d.pop("buttons", UNSET)
        buttons: list[TemplateLibraryButton] | Unset = UNSET
        if _buttons is not UNSET:
            buttons = []
            for buttons_item_data in _buttons:
                buttons_item = TemplateLibraryButton.from_dict(buttons_item_data)

                buttons.append(buttons_item)

        category = d.pop("category", UNSET)

        header = d.pop("header", UNSET)

        industry = cast(list[str], d.pop("industry", UNSET))

        language = d.pop("language", UNSET)

        name = d.pop("name", UNSET)

        topic = d.pop("topic", UNSET)

        usecase = d.pop("usecase", UNSET)

        message_template_library_item = cls(
            body=body,
            body_param_types=body_param_types,
            body_params=body_params,
            buttons=buttons,
            category=category,
            header=header,
            industry=industry,
            language=language,
            name=name,
            topic=topic,
            usecase=usecase,
        )

        message_template_library_item.additional_properties = d
        return message_template_library_item

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

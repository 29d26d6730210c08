from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.template_definition_component_type import TemplateDefinitionComponentType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.template_definition_button import TemplateDefinitionButton
    from ..models.template_definition_component_cards_item import (
        TemplateDefinitionComponentCardsItem,
    )
    from ..models.template_definition_component_example import (
        TemplateDefinitionComponentExample,
    )


T = TypeVar("T", bound="TemplateDefinitionComponent")


@_attrs_define
class TemplateDefinitionComponent:
    """A part of a template's definition (its header, body, footer, buttons, ...).

    Attributes:
        type_ (TemplateDefinitionComponentType):
        buttons (list[TemplateDefinitionButton] | Unset):
        cards (list[TemplateDefinitionComponentCardsItem] | Unset): A carousel's cards, each with its own components.
        example (TemplateDefinitionComponentExample | Unset): Sample values for the component's {{n}} variables
            (header_text, body_text, header_handle).
        format_ (str | Unset): A header's format (TEXT, IMAGE, VIDEO, DOCUMENT, LOCATION, ...).
        text (str | Unset):
    """

    type_: TemplateDefinitionComponentType
    buttons: list[TemplateDefinitionButton] | Unset = UNSET
    cards: list[TemplateDefinitionComponentCardsItem] | Unset = UNSET
    example: TemplateDefinitionComponentExample | Unset = UNSET
    format_: str | Unset = UNSET
    text: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        buttons: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.buttons, Unset):
            buttons = []
            for buttons_item_data in self.buttons:
                buttons_item = buttons_item_data.to_dict()
                buttons.append(buttons_item)

        cards: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.cards, Unset):
            cards = []
            for cards_item_data in self.cards:
                cards_item = cards_item_data.to_dict()
                cards.append(cards_item)

        example: dict[str, Any] | Unset = UNSET
        if not isinstance(self.example, Unset):
            example = self.example.to_dict()

        format_ = self.format_

        text = self.text

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
            }
        )
        if buttons is not UNSET:
            field_dict["buttons"] = buttons
        if cards is not UNSET:
            field_dict["cards"] = cards
        if example is not UNSET:
            field_dict["example"] = example
        if format_ is not UNSET:
            field_dict["format"] = format_
        if text is not UNSET:
            field_dict["text"] = text

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.template_definition_button import TemplateDefinitionButton
        from ..models.template_definition_component_cards_item import (
            TemplateDefinitionComponentCardsItem,
        )
        from ..models.template_definition_component_example import (
            TemplateDefinitionComponentExample,
        )

        d = dict(src_dict)
        type_ = TemplateDefinitionComponentType(d.pop("type"))

        _buttons = d.pop("buttons", UNSET)
        buttons: list[TemplateDefinitionButton] | Unset = UNSET
        if _buttons is not UNSET:
            buttons = []
            for buttons_item_data in _buttons:
                buttons_item = TemplateDefinitionButton.from_dict(buttons_item_data)

                buttons.append(buttons_item)

        _cards = d.pop("cards", UNSET)
        cards: list[TemplateDefinitionComponentCardsItem] | Unset = UNSET
        if _cards is not UNSET:
            cards = []
            for cards_item_data in _cards:
                cards_item = TemplateDefinitionComponentCardsItem.from_dict(
                    cards_item_data
                )

                cards.append(cards_item)

        _example = d.pop("example", UNSET)
        example: TemplateDefinitionComponentExample | Unset
        if isinstance(_example, Unset):
            example = UNSET
        else:
            example = TemplateDefinitionComponentExample.from_dict(_example)

        format_ = d.pop("format", UNSET)

        text = d.pop("text", UNSET)

        template_definition_component = cls(
            type_=type_,
            buttons=buttons,
            cards=cards,
            example=example,
            format_=format_,
            text=text,
        )

        template_definition_component.additional_properties = d
        return template_definition_component

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

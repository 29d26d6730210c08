from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.template_component_sub_type import TemplateComponentSubType
from ..models.template_component_type import TemplateComponentType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.template_component_cards_item import TemplateComponentCardsItem
    from ..models.template_parameter import TemplateParameter


T = TypeVar("T", bound="TemplateComponent")


@_attrs_define
class TemplateComponent:
    """
    Attributes:
        type_ (TemplateComponentType):
        cards (list[TemplateComponentCardsItem] | Unset):
        index (int | str | Unset):
        parameters (list[TemplateParameter] | Unset):
        sub_type (TemplateComponentSubType | Unset):
    """

    type_: TemplateComponentType
    cards: list[TemplateComponentCardsItem] | Unset = UNSET
    index: int | str | Unset = UNSET
    parameters: list[TemplateParameter] | Unset = UNSET
    sub_type: TemplateComponentSubType | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        cards: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.cards, Unset):
            cards = []
            for cards_item_data in self.cards:
                cards_item = cards_item_data.to_dict()
                cards.append(cards_item)

        index: int | str | Unset
        if isinstance(self.index, Unset):
            index = UNSET
        else:
            index = self.index

        parameters: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.parameters, Unset):
            parameters = []
            for parameters_item_data in self.parameters:
                parameters_item = parameters_item_data.to_dict()
                parameters.append(parameters_item)

        sub_type: str | Unset = UNSET
        if not isinstance(self.sub_type, Unset):
            sub_type = self.sub_type.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
            }
        )
        if cards is not UNSET:
            field_dict["cards"] = cards
        if index is not UNSET:
            field_dict["index"] = index
        if parameters is not UNSET:
            field_dict["parameters"] = parameters
        if sub_type is not UNSET:
            field_dict["sub_type"] = sub_type

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.template_component_cards_item import TemplateComponentCardsItem
        from ..models.template_parameter import TemplateParameter

        d = dict(src_dict)
        type_ = TemplateComponentType(d.pop("type"))

        _cards = d.pop("cards", UNSET)
        cards: list[TemplateComponentCardsItem] | Unset = UNSET
        if _cards is not UNSET:
            cards = []
            for cards_item_data in _cards:
                cards_item = TemplateComponentCardsItem.from_dict(cards_item_data)

                cards.append(cards_item)

        def _parse_index(data: object) -> int | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | str | Unset, data)

        index = _parse_index(d.pop("index", UNSET))

        _parameters = d.pop("parameters", UNSET)
        parameters: list[TemplateParameter] | Unset = UNSET
        if _parameters is not UNSET:
            parameters = []
            for parameters_item_data in _parameters:
                parameters_item = TemplateParameter.from_dict(parameters_item_data)

                parameters.append(parameters_item)

        _sub_type = d.pop("sub_type", UNSET)
        sub_type: TemplateComponentSubType | Unset
        if isinstance(_sub_type, Unset):
            sub_type = UNSET
        else:
            sub_type = TemplateComponentSubType(_sub_type)

        template_component = cls(
            type_=type_,
            cards=cards,
            index=index,
            parameters=parameters,
            sub_type=sub_type,
        )

        template_component.additional_properties = d
        return template_component

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

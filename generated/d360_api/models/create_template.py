from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.template_category import TemplateCategory
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.library_button_input import LibraryButtonInput
    from ..models.template_definition_component import TemplateDefinitionComponent


T = TypeVar("T", bound="CreateTemplate")


@_attrs_define
class CreateTemplate:
    """A template to submit for review: its components, or the name of a template library template to create it from.

    Attributes:
        category (TemplateCategory): What a template is for; Meta may change it on review when allow_category_change is
            true.
        language (str): The language and locale code, such as en_US.
        name (str):
        allow_category_change (bool | Unset): Let Meta give the template another category instead of rejecting it.
        components (list[TemplateDefinitionComponent] | Unset):
        library_template_button_inputs (list[LibraryButtonInput] | Unset):
        library_template_name (str | Unset): The exact name of the template library's template to create this one from.
    """

    category: TemplateCategory
    language: str
    name: str
    allow_category_change: bool | Unset = UNSET
    components: list[TemplateDefinitionComponent] | Unset = UNSET
    library_template_button_inputs: list[LibraryButtonInput] | Unset = UNSET
    library_template_name: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        category = self.category.value

        language = self.language

        name = self.name

        allow_category_change = self.allow_category_change

        components: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.components, Unset):
            components = []
            for components_item_data in self.components:
                components_item = components_item_data.to_dict()
                components.append(components_item)

        library_template_button_inputs: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.library_template_button_inputs, Unset):
            library_template_button_inputs = []
            for (
                library_template_button_inputs_item_data
            ) in self.library_template_button_inputs:
                library_template_button_inputs_item = (
                    library_template_button_inputs_item_data.to_dict()
                )
                library_template_button_inputs.append(
                    library_template_button_inputs_item
                )

        library_template_name = self.library_template_name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "category": category,
                "language": language,
                "name": name,
            }
        )
        if allow_category_change is not UNSET:
            field_dict["allow_category_change"] = allow_category_change
        if components is not UNSET:
            field_dict["components"] = components
        if library_template_button_inputs is not UNSET:
            field_dict["library_template_button_inputs"] = (
                library_template_button_inputs
            )
        if library_template_name is not UNSET:
            field_dict["library_template_name"] = library_template_name

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.library_button_input import LibraryButtonInput
        from ..models.template_definition_component import TemplateDefinitionComponent

        d = dict(src_dict)
        category = TemplateCategory(d.pop("category"))

        language = d.pop("language")

        name = d.pop("name")

        allow_category_change = d.pop("allow_category_change", UNSET)

        _components = d.pop("components", UNSET)
        components: list[TemplateDefinitionComponent] | Unset = UNSET
        if _components is not UNSET:
            components = []
            for components_item_data in _components:
                components_item = TemplateDefinitionComponent.from_dict(
                    components_item_data
                )

                components.append(components_item)

        _library_template_button_inputs = d.pop("library_template_button_inputs", UNSET)
        library_template_button_inputs: list[LibraryButtonInput] | Unset = UNSET
        if _library_template_button_inputs is not UNSET:
            library_template_button_inputs = []
            for (
                library_template_button_inputs_item_data
            ) in _library_template_button_inputs:
                library_template_button_inputs_item = LibraryButtonInput.from_dict(
                    library_template_button_inputs_item_data
                )

                library_template_button_inputs.append(
                    library_template_button_inputs_item
                )

        library_template_name = d.pop("library_template_name", UNSET)

        create_template = cls(
            category=category,
            language=language,
            name=name,
            allow_category_change=allow_category_change,
            components=components,
            library_template_button_inputs=library_template_button_inputs,
            library_template_name=library_template_name,
        )

        create_template.additional_properties = d
        return create_template

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

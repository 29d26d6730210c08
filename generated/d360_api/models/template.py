from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.template_definition_component import TemplateDefinitionComponent


T = TypeVar("T", bound="Template")


@_attrs_define
class Template:
    """A template as upstream answers it, in one language.

    Attributes:
        category (str | Unset):
        components (list[TemplateDefinitionComponent] | Unset):
        id (str | Unset):
        language (str | Unset):
        name (str | Unset):
        namespace (str | Unset):
        quality_score (Any | Unset): Meta's quality rating of the template; no source shows its shape here.
        rejected_reason (str | Unset):
        status (str | Unset): APPROVED, PENDING, REJECTED, PAUSED, DISABLED, ... (values newer than these are kept).
    """

    category: str | Unset = UNSET
    components: list[TemplateDefinitionComponent] | Unset = UNSET
    id: str | Unset = UNSET
    language: str | Unset = UNSET
    name: str | Unset = UNSET
    namespace: str | Unset = UNSET
    quality_score: Any | Unset = UNSET
    rejected_reason: str | Unset = UNSET
    status: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        category = self.category

        components: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.components, Unset):
            components = []
            for components_item_data in self.components:
                components_item = components_item_data.to_dict()
                components.append(components_item)

        id = self.id

        language = self.language

        name = self.name

        namespace = self.namespace

        quality_score = self.quality_score

        rejected_reason = self.rejected_reason

        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if category is not UNSET:
            field_dict["category"] = category
        if components is not UNSET:
            field_dict["components"] = components
        if id is not UNSET:
            field_dict["id"] = id
        if language is not UNSET:
            field_dict["language"] = language
        if name is not UNSET:
            field_dict["name"] = name
        if namespace is not UNSET:
            field_dict["namespace"] = namespace
        if quality_score is not UNSET:
            field_dict["quality_score"] = quality_score
        if rejected_reason is not UNSET:
            field_dict["rejected_reason"] = rejected_reason
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.template_definition_component import TemplateDefinitionComponent

        d = dict(src_dict)
        category = d.pop("category", UNSET)

        _components = d.pop("components", UNSET)
        components: list[TemplateDefinitionComponent] | Unset = UNSET
        if _components is not UNSET:
            components = []
            for components_item_data in _components:
                components_item = TemplateDefinitionComponent.from_dict(
                    components_item_data
                )

                components.append(components_item)

        id = d.pop("id", UNSET)

        language = d.pop("language", UNSET)

        name = d.pop("name", UNSET)

        namespace = d.pop("namespace", UNSET)

        quality_score = d.pop("quality_score", UNSET)

        rejected_reason = d.pop("rejected_reason", UNSET)

        status = d.pop("status", UNSET)

        template = cls(
            category=category,
            components=components,
            id=id,
            language=language,
            name=name,
            namespace=namespace,
            quality_score=quality_score,
            rejected_reason=rejected_reason,
            status=status,
        )

        template.additional_properties = d
        return template

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

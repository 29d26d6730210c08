from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.template import Template
    from ..models.template_list_filters import TemplateListFilters


T = TypeVar("T", bound="TemplateList")


@_attrs_define
class TemplateList:
    """One page of templates, with the filters, sort and paging that chose it.

    Attributes:
        count (int | Unset): How many templates this page holds.
        filters (TemplateListFilters | Unset):
        limit (int | Unset):
        offset (int | Unset):
        sort (list[str] | Unset):
        total (int | Unset): How many templates the filters match in all.
        waba_templates (list[Template] | Unset):
    """

    count: int | Unset = UNSET
    filters: TemplateListFilters | Unset = UNSET
    limit: int | Unset = UNSET
    offset: int | Unset = UNSET
    sort: list[str] | Unset = UNSET
    total: int | Unset = UNSET
    waba_templates: list[Template] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        filters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.filters, Unset):
            filters = self.filters.to_dict()

        limit = self.limit

        offset = self.offset

        sort: list[str] | Unset = UNSET
        if not isinstance(self.sort, Unset):
            sort = self.sort

        total = self.total

        waba_templates: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.waba_templates, Unset):
            waba_templates = []
            for waba_templates_item_data in self.waba_templates:
                waba_templates_item = waba_templates_item_data.to_dict()
                waba_templates.append(waba_templates_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if count is not UNSET:
            field_dict["count"] = count
        if filters is not UNSET:
            field_dict["filters"] = filters
        if limit is not UNSET:
            field_dict["limit"] = limit
        if offset is not UNSET:
            field_dict["offset"] = offset
        if sort is not UNSET:
            field_dict["sort"] = sort
        if total is not UNSET:
            field_dict["total"] = total
        if waba_templates is not UNSET:
            field_dict["waba_templates"] = waba_templates

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.template import Template
        from ..models.template_list_filters import TemplateListFilters

        d = dict(src_dict)
        count = d.pop("count", UNSET)

        _filters = d.pop("filters", UNSET)
        filters: TemplateListFilters | Unset
        if isinstance(_filters, Unset):
            filters = UNSET
        else:
            filters = TemplateListFilters.from_dict(_filters)

        limit = d.pop("limit", UNSET)

        offset = d.pop("offset", UNSET)

        sort = cast(list[str], d.pop("sort", UNSET))

        total = d.pop("total", UNSET)

        _waba_templates = d.pop("waba_templates", UNSET)
        waba_templates: list[Template] | Unset = UNSET
        if _waba_templates is not UNSET:
            waba_templates = []
            for waba_templates_item_data in _waba_templates:
                waba_templates_item = Template.from_dict(waba_templates_item_data)

                waba_templates.append(waba_templates_item)

        template_list = cls(
            count=count,
            filters=filters,
            limit=limit,
            offset=offset,
            sort=sort,
            total=total,
            waba_templates=waba_templates,
        )

        template_list.additional_properties = d
        return template_list

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

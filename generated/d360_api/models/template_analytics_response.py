from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.template_analytics_response_data_item import (
        TemplateAnalyticsResponseDataItem,
    )
    from ..models.template_analytics_response_paging import (
        TemplateAnalyticsResponsePaging,
    )


T = TypeVar("T", bound="TemplateAnalyticsResponse")


@_attrs_define
class TemplateAnalyticsResponse:
    """Response payload containing template analytics data

    Attributes:
        data (list[TemplateAnalyticsResponseDataItem] | Unset):
        paging (TemplateAnalyticsResponsePaging | Unset):
    """

    data: list[TemplateAnalyticsResponseDataItem] | Unset = UNSET
    paging: TemplateAnalyticsResponsePaging | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = []
            for data_item_data in self.data:
                data_item = data_item_data.to_dict()
                data.append(data_item)

        paging: dict[str, Any] | Unset = UNSET
        if not isinstance(self.paging, Unset):
            paging = self.paging.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if data is not UNSET:
            field_dict["data"] = data
        if paging is not UNSET:
            field_dict["paging"] = paging

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.template_analytics_response_data_item import (
            TemplateAnalyticsResponseDataItem,
        )
        from ..models.template_analytics_response_paging import (
            TemplateAnalyticsResponsePaging,
        )

        d = dict(src_dict)
        _data = d.pop("data", UNSET)
        data: list[TemplateAnalyticsResponseDataItem] | Unset = UNSET
        if _data is not UNSET:
            data = []
            for data_item_data in _data:
                data_item = TemplateAnalyticsResponseDataItem.from_dict(data_item_data)

                data.append(data_item)

        _paging = d.pop("paging", UNSET)
        paging: TemplateAnalyticsResponsePaging | Unset
        if isinstance(_paging, Unset):
            paging = UNSET
        else:
            paging = TemplateAnalyticsResponsePaging.from_dict(_paging)

        template_analytics_response = cls(
            data=data,
            paging=paging,
        )

        template_analytics_response.additional_properties = d
        return template_analytics_response

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

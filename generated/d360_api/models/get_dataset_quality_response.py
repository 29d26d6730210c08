from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.dataset_quality_event_entry import DatasetQualityEventEntry


T = TypeVar("T", bound="GetDatasetQualityResponse")


@_attrs_define
class GetDatasetQualityResponse:
    """Response payload containing dataset quality metrics grouped by event source (web, etc.). Use the fields query
    parameter to select which metrics to return.

        Attributes:
            web (list[DatasetQualityEventEntry] | Unset):
    """

    web: list[DatasetQualityEventEntry] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        web: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.web, Unset):
            web = []
            for web_item_data in self.web:
                web_item = web_item_data.to_dict()
                web.append(web_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if web is not UNSET:
            field_dict["web"] = web

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.dataset_quality_event_entry import DatasetQualityEventEntry

        d = dict(src_dict)
        _web = d.pop("web", UNSET)
        web: list[DatasetQualityEventEntry] | Unset = UNSET
        if _web is not UNSET:
            web = []
            for web_item_data in _web:
                web_item = DatasetQualityEventEntry.from_dict(web_item_data)

                web.append(web_item)

        get_dataset_quality_response = cls(
            web=web,
        )

        get_dataset_quality_response.additional_properties = d
        return get_dataset_quality_response

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

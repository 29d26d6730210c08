from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.get_active_groups_data import GetActiveGroupsData
    from ..models.group_paging import GroupPaging


T = TypeVar("T", bound="GetActiveGroupsResponse")


@_attrs_define
class GetActiveGroupsResponse:
    """Response payload containing a paginated list of active groups

    Attributes:
        data (GetActiveGroupsData | Unset):
        paging (GroupPaging | Unset):
    """

    data: GetActiveGroupsData | Unset = UNSET
    paging: GroupPaging | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

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
        from ..models.get_active_groups_data import GetActiveGroupsData
        from ..models.group_paging import GroupPaging

        d = dict(src_dict)
        _data = d.pop("data", UNSET)
        data: GetActiveGroupsData | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = GetActiveGroupsData.from_dict(_data)

        _paging = d.pop("paging", UNSET)
        paging: GroupPaging | Unset
        if isinstance(_paging, Unset):
            paging = UNSET
        else:
            paging = GroupPaging.from_dict(_paging)

        get_active_groups_response = cls(
            data=data,
            paging=paging,
        )

        get_active_groups_response.additional_properties = d
        return get_active_groups_response

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

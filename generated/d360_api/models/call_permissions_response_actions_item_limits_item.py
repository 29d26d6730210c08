from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CallPermissionsResponseActionsItemLimitsItem")


@_attrs_define
class CallPermissionsResponseActionsItemLimitsItem:
    """
    Attributes:
        current_usage (int | Unset):
        limit_expiration_time (int | Unset):
        max_allowed (int | Unset):
        time_period (str | Unset):
    """

    current_usage: int | Unset = UNSET
    limit_expiration_time: int | Unset = UNSET
    max_allowed: int | Unset = UNSET
    time_period: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        current_usage = self.current_usage

        limit_expiration_time = self.limit_expiration_time

        max_allowed = self.max_allowed

        time_period = self.time_period

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if current_usage is not UNSET:
            field_dict["current_usage"] = current_usage
        if limit_expiration_time is not UNSET:
            field_dict["limit_expiration_time"] = limit_expiration_time
        if max_allowed is not UNSET:
            field_dict["max_allowed"] = max_allowed
        if time_period is not UNSET:
            field_dict["time_period"] = time_period

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        current_usage = d.pop("current_usage", UNSET)

        limit_expiration_time = d.pop("limit_expiration_time", UNSET)

        max_allowed = d.pop("max_allowed", UNSET)

        time_period = d.pop("time_period", UNSET)

        call_permissions_response_actions_item_limits_item = cls(
            current_usage=current_usage,
            limit_expiration_time=limit_expiration_time,
            max_allowed=max_allowed,
            time_period=time_period,
        )

        call_permissions_response_actions_item_limits_item.additional_properties = d
        return call_permissions_response_actions_item_limits_item

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

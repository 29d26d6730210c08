from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.call_permissions_response_actions_item_limits_item import (
        CallPermissionsResponseActionsItemLimitsItem,
    )


T = TypeVar("T", bound="CallPermissionsResponseActionsItem")


@_attrs_define
class CallPermissionsResponseActionsItem:
    """
    Attributes:
        action_name (str | Unset): start_call or send_call_permission_request (Meta's values); open.
        can_perform_action (bool | Unset):
        limits (list[CallPermissionsResponseActionsItemLimitsItem] | Unset):
    """

    action_name: str | Unset = UNSET
    can_perform_action: bool | Unset = UNSET
    limits: list[CallPermissionsResponseActionsItemLimitsItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action_name = self.action_name

        can_perform_action = self.can_perform_action

        limits: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.limits, Unset):
            limits = []
            for limits_item_data in self.limits:
                limits_item = limits_item_data.to_dict()
                limits.append(limits_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if action_name is not UNSET:
            field_dict["action_name"] = action_name
        if can_perform_action is not UNSET:
            field_dict["can_perform_action"] = can_perform_action
        if limits is not UNSET:
            field_dict["limits"] = limits

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.call_permissions_response_actions_item_limits_item import (
            CallPermissionsResponseActionsItemLimitsItem,
        )

        d = dict(src_dict)
        action_name = d.pop("action_name", UNSET)

        can_perform_action = d.pop("can_perform_action", UNSET)

        _limits = d.pop("limits", UNSET)
        limits: list[CallPermissionsResponseActionsItemLimitsItem] | Unset = UNSET
        if _limits is not UNSET:
            limits = []
            for limits_item_data in _limits:
                limits_item = CallPermissionsResponseActionsItemLimitsItem.from_dict(
                    limits_item_data
                )

                limits.append(limits_item)

        call_permissions_response_actions_item = cls(
            action_name=action_name,
            can_perform_action=can_perform_action,
            limits=limits,
        )

        call_permissions_response_actions_item.additional_properties = d
        return call_permissions_response_actions_item

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

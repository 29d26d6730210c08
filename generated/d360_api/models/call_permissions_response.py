from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.call_permissions_response_actions_item import (
        CallPermissionsResponseActionsItem,
    )
    from ..models.call_permissions_response_permission import (
        CallPermissionsResponsePermission,
    )


T = TypeVar("T", bound="CallPermissionsResponse")


@_attrs_define
class CallPermissionsResponse:
    """Response payload containing call permission status and available actions

    Attributes:
        actions (list[CallPermissionsResponseActionsItem] | Unset):
        messaging_product (str | Unset):
        permission (CallPermissionsResponsePermission | Unset):
    """

    actions: list[CallPermissionsResponseActionsItem] | Unset = UNSET
    messaging_product: str | Unset = UNSET
    permission: CallPermissionsResponsePermission | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        actions: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.actions, Unset):
            actions = []
            for actions_item_data in self.actions:
                actions_item = actions_item_data.to_dict()
                actions.append(actions_item)

        messaging_product = self.messaging_product

        permission: dict[str, Any] | Unset = UNSET
        if not isinstance(self.permission, Unset):
            permission = self.permission.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if actions is not UNSET:
            field_dict["actions"] = actions
        if messaging_product is not UNSET:
            field_dict["messaging_product"] = messaging_product
        if permission is not UNSET:
            field_dict["permission"] = permission

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.call_permissions_response_actions_item import (
            CallPermissionsResponseActionsItem,
        )
        from ..models.call_permissions_response_permission import (
            CallPermissionsResponsePermission,
        )

        d = dict(src_dict)
        _actions = d.pop("actions", UNSET)
        actions: list[CallPermissionsResponseActionsItem] | Unset = UNSET
        if _actions is not UNSET:
            actions = []
            for actions_item_data in _actions:
                actions_item = CallPermissionsResponseActionsItem.from_dict(
                    actions_item_data
                )

                actions.append(actions_item)

        messaging_product = d.pop("messaging_product", UNSET)

        _permission = d.pop("permission", UNSET)
        permission: CallPermissionsResponsePermission | Unset
        if isinstance(_permission, Unset):
            permission = UNSET
        else:
            permission = CallPermissionsResponsePermission.from_dict(_permission)

        call_permissions_response = cls(
            actions=actions,
            messaging_product=messaging_product,
            permission=permission,
        )

        call_permissions_response.additional_properties = d
        return call_permissions_response

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.blocked_user_result import BlockedUserResult


T = TypeVar("T", bound="GetBlockedUsersDataItem")


@_attrs_define
class GetBlockedUsersDataItem:
    """
    Attributes:
        block_users (list[BlockedUserResult] | Unset):
    """

    block_users: list[BlockedUserResult] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        block_users: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.block_users, Unset):
            block_users = []
            for block_users_item_data in self.block_users:
                block_users_item = block_users_item_data.to_dict()
                block_users.append(block_users_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if block_users is not UNSET:
            field_dict["block_users"] = block_users

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.blocked_user_result import BlockedUserResult

        d = dict(src_dict)
        _block_users = d.pop("block_users", UNSET)
        block_users: list[BlockedUserResult] | Unset = UNSET
        if _block_users is not UNSET:
            block_users = []
            for block_users_item_data in _block_users:
                block_users_item = BlockedUserResult.from_dict(block_users_item_data)

                block_users.append(block_users_item)

        get_blocked_users_data_item = cls(
            block_users=block_users,
        )

        get_blocked_users_data_item.additional_properties = d
        return get_blocked_users_data_item

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

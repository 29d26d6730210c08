from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.blocked_user_result import BlockedUserResult
    from ..models.failed_user import FailedUser


T = TypeVar("T", bound="BlockUsersResult")


@_attrs_define
class BlockUsersResult:
    """
    Attributes:
        added_users (list[BlockedUserResult] | Unset):
        failed_users (list[FailedUser] | Unset):
        removed_users (list[BlockedUserResult] | Unset):
    """

    added_users: list[BlockedUserResult] | Unset = UNSET
    failed_users: list[FailedUser] | Unset = UNSET
    removed_users: list[BlockedUserResult] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        added_users: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.added_users, Unset):
            added_users = []
            for added_users_item_data in self.added_users:
                added_users_item = added_users_item_data.to_dict()
                added_users.append(added_users_item)

        failed_users: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.failed_users, Unset):
            failed_users = []
            for failed_users_item_data in self.failed_users:
                failed_users_item = failed_users_item_data.to_dict()
                failed_users.append(failed_users_item)

        removed_users: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.removed_users, Unset):
            removed_users = []
            for removed_users_item_data in self.removed_users:
                removed_users_item = removed_users_item_data.to_dict()
                removed_users.append(removed_users_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if added_users is not UNSET:
            field_dict["added_users"] = added_users
        if failed_users is not UNSET:
            field_dict["failed_users"] = failed_users
        if removed_users is not UNSET:
            field_dict["removed_users"] = removed_users

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.blocked_user_result import BlockedUserResult
        from ..models.failed_user import FailedUser

        d = dict(src_dict)
        _added_users = d.pop("added_users", UNSET)
        added_users: list[BlockedUserResult] | Unset = UNSET
        if _added_users is not UNSET:
            added_users = []
            for added_users_item_data in _added_users:
                added_users_item = BlockedUserResult.from_dict(added_users_item_data)

                added_users.append(added_users_item)

        _failed_users = d.pop("failed_users", UNSET)
        failed_users: list[FailedUser] | Unset = UNSET
        if _failed_users is not UNSET:
            failed_users = []
            for failed_users_item_data in _failed_users:
                failed_users_item = FailedUser.from_dict(failed_users_item_data)

                failed_users.append(failed_users_item)

        _removed_users = d.pop("removed_users", UNSET)
        removed_users: list[BlockedUserResult] | Unset = UNSET
        if _removed_users is not UNSET:
            removed_users = []
            for removed_users_item_data in _removed_users:
                removed_users_item = BlockedUserResult.from_dict(
                    removed_users_item_data
                )

                removed_users.append(removed_users_item)

        block_users_result = cls(
            added_users=added_users,
            failed_users=failed_users,
            removed_users=removed_users,
        )

        block_users_result.additional_properties = d
        return block_users_result

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

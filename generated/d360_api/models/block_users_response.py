from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.block_users_result import BlockUsersResult


T = TypeVar("T", bound="BlockUsersResponse")


@_attrs_define
class BlockUsersResponse:
    """Response payload for successful block or unblock users operation

    Attributes:
        block_users (BlockUsersResult | Unset):
        messaging_product (str | Unset):
    """

    block_users: BlockUsersResult | Unset = UNSET
    messaging_product: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        block_users: dict[str, Any] | Unset = UNSET
        if not isinstance(self.block_users, Unset):
            block_users = self.block_users.to_dict()

        messaging_product = self.messaging_product

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if block_users is not UNSET:
            field_dict["block_users"] = block_users
        if messaging_product is not UNSET:
            field_dict["messaging_product"] = messaging_product

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.block_users_result import BlockUsersResult

        d = dict(src_dict)
        _block_users = d.pop("block_users", UNSET)
        block_users: BlockUsersResult | Unset
        if isinstance(_block_users, Unset):
            block_users = UNSET
        else:
            block_users = BlockUsersResult.from_dict(_block_users)

        messaging_product = d.pop("messaging_product", UNSET)

        block_users_response = cls(
            block_users=block_users,
            messaging_product=messaging_product,
        )

        block_users_response.additional_properties = d
        return block_users_response

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

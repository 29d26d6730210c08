from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.block_users_request_messaging_product import (
    BlockUsersRequestMessagingProduct,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.block_user import BlockUser


T = TypeVar("T", bound="BlockUsersRequest")


@_attrs_define
class BlockUsersRequest:
    """Block (or unblock) users request payload

    Attributes:
        block_users (list[BlockUser]):
        messaging_product (BlockUsersRequestMessagingProduct | Unset):
    """

    block_users: list[BlockUser]
    messaging_product: BlockUsersRequestMessagingProduct | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        block_users = []
        for block_users_item_data in self.block_users:
            block_users_item = block_users_item_data.to_dict()
            block_users.append(block_users_item)

        messaging_product: str | Unset = UNSET
        if not isinstance(self.messaging_product, Unset):
            messaging_product = self.messaging_product.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "block_users": block_users,
            }
        )
        if messaging_product is not UNSET:
            field_dict["messaging_product"] = messaging_product

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.block_user import BlockUser

        d = dict(src_dict)
        block_users = []
        _block_users = d.pop("block_users")
        for block_users_item_data in _block_users:
            block_users_item = BlockUser.from_dict(block_users_item_data)

            block_users.append(block_users_item)

        _messaging_product = d.pop("messaging_product", UNSET)
        messaging_product: BlockUsersRequestMessagingProduct | Unset
        if isinstance(_messaging_product, Unset):
            messaging_product = UNSET
        else:
            messaging_product = BlockUsersRequestMessagingProduct(_messaging_product)

        block_users_request = cls(
            block_users=block_users,
            messaging_product=messaging_product,
        )

        block_users_request.additional_properties = d
        return block_users_request

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

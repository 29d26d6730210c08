from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.create_group_request_join_approval_mode import (
    CreateGroupRequestJoinApprovalMode,
)
from ..models.create_group_request_messaging_product import (
    CreateGroupRequestMessagingProduct,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateGroupRequest")


@_attrs_define
class CreateGroupRequest:
    """The group to create; its invite link comes in the group_lifecycle_update webhook

    Attributes:
        messaging_product (CreateGroupRequestMessagingProduct):
        subject (str): The group's subject, 1 to 128 characters (whitespace around it is trimmed)
        description (str | Unset):
        join_approval_mode (CreateGroupRequestJoinApprovalMode | Unset): approval_required (a user who opens the invite
            link asks to join, and is approved or rejected) or auto_approve (the default: the user joins)
    """

    messaging_product: CreateGroupRequestMessagingProduct
    subject: str
    description: str | Unset = UNSET
    join_approval_mode: CreateGroupRequestJoinApprovalMode | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        messaging_product = self.messaging_product.value

        subject = self.subject

        description = self.description

        join_approval_mode: str | Unset = UNSET
        if not isinstance(self.join_approval_mode, Unset):
            join_approval_mode = self.join_approval_mode.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "messaging_product": messaging_product,
                "subject": subject,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if join_approval_mode is not UNSET:
            field_dict["join_approval_mode"] = join_approval_mode

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        messaging_product = CreateGroupRequestMessagingProduct(
            d.pop("messaging_product")
        )

        subject = d.pop("subject")

        description = d.pop("description", UNSET)

        _join_approval_mode = d.pop("join_approval_mode", UNSET)
        join_approval_mode: CreateGroupRequestJoinApprovalMode | Unset
        if isinstance(_join_approval_mode, Unset):
            join_approval_mode = UNSET
        else:
            join_approval_mode = CreateGroupRequestJoinApprovalMode(_join_approval_mode)

        create_group_request = cls(
            messaging_product=messaging_product,
            subject=subject,
            description=description,
            join_approval_mode=join_approval_mode,
        )

        create_group_request.additional_properties = d
        return create_group_request

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.response_message_message_status import ResponseMessageMessageStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="ResponseMessage")


@_attrs_define
class ResponseMessage:
    """
    Attributes:
        id (str | Unset):
        message_status (ResponseMessageMessageStatus | Unset):
    """

    id: str | Unset = UNSET
    message_status: ResponseMessageMessageStatus | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        message_status: str | Unset = UNSET
        if not isinstance(self.message_status, Unset):
            message_status = self.message_status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if message_status is not UNSET:
            field_dict["message_status"] = message_status

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id", UNSET)

        _message_status = d.pop("message_status", UNSET)
        message_status: ResponseMessageMessageStatus | Unset
        if isinstance(_message_status, Unset):
            message_status = UNSET
        else:
            message_status = ResponseMessageMessageStatus(_message_status)

        response_message = cls(
            id=id,
            message_status=message_status,
        )

        response_message.additional_properties = d
        return response_message

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.call_info import CallInfo


T = TypeVar("T", bound="CallActionResponse")


@_attrs_define
class CallActionResponse:
    """Response payload for a call action execution

    Attributes:
        calls (list[CallInfo] | Unset):
        messaging_product (str | Unset):
        success (bool | Unset):
    """

    calls: list[CallInfo] | Unset = UNSET
    messaging_product: str | Unset = UNSET
    success: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        calls: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.calls, Unset):
            calls = []
            for calls_item_data in self.calls:
                calls_item = calls_item_data.to_dict()
                calls.append(calls_item)

        messaging_product = self.messaging_product

        success = self.success

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if calls is not UNSET:
            field_dict["calls"] = calls
        if messaging_product is not UNSET:
            field_dict["messaging_product"] = messaging_product
        if success is not UNSET:
            field_dict["success"] = success

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.call_info import CallInfo

        d = dict(src_dict)
        _calls = d.pop("calls", UNSET)
        calls: list[CallInfo] | Unset = UNSET
        if _calls is not UNSET:
            calls = []
            for calls_item_data in _calls:
                calls_item = CallInfo.from_dict(calls_item_data)

                calls.append(calls_item)

        messaging_product = d.pop("messaging_product", UNSET)

        success = d.pop("success", UNSET)

        call_action_response = cls(
            calls=calls,
            messaging_product=messaging_product,
            success=success,
        )

        call_action_response.additional_properties = d
        return call_action_response

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.read_receipt_status import ReadReceiptStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.read_receipt_typing_indicator import ReadReceiptTypingIndicator


T = TypeVar("T", bound="ReadReceipt")


@_attrs_define
class ReadReceipt:
    """
    Attributes:
        message_id (str):
        messaging_product (str):
        status (ReadReceiptStatus):
        typing_indicator (ReadReceiptTypingIndicator | Unset):
    """

    message_id: str
    messaging_product: str
    status: ReadReceiptStatus
    typing_indicator: ReadReceiptTypingIndicator | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        message_id = self.message_id

        messaging_product = self.messaging_product

        status = self.status.value

        typing_indicator: dict[str, Any] | Unset = UNSET
        if not isinstance(self.typing_indicator, Unset):
            typing_indicator = self.typing_indicator.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "message_id": message_id,
                "messaging_product": messaging_product,
                "status": status,
            }
        )
        if typing_indicator is not UNSET:
            field_dict["typing_indicator"] = typing_indicator

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.read_receipt_typing_indicator import ReadReceiptTypingIndicator

        d = dict(src_dict)
        message_id = d.pop("message_id")

        messaging_product = d.pop("messaging_product")

        status = ReadReceiptStatus(d.pop("status"))

        _typing_indicator = d.pop("typing_indicator", UNSET)
        typing_indicator: ReadReceiptTypingIndicator | Unset
        if isinstance(_typing_indicator, Unset):
            typing_indicator = UNSET
        else:
            typing_indicator = ReadReceiptTypingIndicator.from_dict(_typing_indicator)

        read_receipt = cls(
            message_id=message_id,
            messaging_product=messaging_product,
            status=status,
            typing_indicator=typing_indicator,
        )

        read_receipt.additional_properties = d
        return read_receipt

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

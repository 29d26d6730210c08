from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Currency")


@_attrs_define
class Currency:
    """
    Attributes:
        amount_1000 (int | Unset):
        code (str | Unset):
        fallback_value (str | Unset):
    """

    amount_1000: int | Unset = UNSET
    code: str | Unset = UNSET
    fallback_value: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount_1000 = self.amount_1000

        code = self.code

        fallback_value = self.fallback_value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if amount_1000 is not UNSET:
            field_dict["amount_1000"] = amount_1000
        if code is not UNSET:
            field_dict["code"] = code
        if fallback_value is not UNSET:
            field_dict["fallback_value"] = fallback_value

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        amount_1000 = d.pop("amount_1000", UNSET)

        code = d.pop("code", UNSET)

        fallback_value = d.pop("fallback_value", UNSET)

        currency = cls(
            amount_1000=amount_1000,
            code=code,
            fallback_value=fallback_value,
        )

        currency.additional_properties = d
        return currency

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TemplateParameterLimitedTimeOffer")


@_attrs_define
class TemplateParameterLimitedTimeOffer:
    """
    Attributes:
        expiration_time_ms (int | Unset):
    """

    expiration_time_ms: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        expiration_time_ms = self.expiration_time_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if expiration_time_ms is not UNSET:
            field_dict["expiration_time_ms"] = expiration_time_ms

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        expiration_time_ms = d.pop("expiration_time_ms", UNSET)

        template_parameter_limited_time_offer = cls(
            expiration_time_ms=expiration_time_ms,
        )

        template_parameter_limited_time_offer.additional_properties = d
        return template_parameter_limited_time_offer

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="HealthError")


@_attrs_define
class HealthError:
    """
    Attributes:
        error_code (int | Unset):
        error_description (str | Unset):
        possible_solution (str | Unset):
    """

    error_code: int | Unset = UNSET
    error_description: str | Unset = UNSET
    possible_solution: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        error_code = self.error_code

        error_description = self.error_description

        possible_solution = self.possible_solution

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if error_code is not UNSET:
            field_dict["error_code"] = error_code
        if error_description is not UNSET:
            field_dict["error_description"] = error_description
        if possible_solution is not UNSET:
            field_dict["possible_solution"] = possible_solution

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        error_code = d.pop("error_code", UNSET)

        error_description = d.pop("error_description", UNSET)

        possible_solution = d.pop("possible_solution", UNSET)

        health_error = cls(
            error_code=error_code,
            error_description=error_description,
            possible_solution=possible_solution,
        )

        health_error.additional_properties = d
        return health_error

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

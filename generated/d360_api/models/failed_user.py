from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.block_users_api_error import BlockUsersAPIError


T = TypeVar("T", bound="FailedUser")


@_attrs_define
class FailedUser:
    """
    Attributes:
        errors (list[BlockUsersAPIError] | Unset):
        input_ (str | Unset):
        wa_id (str | Unset):
    """

    errors: list[BlockUsersAPIError] | Unset = UNSET
    input_: str | Unset = UNSET
    wa_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)

        input_ = self.input_

        wa_id = self.wa_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if errors is not UNSET:
            field_dict["errors"] = errors
        if input_ is not UNSET:
            field_dict["input"] = input_
        if wa_id is not UNSET:
            field_dict["wa_id"] = wa_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.block_users_api_error import BlockUsersAPIError

        d = dict(src_dict)
        _errors = d.pop("errors", UNSET)
        errors: list[BlockUsersAPIError] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = BlockUsersAPIError.from_dict(errors_item_data)

                errors.append(errors_item)

        input_ = d.pop("input", UNSET)

        wa_id = d.pop("wa_id", UNSET)

        failed_user = cls(
            errors=errors,
            input_=input_,
            wa_id=wa_id,
        )

        failed_user.additional_properties = d
        return failed_user

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.error_response_error_type_1_error_data import (
        ErrorResponseErrorType1ErrorData,
    )


T = TypeVar("T", bound="ErrorResponseErrorType1")


@_attrs_define
class ErrorResponseErrorType1:
    """
    Attributes:
        code (int | Unset):
        error_data (ErrorResponseErrorType1ErrorData | Unset):
        fbtrace_id (str | Unset):
        message (str | Unset):
        type_ (str | Unset):
    """

    code: int | Unset = UNSET
    error_data: ErrorResponseErrorType1ErrorData | Unset = UNSET
    fbtrace_id: str | Unset = UNSET
    message: str | Unset = UNSET
    type_: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        error_data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.error_data, Unset):
            error_data = self.error_data.to_dict()

        fbtrace_id = self.fbtrace_id

        message = self.message

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if code is not UNSET:
            field_dict["code"] = code
        if error_data is not UNSET:
            field_dict["error_data"] = error_data
        if fbtrace_id is not UNSET:
            field_dict["fbtrace_id"] = fbtrace_id
        if message is not UNSET:
            field_dict["message"] = message
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.error_response_error_type_1_error_data import (
            ErrorResponseErrorType1ErrorData,
        )

        d = dict(src_dict)
        code = d.pop("code", UNSET)

        _error_data = d.pop("error_data", UNSET)
        error_data: ErrorResponseErrorType1ErrorData | Unset
        if isinstance(_error_data, Unset):
            error_data = UNSET
        else:
            error_data = ErrorResponseErrorType1ErrorData.from_dict(_error_data)

        fbtrace_id = d.pop("fbtrace_id", UNSET)

        message = d.pop("message", UNSET)

        type_ = d.pop("type", UNSET)

        error_response_error_type_1 = cls(
            code=code,
            error_data=error_data,
            fbtrace_id=fbtrace_id,
            message=message,
            type_=type_,
        )

        error_response_error_type_1.additional_properties = d
        return error_response_error_type_1

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

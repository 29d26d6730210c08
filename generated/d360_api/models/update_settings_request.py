from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.calling_settings_request import CallingSettingsRequest


T = TypeVar("T", bound="UpdateSettingsRequest")


@_attrs_define
class UpdateSettingsRequest:
    """The calling settings to set; the fields left out stay as they are

    Attributes:
        calling (CallingSettingsRequest):
    """

    calling: CallingSettingsRequest
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        calling = self.calling.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "calling": calling,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.calling_settings_request import CallingSettingsRequest

        d = dict(src_dict)
        calling = CallingSettingsRequest.from_dict(d.pop("calling"))

        update_settings_request = cls(
            calling=calling,
        )

        update_settings_request.additional_properties = d
        return update_settings_request

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

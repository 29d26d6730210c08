from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.call_session_sdp_type import CallSessionSdpType

T = TypeVar("T", bound="CallSession")


@_attrs_define
class CallSession:
    """The SDP offer (connect) or answer (pre_accept, accept), passed on as given

    Attributes:
        sdp (str):
        sdp_type (CallSessionSdpType):
    """

    sdp: str
    sdp_type: CallSessionSdpType
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        sdp = self.sdp

        sdp_type = self.sdp_type.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "sdp": sdp,
                "sdp_type": sdp_type,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        sdp = d.pop("sdp")

        sdp_type = CallSessionSdpType(d.pop("sdp_type"))

        call_session = cls(
            sdp=sdp,
            sdp_type=sdp_type,
        )

        call_session.additional_properties = d
        return call_session

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

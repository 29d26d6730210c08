from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.calling_settings_request_call_icon_visibility import (
    CallingSettingsRequestCallIconVisibility,
)
from ..models.calling_settings_request_callback_permission_status import (
    CallingSettingsRequestCallbackPermissionStatus,
)
from ..models.calling_settings_request_srtp_key_exchange_protocol import (
    CallingSettingsRequestSrtpKeyExchangeProtocol,
)
from ..models.calling_settings_request_status import CallingSettingsRequestStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.calling_settings_request_call_hours import (
        CallingSettingsRequestCallHours,
    )
    from ..models.calling_settings_request_sip import CallingSettingsRequestSip


T = TypeVar("T", bound="CallingSettingsRequest")


@_attrs_define
class CallingSettingsRequest:
    """
    Attributes:
        call_hours (CallingSettingsRequestCallHours | Unset):
        call_icon_visibility (CallingSettingsRequestCallIconVisibility | Unset):
        callback_permission_status (CallingSettingsRequestCallbackPermissionStatus | Unset):
        sip (CallingSettingsRequestSip | Unset):
        srtp_key_exchange_protocol (CallingSettingsRequestSrtpKeyExchangeProtocol | Unset):
        status (CallingSettingsRequestStatus | Unset):
    """

    call_hours: CallingSettingsRequestCallHours | Unset = UNSET
    call_icon_visibility: CallingSettingsRequestCallIconVisibility | Unset = UNSET
    callback_permission_status: (
        CallingSettingsRequestCallbackPermissionStatus | Unset
    ) = UNSET
    sip: CallingSettingsRequestSip | Unset = UNSET
    srtp_key_exchange_protocol: (
        CallingSettingsRequestSrtpKeyExchangeProtocol | Unset
    ) = UNSET
    status: CallingSettingsRequestStatus | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        call_hours: dict[str, Any] | Unset = UNSET
        if not isinstance(self.call_hours, Unset):
            call_hours = self.call_hours.to_dict()

        call_icon_visibility: str | Unset = UNSET
        if not isinstance(self.call_icon_visibility, Unset):
            call_icon_visibility = self.call_icon_visibility.value

        callback_permission_status: str | Unset = UNSET
        if not isinstance(self.callback_permission_status, Unset):
            callback_permission_status = self.callback_permission_status.value

        sip: dict[str, Any] | Unset = UNSET
        if not isinstance(self.sip, Unset):
            sip = self.sip.to_dict()

        srtp_key_exchange_protocol: str | Unset = UNSET
        if not isinstance(self.srtp_key_exchange_protocol, Unset):
            srtp_key_exchange_protocol = self.srtp_key_exchange_protocol.value

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if call_hours is not UNSET:
            field_dict["call_hours"] = call_hours
        if call_icon_visibility is not UNSET:
            field_dict["call_icon_visibility"] = call_icon_visibility
        if callback_permission_status is not UNSET:
            field_dict["callback_permission_status"] = callback_permission_status
        if sip is not UNSET:
            field_dict["sip"] = sip
        if srtp_key_exchange_protocol is not UNSET:
            field_dict["srtp_key_exchange_protocol"] = srtp_key_exchange_protocol
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.calling_settings_request_call_hours import (
            CallingSettingsRequestCallHours,
        )
        from ..models.calling_settings_request_sip import CallingSettingsRequestSip

        d = dict(src_dict)
        _call_hours = d.pop("call_hours", UNSET)
        call_hours: CallingSettingsRequestCallHours | Unset
        if isinstance(_call_hours, Unset):
            call_hours = UNSET
        else:
            call_hours = CallingSettingsRequestCallHours.from_dict(_call_hours)

        _call_icon_visibility = d.pop("call_icon_visibility", UNSET)
        call_icon_visibility: CallingSettingsRequestCallIconVisibility | Unset
        if isinstance(_call_icon_visibility, Unset):
            call_icon_visibility = UNSET
        else:
            call_icon_visibility = CallingSettingsRequestCallIconVisibility(
                _call_icon_visibility
            )

        _callback_permission_status = d.pop("callback_permission_status", UNSET)
        callback_permission_status: (
            CallingSettingsRequestCallbackPermissionStatus | Unset
        )
        if isinstance(_callback_permission_status, Unset):
            callback_permission_status = UNSET
        else:
            callback_permission_status = CallingSettingsRequestCallbackPermissionStatus(
                _callback_permission_status
            )

        _sip = d.pop("sip", UNSET)
        sip: CallingSettingsRequestSip | Unset
        if isinstance(_sip, Unset):
            sip = UNSET
        else:
            sip = CallingSettingsRequestSip.from_dict(_sip)

        _srtp_key_exchange_protocol = d.pop("srtp_key_exchange_protocol", UNSET)
        srtp_key_exchange_protocol: (
            CallingSettingsRequestSrtpKeyExchangeProtocol | Unset
        )
        if isinstance(_srtp_key_exchange_protocol, Unset):
            srtp_key_exchange_protocol = UNSET
        else:
            srtp_key_exchange_protocol = CallingSettingsRequestSrtpKeyExchangeProtocol(
                _srtp_key_exchange_protocol
            )

        _status = d.pop("status", UNSET)
        status: CallingSettingsRequestStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = CallingSettingsRequestStatus(_status)

        calling_settings_request = cls(
            call_hours=call_hours,
            call_icon_visibility=call_icon_visibility,
            callback_permission_status=callback_permission_status,
            sip=sip,
            srtp_key_exchange_protocol=srtp_key_exchange_protocol,
            status=status,
        )

        calling_settings_request.additional_properties = d
        return calling_settings_request

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.calling_settings_response_audio import CallingSettingsResponseAudio
    from ..models.calling_settings_response_call_hours import (
        CallingSettingsResponseCallHours,
    )
    from ..models.calling_settings_response_call_icons import (
        CallingSettingsResponseCallIcons,
    )
    from ..models.calling_settings_response_ip_addresses import (
        CallingSettingsResponseIpAddresses,
    )
    from ..models.calling_settings_response_restrictions import (
        CallingSettingsResponseRestrictions,
    )
    from ..models.calling_settings_response_sip import CallingSettingsResponseSip
    from ..models.calling_settings_response_video import CallingSettingsResponseVideo


T = TypeVar("T", bound="CallingSettingsResponse")


@_attrs_define
class CallingSettingsResponse:
    """The calling settings as read; each value open, in the case upstream answers it

    Attributes:
        audio (CallingSettingsResponseAudio | Unset):
        call_hours (CallingSettingsResponseCallHours | Unset):
        call_icon_visibility (str | Unset):
        call_icons (CallingSettingsResponseCallIcons | Unset):
        callback_permission_status (str | Unset):
        ip_addresses (CallingSettingsResponseIpAddresses | Unset):
        restrictions (CallingSettingsResponseRestrictions | Unset):
        sip (CallingSettingsResponseSip | Unset):
        srtp_key_exchange_protocol (str | Unset):
        status (str | Unset):
        video (CallingSettingsResponseVideo | Unset):
    """

    audio: CallingSettingsResponseAudio | Unset = UNSET
    call_hours: CallingSettingsResponseCallHours | Unset = UNSET
    call_icon_visibility: str | Unset = UNSET
    call_icons: CallingSettingsResponseCallIcons | Unset = UNSET
    callback_permission_status: str | Unset = UNSET
    ip_addresses: CallingSettingsResponseIpAddresses | Unset = UNSET
    restrictions: CallingSettingsResponseRestrictions | Unset = UNSET
    sip: CallingSettingsResponseSip | Unset = UNSET
    srtp_key_exchange_protocol: str | Unset = UNSET
    status: str | Unset = UNSET
    video: CallingSettingsResponseVideo | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        audio: dict[str, Any] | Unset = UNSET
        if not isinstance(self.audio, Unset):
            audio = self.audio.to_dict()

        call_hours: dict[str, Any] | Unset = UNSET
        if not isinstance(self.call_hours, Unset):
            call_hours = self.call_hours.to_dict()

        call_icon_visibility = self.call_icon_visibility

        call_icons: dict[str, Any] | Unset = UNSET
        if not isinstance(self.call_icons, Unset):
            call_icons = self.call_icons.to_dict()

        callback_permission_status = self.callback_permission_status

        ip_addresses: dict[str, Any] | Unset = UNSET
        if not isinstance(self.ip_addresses, Unset):
            ip_addresses = self.ip_addresses.to_dict()

        restrictions: dict[str, Any] | Unset = UNSET
        if not isinstance(self.restrictions, Unset):
            restrictions = self.restrictions.to_dict()

        sip: dict[str, Any] | Unset = UNSET
        if not isinstance(self.sip, Unset):
            sip = self.sip.to_dict()

        srtp_key_exchange_protocol = self.srtp_key_exchange_protocol

        status = self.status

        video: dict[str, Any] | Unset = UNSET
        if not isinstance(self.video, Unset):
            video = self.video.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if audio is not UNSET:
            field_dict["audio"] = audio
        if call_hours is not UNSET:
            field_dict["call_hours"] = call_hours
        if call_icon_visibility is not UNSET:
            field_dict["call_icon_visibility"] = call_icon_visibility
        if call_icons is not UNSET:
            field_dict["call_icons"] = call_icons
        if callback_permission_status is not UNSET:
            field_dict["callback_permission_status"] = callback_permission_status
        if ip_addresses is not UNSET:
            field_dict["ip_addresses"] = ip_addresses
        if restrictions is not UNSET:
            field_dict["restrictions"] = restrictions
        if sip is not UNSET:
            field_dict["sip"] = sip
        if srtp_key_exchange_protocol is not UNSET:
            field_dict["srtp_key_exchange_protocol"] = srtp_key_exchange_protocol
        if status is not UNSET:
            field_dict["status"] = status
        if video is not UNSET:
            field_dict["video"] = video

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.calling_settings_response_audio import (
            CallingSettingsResponseAudio,
        )
        from ..models.calling_settings_response_call_hours import (
            CallingSettingsResponseCallHours,
        )
        from ..models.calling_settings_response_call_icons import (
            CallingSettingsResponseCallIcons,
        )
        from ..models.calling_settings_response_ip_addresses import (
            CallingSettingsResponseIpAddresses,
        )
        from ..models.calling_settings_response_restrictions import (
            CallingSettingsResponseRestrictions,
        )
        from ..models.calling_settings_response_sip import CallingSettingsResponseSip
        from ..models.calling_settings_response_video import (
            CallingSettingsResponseVideo,
        )

        d = dict(src_dict)
        _audio = d.pop("audio", UNSET)
        audio: CallingSettingsResponseAudio | Unset
        if isinstance(_audio, Unset):
            audio = UNSET
        else:
            audio = CallingSettingsResponseAudio.from_dict(_audio)

        _call_hours = d.pop("call_hours", UNSET)
        call_hours: CallingSettingsResponseCallHours | Unset
        if isinstance(_call_hours, Unset):
            call_hours = UNSET
        else:
            call_hours = CallingSettingsResponseCallHours.from_dict(_call_hours)

        call_icon_visibility = d.pop("call_icon_visibility", UNSET)

        _call_icons = d.pop("call_icons", UNSET)
        call_icons: CallingSettingsResponseCallIcons | Unset
        if isinstance(_call_icons, Unset):
            call_icons = UNSET
        else:
            call_icons = CallingSettingsResponseCallIcons.from_dict(_call_icons)

        callback_permission_status = d.pop("callback_permission_status", UNSET)

        _ip_addresses = d.pop("ip_addresses", UNSET)
        ip_addresses: CallingSettingsResponseIpAddresses | Unset
        if isinstance(_ip_addresses, Unset):
            ip_addresses = UNSET
        else:
            ip_addresses = CallingSettingsResponseIpAddresses.from_dict(_ip_addresses)

        _restrictions = d.pop("restrictions", UNSET)
        restrictions: CallingSettingsResponseRestrictions | Unset
        if isinstance(_restrictions, Unset):
            restrictions = UNSET
        else:
            restrictions = CallingSettingsResponseRestrictions.from_dict(_restrictions)

        _sip = d.pop("sip", UNSET)
        sip: CallingSettingsResponseSip | Unset
        if isinstance(_sip, Unset):
            sip = UNSET
        else:
            sip = CallingSettingsResponseSip.from_dict(_sip)

        srtp_key_exchange_protocol = d.pop("srtp_key_exchange_protocol", UNSET)

        status = d.pop("status", UNSET)

        _video = d.pop("video", UNSET)
        video: CallingSettingsResponseVideo | Unset
        if isinstance(_video, Unset):
            video = UNSET
        else:
            video = CallingSettingsResponseVideo.from_dict(_video)

        calling_settings_response = cls(
            audio=audio,
            call_hours=call_hours,
            call_icon_visibility=call_icon_visibility,
            call_icons=call_icons,
            callback_permission_status=callback_permission_status,
            ip_addresses=ip_addresses,
            restrictions=restrictions,
            sip=sip,
            srtp_key_exchange_protocol=srtp_key_exchange_protocol,
            status=status,
            video=video,
        )

        calling_settings_response.additional_properties = d
        return calling_settings_response

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CallingSettingsResponseSipServersItem")


@_attrs_define
class CallingSettingsResponseSipServersItem:
    """
    Attributes:
        app_id (str | Unset):
        hostname (str | Unset):
        password (str | Unset):
        port (int | Unset):
    """

    app_id: str | Unset = UNSET
    hostname: str | Unset = UNSET
    password: str | Unset = UNSET
    port: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        app_id = self.app_id

        hostname = self.hostname

        password = self.password

        port = self.port

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if app_id is not UNSET:
            field_dict["app_id"] = app_id
        if hostname is not UNSET:
            field_dict["hostname"] = hostname
        if password is not UNSET:
            field_dict["password"] = password
        if port is not UNSET:
            field_dict["port"] = port

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        app_id = d.pop("app_id", UNSET)

        hostname = d.pop("hostname", UNSET)

        password = d.pop("password", UNSET)

        port = d.pop("port", UNSET)

        calling_settings_response_sip_servers_item = cls(
            app_id=app_id,
            hostname=hostname,
            password=password,
            port=port,
        )

        calling_settings_response_sip_servers_item.additional_properties = d
        return calling_settings_response_sip_servers_item

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

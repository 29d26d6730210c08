from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.calling_settings_response_sip_servers_item import (
        CallingSettingsResponseSipServersItem,
    )


T = TypeVar("T", bound="CallingSettingsResponseSip")


@_attrs_define
class CallingSettingsResponseSip:
    """
    Attributes:
        servers (list[CallingSettingsResponseSipServersItem] | Unset):
        status (str | Unset):
    """

    servers: list[CallingSettingsResponseSipServersItem] | Unset = UNSET
    status: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        servers: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.servers, Unset):
            servers = []
            for servers_item_data in self.servers:
                servers_item = servers_item_data.to_dict()
                servers.append(servers_item)

        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if servers is not UNSET:
            field_dict["servers"] = servers
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.calling_settings_response_sip_servers_item import (
            CallingSettingsResponseSipServersItem,
        )

        d = dict(src_dict)
        _servers = d.pop("servers", UNSET)
        servers: list[CallingSettingsResponseSipServersItem] | Unset = UNSET
        if _servers is not UNSET:
            servers = []
            for servers_item_data in _servers:
                servers_item = CallingSettingsResponseSipServersItem.from_dict(
                    servers_item_data
                )

                servers.append(servers_item)

        status = d.pop("status", UNSET)

        calling_settings_response_sip = cls(
            servers=servers,
            status=status,
        )

        calling_settings_response_sip.additional_properties = d
        return calling_settings_response_sip

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

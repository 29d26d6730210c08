from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.destination_request import DestinationRequest


T = TypeVar("T", bound="EnableRequest")


@_attrs_define
class EnableRequest:
    """Enable (with optional first destinations) or disable the multi-webhook feature

    Attributes:
        enabled (bool):
        destinations (list[DestinationRequest] | Unset):
    """

    enabled: bool
    destinations: list[DestinationRequest] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        destinations: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.destinations, Unset):
            destinations = []
            for destinations_item_data in self.destinations:
                destinations_item = destinations_item_data.to_dict()
                destinations.append(destinations_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "enabled": enabled,
            }
        )
        if destinations is not UNSET:
            field_dict["destinations"] = destinations

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.destination_request import DestinationRequest

        d = dict(src_dict)
        enabled = d.pop("enabled")

        _destinations = d.pop("destinations", UNSET)
        destinations: list[DestinationRequest] | Unset = UNSET
        if _destinations is not UNSET:
            destinations = []
            for destinations_item_data in _destinations:
                destinations_item = DestinationRequest.from_dict(destinations_item_data)

                destinations.append(destinations_item)

        enable_request = cls(
            enabled=enabled,
            destinations=destinations,
        )

        enable_request.additional_properties = d
        return enable_request

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

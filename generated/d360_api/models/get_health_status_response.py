from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.health_status import HealthStatus


T = TypeVar("T", bound="GetHealthStatusResponse")


@_attrs_define
class GetHealthStatusResponse:
    """Response payload containing health status information for messaging and calling

    Attributes:
        health_status (HealthStatus | Unset):
        id (str | Unset):
    """

    health_status: HealthStatus | Unset = UNSET
    id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        health_status: dict[str, Any] | Unset = UNSET
        if not isinstance(self.health_status, Unset):
            health_status = self.health_status.to_dict()

        id = self.id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if health_status is not UNSET:
            field_dict["health_status"] = health_status
        if id is not UNSET:
            field_dict["id"] = id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.health_status import HealthStatus

        d = dict(src_dict)
        _health_status = d.pop("health_status", UNSET)
        health_status: HealthStatus | Unset
        if isinstance(_health_status, Unset):
            health_status = UNSET
        else:
            health_status = HealthStatus.from_dict(_health_status)

        id = d.pop("id", UNSET)

        get_health_status_response = cls(
            health_status=health_status,
            id=id,
        )

        get_health_status_response.additional_properties = d
        return get_health_status_response

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

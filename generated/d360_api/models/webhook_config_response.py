from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.webhook_config_response_headers import WebhookConfigResponseHeaders


T = TypeVar("T", bound="WebhookConfigResponse")


@_attrs_define
class WebhookConfigResponse:
    """
    Attributes:
        headers (WebhookConfigResponseHeaders | Unset):
        url (str | Unset): The webhook URL in force; empty when none is set.
    """

    headers: WebhookConfigResponseHeaders | Unset = UNSET
    url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        headers: dict[str, Any] | Unset = UNSET
        if not isinstance(self.headers, Unset):
            headers = self.headers.to_dict()

        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if headers is not UNSET:
            field_dict["headers"] = headers
        if url is not UNSET:
            field_dict["url"] = url

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.webhook_config_response_headers import (
            WebhookConfigResponseHeaders,
        )

        d = dict(src_dict)
        _headers = d.pop("headers", UNSET)
        headers: WebhookConfigResponseHeaders | Unset
        if isinstance(_headers, Unset):
            headers = UNSET
        else:
            headers = WebhookConfigResponseHeaders.from_dict(_headers)

        url = d.pop("url", UNSET)

        webhook_config_response = cls(
            headers=headers,
            url=url,
        )

        webhook_config_response.additional_properties = d
        return webhook_config_response

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

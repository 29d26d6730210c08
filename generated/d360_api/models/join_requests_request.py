from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.join_requests_request_messaging_product import (
    JoinRequestsRequestMessagingProduct,
)

T = TypeVar("T", bound="JoinRequestsRequest")


@_attrs_define
class JoinRequestsRequest:
    """
    Attributes:
        join_requests (list[str]):
        messaging_product (JoinRequestsRequestMessagingProduct):
    """

    join_requests: list[str]
    messaging_product: JoinRequestsRequestMessagingProduct
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        join_requests = self.join_requests

        messaging_product = self.messaging_product.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "join_requests": join_requests,
                "messaging_product": messaging_product,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        join_requests = cast(list[str], d.pop("join_requests"))

        messaging_product = JoinRequestsRequestMessagingProduct(
            d.pop("messaging_product")
        )

        join_requests_request = cls(
            join_requests=join_requests,
            messaging_product=messaging_product,
        )

        join_requests_request.additional_properties = d
        return join_requests_request

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

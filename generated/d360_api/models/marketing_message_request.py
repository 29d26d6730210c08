from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.marketing_message_request_messaging_product import (
    MarketingMessageRequestMessagingProduct,
)
from ..models.marketing_message_request_product_policy import (
    MarketingMessageRequestProductPolicy,
)
from ..models.marketing_message_request_recipient_type import (
    MarketingMessageRequestRecipientType,
)
from ..models.marketing_message_request_type import MarketingMessageRequestType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.template_message import TemplateMessage


T = TypeVar("T", bound="MarketingMessageRequest")


@_attrs_define
class MarketingMessageRequest:
    """A marketing template message sent through MM Lite (POST /marketing_messages)

    Attributes:
        messaging_product (MarketingMessageRequestMessagingProduct):
        template (TemplateMessage):
        to (str): The recipient's phone number: 8-15 digits, with +, spaces, dashes and brackets allowed (as on
            /messages for an individual recipient)
        type_ (MarketingMessageRequestType):
        biz_opaque_callback_data (str | Unset):
        message_activity_sharing (bool | Unset): Share the message's activity (clicks, conversions) for measurement
        message_send_ttl_seconds (int | Unset): Seconds upstream keeps trying to deliver the message (12 hours to 30
            days)
        product_policy (MarketingMessageRequestProductPolicy | Unset): CLOUD_API_FALLBACK sends a message MM Lite cannot
            take through the Cloud API; STRICT refuses it
        recipient_type (MarketingMessageRequestRecipientType | Unset):
    """

    messaging_product: MarketingMessageRequestMessagingProduct
    template: TemplateMessage
    to: str
    type_: MarketingMessageRequestType
    biz_opaque_callback_data: str | Unset = UNSET
    message_activity_sharing: bool | Unset = UNSET
    message_send_ttl_seconds: int | Unset = UNSET
    product_policy: MarketingMessageRequestProductPolicy | Unset = UNSET
    recipient_type: MarketingMessageRequestRecipientType | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        messaging_product = self.messaging_product.value

        template = self.template.to_dict()

        to = self.to

        type_ = self.type_.value

        biz_opaque_callback_data = self.biz_opaque_callback_data

        message_activity_sharing = self.message_activity_sharing

        message_send_ttl_seconds = self.message_send_ttl_seconds

        product_policy: str | Unset = UNSET
        if not isinstance(self.product_policy, Unset):
            product_policy = self.product_policy.value

        recipient_type: str | Unset = UNSET
        if not isinstance(self.recipient_type, Unset):
            recipient_type = self.recipient_type.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "messaging_product": messaging_product,
                "template": template,
                "to": to,
                "type": type_,
            }
        )
        if biz_opaque_callback_data is not UNSET:
            field_dict["biz_opaque_callback_data"] = biz_opaque_callback_data
        if message_activity_sharing is not UNSET:
            field_dict["message_activity_sharing"] = message_activity_sharing
        if message_send_ttl_seconds is not UNSET:
            field_dict["message_send_ttl_seconds"] = message_send_ttl_seconds
        if product_policy is not UNSET:
            field_dict["product_policy"] = product_policy
        if recipient_type is not UNSET:
            field_dict["recipient_type"] = recipient_type

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.template_message import TemplateMessage

        d = dict(src_dict)
        messaging_product = MarketingMessageRequestMessagingProduct(
            d.pop("messaging_product")
        )

        template = TemplateMessage.from_dict(d.pop("template"))

        to = d.pop("to")

        type_ = MarketingMessageRequestType(d.pop("type"))

        biz_opaque_callback_data = d.pop("biz_opaque_callback_data", UNSET)

        message_activity_sharing = d.pop("message_activity_sharing", UNSET)

        message_send_ttl_seconds = d.pop("message_send_ttl_seconds", UNSET)

        _product_policy = d.pop("product_policy", UNSET)
        product_policy: MarketingMessageRequestProductPolicy | Unset
        if isinstance(_product_policy, Unset):
            product_policy = UNSET
        else:
            product_policy = MarketingMessageRequestProductPolicy(_product_policy)

        _recipient_type = d.pop("recipient_type", UNSET)
        recipient_type: MarketingMessageRequestRecipientType | Unset
        if isinstance(_recipient_type, Unset):
            recipient_type = UNSET
        else:
            recipient_type = MarketingMessageRequestRecipientType(_recipient_type)

        marketing_message_request = cls(
            messaging_product=messaging_product,
            template=template,
            to=to,
            type_=type_,
            biz_opaque_callback_data=biz_opaque_callback_data,
            message_activity_sharing=message_activity_sharing,
            message_send_ttl_seconds=message_send_ttl_seconds,
            product_policy=product_policy,
            recipient_type=recipient_type,
        )

        marketing_message_request.additional_properties = d
        return marketing_message_request

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

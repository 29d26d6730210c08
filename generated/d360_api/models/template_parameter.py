from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.template_parameter_type import TemplateParameterType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.currency import Currency
    from ..models.date_time import DateTime
    from ..models.location_message import LocationMessage
    from ..models.media_object import MediaObject
    from ..models.template_parameter_action import TemplateParameterAction
    from ..models.template_parameter_limited_time_offer import (
        TemplateParameterLimitedTimeOffer,
    )
    from ..models.template_parameter_product import TemplateParameterProduct
    from ..models.template_parameter_tap_target_configuration_item import (
        TemplateParameterTapTargetConfigurationItem,
    )


T = TypeVar("T", bound="TemplateParameter")


@_attrs_define
class TemplateParameter:
    """
    Attributes:
        action (TemplateParameterAction | Unset):
        coupon_code (str | Unset):
        currency (Currency | Unset):
        date_time (DateTime | Unset):
        document (MediaObject | Unset):
        gif (MediaObject | Unset):
        image (MediaObject | Unset):
        limited_time_offer (TemplateParameterLimitedTimeOffer | Unset):
        location (LocationMessage | Unset):
        payload (str | Unset):
        product (TemplateParameterProduct | Unset):
        tap_target_configuration (list[TemplateParameterTapTargetConfigurationItem] | Unset):
        text (str | Unset):
        type_ (TemplateParameterType | Unset):
        video (MediaObject | Unset):
    """

    action: TemplateParameterAction | Unset = UNSET
    coupon_code: str | Unset = UNSET
    currency: Currency | Unset = UNSET
    date_time: DateTime | Unset = UNSET
    document: MediaObject | Unset = UNSET
    gif: MediaObject | Unset = UNSET
    image: MediaObject | Unset = UNSET
    limited_time_offer: TemplateParameterLimitedTimeOffer | Unset = UNSET
    location: LocationMessage | Unset = UNSET
    payload: str | Unset = UNSET
    product: TemplateParameterProduct | Unset = UNSET
    tap_target_configuration: (
        list[TemplateParameterTapTargetConfigurationItem] | Unset
    ) = UNSET
    text: str | Unset = UNSET
    type_: TemplateParameterType | Unset = UNSET
    video: MediaObject | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action: dict[str, Any] | Unset = UNSET
        if not isinstance(self.action, Unset):
            action = self.action.to_dict()

        coupon_code = self.coupon_code

        currency: dict[str, Any] | Unset = UNSET
        if not isinstance(self.currency, Unset):
            currency = self.currency.to_dict()

        date_time: dict[str, Any] | Unset = UNSET
        if not isinstance(self.date_time, Unset):
            date_time = self.date_time.to_dict()

        document: dict[str, Any] | Unset = UNSET
        if not isinstance(self.document, Unset):
            document = self.document.to_dict()

        gif: dict[str, Any] | Unset = UNSET
        if not isinstance(self.gif, Unset):
            gif = self.gif.to_dict()

        image: dict[str, Any] | Unset = UNSET
        if not isinstance(self.image, Unset):
            image = self.image.to_dict()

        limited_time_offer: dict[str, Any] | Unset = UNSET
        if not isinstance(self.limited_time_offer, Unset):
            limited_time_offer = self.limited_time_offer.to_dict()

        location: dict[str, Any] | Unset = UNSET
        if not isinstance(self.location, Unset):
            location = self.location.to_dict()

        payload = self.payload

        product: dict[str, Any] | Unset = UNSET
        if not isinstance(self.product, Unset):
            product = self.product.to_dict()

        tap_target_configuration: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.tap_target_configuration, Unset):
            tap_target_configuration = []
            for tap_target_configuration_item_data in self.tap_target_configuration:
                tap_target_configuration_item = (
                    tap_target_configuration_item_data.to_dict()
                )
                tap_target_configuration.append(tap_target_configuration_item)

        text = self.text

        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_.value

        video: dict[str, Any] | Unset = UNSET
        if not isinstance(self.video, Unset):
            video = self.video.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if action is not UNSET:
            field_dict["action"] = action
        if coupon_code is not UNSET:
            field_dict["coupon_code"] = coupon_code
        if currency is not UNSET:
            field_dict["currency"] = currency
        if date_time is not UNSET:
            field_dict["date_time"] = date_time
        if document is not UNSET:
            field_dict["document"] = document
        if gif is not UNSET:
            field_dict["gif"] = gif
        if image is not UNSET:
            field_dict["image"] = image
        if limited_time_offer is not UNSET:
            field_dict["limited_time_offer"] = limited_time_offer
        if location is not UNSET:
            field_dict["location"] = location
        if payload is not UNSET:
            field_dict["payload"] = payload
        if product is not UNSET:
            field_dict["product"] = product
        if tap_target_configuration is not UNSET:
            field_dict["tap_target_configuration"] = tap_target_configuration
        if text is not UNSET:
            field_dict["text"] = text
        if type_ is not UNSET:
            field_dict["type"] = type_
        if video is not UNSET:
            field_dict["video"] = video

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.currency import Currency
        from ..models.date_time import DateTime
        from ..models.location_message import LocationMessage
        from ..models.media_object import MediaObject
        from ..models.template_parameter_action import TemplateParameterAction
        from ..models.template_parameter_limited_time_offer import (
            TemplateParameterLimitedTimeOffer,
        )
        from ..models.template_parameter_product import TemplateParameterProduct
        from ..models.template_parameter_tap_target_configuration_item import (
            TemplateParameterTapTargetConfigurationItem,
        )

        d = dict(src_dict)
        _action = d.pop("action", UNSET)
        action: TemplateParameterAction | Unset
        if isinstance(_action, Unset):
            action = UNSET
        else:
            action = TemplateParameterAction.from_dict(_action)

        coupon_code = d.pop("coupon_code", UNSET)

        _currency = d.pop("currency", UNSET)
        currency: Currency | Unset
        if isinstance(_currency, Unset):
            currency = UNSET
        else:
            currency = Currency.from_dict(_currency)

        _date_time = d.pop("date_time", UNSET)
        date_time: DateTime | Unset
        if isinstance(_date_time, Unset):
            date_time = UNSET
        else:
            date_time = DateTime.from_dict(_date_time)

        _document = d.pop("document", UNSET)
        document: MediaObject | Unset
        if isinstance(_document, Unset):
            document = UNSET
        else:
            document = MediaObject.from_dict(_document)

        _gif = d.pop("gif", UNSET)
        gif: MediaObject | Unset
        if isinstance(_gif, Unset):
            gif = UNSET
        else:
            gif = MediaObject.from_dict(_gif)

        _image = d.pop("image", UNSET)
        image: MediaObject | Unset
        if isinstance(_image, Unset):
            image = UNSET
        else:
            image = MediaObject.from_dict(_image)

        _limited_time_offer = d.pop("limited_time_offer", UNSET)
        limited_time_offer: TemplateParameterLimitedTimeOffer | Unset
        if isinstance(_limited_time_offer, Unset):
            limited_time_offer = UNSET
        else:
            limited_time_offer = TemplateParameterLimitedTimeOffer.from_dict(
                _limited_time_offer
            )

        _location = d.pop("location", UNSET)
        location: LocationMessage | Unset
        if isinstance(_location, Unset):
            location = UNSET
        else:
            location = LocationMessage.from_dict(_location)

        payload = d.pop("payload", UNSET)

        _product = d.pop("product", UNSET)
        product: TemplateParameterProduct | Unset
        if isinstance(_product, Unset):
            product = UNSET
        else:
            product = TemplateParameterProduct.from_dict(_product)

        _tap_target_configuration = d.pop("tap_target_configuration", UNSET)
        tap_target_configuration: (
            list[TemplateParameterTapTargetConfigurationItem] | Unset
        ) = UNSET
        if _tap_target_configuration is not UNSET:
            tap_target_configuration = []
            for tap_target_configuration_item_data in _tap_target_configuration:
                tap_target_configuration_item = (
                    TemplateParameterTapTargetConfigurationItem.from_dict(
                        tap_target_configuration_item_data
                    )
                )

                tap_target_configuration.append(tap_target_configuration_item)

        text = d.pop("text", UNSET)

        _type_ = d.pop("type", UNSET)
        type_: TemplateParameterType | Unset
        if isinstance(_type_, Unset):
            type_ = UNSET
        else:
            type_ = TemplateParameterType(_type_)

        _video = d.pop("video", UNSET)
        video: MediaObject | Unset
        if isinstance(_video, Unset):
            video = UNSET
        else:
            video = MediaObject.from_dict(_video)

        template_parameter = cls(
            action=action,
            coupon_code=coupon_code,
            currency=currency,
            date_time=date_time,
            document=document,
            gif=gif,
            image=image,
            limited_time_offer=limited_time_offer,
            location=location,
            payload=payload,
            product=product,
            tap_target_configuration=tap_target_configuration,
            text=text,
            type_=type_,
            video=video,
        )

        template_parameter.additional_properties = d
        return template_parameter

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

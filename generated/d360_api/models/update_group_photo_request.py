from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.update_group_photo_request_messaging_product import (
    UpdateGroupPhotoRequestMessagingProduct,
)
from ..types import File

T = TypeVar("T", bound="UpdateGroupPhotoRequest")


@_attrs_define
class UpdateGroupPhotoRequest:
    """The group's profile picture, as a form: a JPEG of at most 5 MB, square, at least 192 by 192 pixels

    Attributes:
        file (File): The image (JPEG, max 5MB, square format, min 192x192)
        messaging_product (UpdateGroupPhotoRequestMessagingProduct):
    """

    file: File
    messaging_product: UpdateGroupPhotoRequestMessagingProduct
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file = self.file.to_tuple()

        messaging_product = self.messaging_product.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "file": file,
                "messaging_product": messaging_product,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        file = File(payload=BytesIO(d.pop("file")))

        messaging_product = UpdateGroupPhotoRequestMessagingProduct(
            d.pop("messaging_product")
        )

        update_group_photo_request = cls(
            file=file,
            messaging_product=messaging_product,
        )

        update_group_photo_request.additional_properties = d
        return update_group_photo_request

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

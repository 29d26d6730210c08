from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="MediaInfo")


@_attrs_define
class MediaInfo:
    """
    Attributes:
        file_size (int | Unset):
        id (str | Unset):
        messaging_product (str | Unset):
        mime_type (str | Unset):
        sha256 (str | Unset):
        url (str | Unset): Where the file can be fetched for 5 minutes: a lookaside URL whose path and query are served
            under the base URL as /whatsapp_business/attachments/.
    """

    file_size: int | Unset = UNSET
    id: str | Unset = UNSET
    messaging_product: str | Unset = UNSET
    mime_type: str | Unset = UNSET
    sha256: str | Unset = UNSET
    url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file_size = self.file_size

        id = self.id

        messaging_product = self.messaging_product

        mime_type = self.mime_type

        sha256 = self.sha256

        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if file_size is not UNSET:
            field_dict["file_size"] = file_size
        if id is not UNSET:
            field_dict["id"] = id
        if messaging_product is not UNSET:
            field_dict["messaging_product"] = messaging_product
        if mime_type is not UNSET:
            field_dict["mime_type"] = mime_type
        if sha256 is not UNSET:
            field_dict["sha256"] = sha256
        if url is not UNSET:
            field_dict["url"] = url

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        file_size = d.pop("file_size", UNSET)

        id = d.pop("id", UNSET)

        messaging_product = d.pop("messaging_product", UNSET)

        mime_type = d.pop("mime_type", UNSET)

        sha256 = d.pop("sha256", UNSET)

        url = d.pop("url", UNSET)

        media_info = cls(
            file_size=file_size,
            id=id,
            messaging_product=messaging_product,
            mime_type=mime_type,
            sha256=sha256,
            url=url,
        )

        media_info.additional_properties = d
        return media_info

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

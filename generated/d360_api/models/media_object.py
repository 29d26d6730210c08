from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="MediaObject")


@_attrs_define
class MediaObject:
    """
    Attributes:
        caption (str | Unset):
        filename (str | Unset):
        id (str | Unset):
        link (str | Unset):
        voice (bool | Unset):
    """

    caption: str | Unset = UNSET
    filename: str | Unset = UNSET
    id: str | Unset = UNSET
    link: str | Unset = UNSET
    voice: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        caption = self.caption

        filename = self.filename

        id = self.id

        link = self.link

        voice = self.voice

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if caption is not UNSET:
            field_dict["caption"] = caption
        if filename is not UNSET:
            field_dict["filename"] = filename
        if id is not UNSET:
            field_dict["id"] = id
        if link is not UNSET:
            field_dict["link"] = link
        if voice is not UNSET:
            field_dict["voice"] = voice

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        caption = d.pop("caption", UNSET)

        filename = d.pop("filename", UNSET)

        id = d.pop("id", UNSET)

        link = d.pop("link", UNSET)

        voice = d.pop("voice", UNSET)

        media_object = cls(
            caption=caption,
            filename=filename,
            id=id,
            link=link,
            voice=voice,
        )

        media_object.additional_properties = d
        return media_object

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.header_object_type import HeaderObjectType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.media_object import MediaObject


T = TypeVar("T", bound="HeaderObject")


@_attrs_define
class HeaderObject:
    """
    Attributes:
        document (MediaObject | Unset):
        image (MediaObject | Unset):
        sub_text (str | Unset):
        text (str | Unset):
        type_ (HeaderObjectType | Unset):
        video (MediaObject | Unset):
    """

    document: MediaObject | Unset = UNSET
    image: MediaObject | Unset = UNSET
    sub_text: str | Unset = UNSET
    text: str | Unset = UNSET
    type_: HeaderObjectType | Unset = UNSET
    video: MediaObject | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        document: dict[str, Any] | Unset = UNSET
        if not isinstance(self.document, Unset):
            document = self.document.to_dict()

        image: dict[str, Any] | Unset = UNSET
        if not isinstance(self.image, Unset):
            image = self.image.to_dict()

        sub_text = self.sub_text

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
        if document is not UNSET:
            field_dict["document"] = document
        if image is not UNSET:
            field_dict["image"] = image
        if sub_text is not UNSET:
            field_dict["sub_text"] = sub_text
        if text is not UNSET:
            field_dict["text"] = text
        if type_ is not UNSET:
            field_dict["type"] = type_
        if video is not UNSET:
            field_dict["video"] = video

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.media_object import MediaObject

        d = dict(src_dict)
        _document = d.pop("document", UNSET)
        document: MediaObject | Unset
        if isinstance(_document, Unset):
            document = UNSET
        else:
            document = MediaObject.from_dict(_document)

        _image = d.pop("image", UNSET)
        image: MediaObject | Unset
        if isinstance(_image, Unset):
            image = UNSET
        else:
            image = MediaObject.from_dict(_image)

        sub_text = d.pop("sub_text", UNSET)

        text = d.pop("text", UNSET)

        _type_ = d.pop("type", UNSET)
        type_: HeaderObjectType | Unset
        if isinstance(_type_, Unset):
            type_ = UNSET
        else:
            type_ = HeaderObjectType(_type_)

        _video = d.pop("video", UNSET)
        video: MediaObject | Unset
        if isinstance(_video, Unset):
            video = UNSET
        else:
            video = MediaObject.from_dict(_video)

        header_object = cls(
            document=document,
            image=image,
            sub_text=sub_text,
            text=text,
            type_=type_,
            video=video,
        )

        header_object.additional_properties = d
        return header_object

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

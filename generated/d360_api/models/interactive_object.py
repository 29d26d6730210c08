from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.interactive_object_type import InteractiveObjectType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.action_object import ActionObject
    from ..models.body_object import BodyObject
    from ..models.footer_object import FooterObject
    from ..models.header_object import HeaderObject


T = TypeVar("T", bound="InteractiveObject")


@_attrs_define
class InteractiveObject:
    """
    Attributes:
        action (ActionObject | Unset):
        body (BodyObject | Unset):
        footer (FooterObject | Unset):
        header (HeaderObject | Unset):
        type_ (InteractiveObjectType | Unset):
    """

    action: ActionObject | Unset = UNSET
    body: BodyObject | Unset = UNSET
    footer: FooterObject | Unset = UNSET
    header: HeaderObject | Unset = UNSET
    type_: InteractiveObjectType | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action: dict[str, Any] | Unset = UNSET
        if not isinstance(self.action, Unset):
            action = self.action.to_dict()

        body: dict[str, Any] | Unset = UNSET
        if not isinstance(self.body, Unset):
            body = self.body.to_dict()

        footer: dict[str, Any] | Unset = UNSET
        if not isinstance(self.footer, Unset):
            footer = self.footer.to_dict()

        header: dict[str, Any] | Unset = UNSET
        if not isinstance(self.header, Unset):
            header = self.header.to_dict()

        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if action is not UNSET:
            field_dict["action"] = action
        if body is not UNSET:
            field_dict["body"] = body
        if footer is not UNSET:
            field_dict["footer"] = footer
        if header is not UNSET:
            field_dict["header"] = header
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.action_object import ActionObject
        from ..models.body_object import BodyObject
        from ..models.footer_object import FooterObject
        from ..models.header_object import HeaderObject

        d = dict(src_dict)
        _action = d.pop("action", UNSET)
        action: ActionObject | Unset
        if isinstance(_action, Unset):
            action = UNSET
        else:
            action = ActionObject.from_dict(_action)

        _body = d.pop("body", UNSET)
        body: BodyObject | Unset
        if isinstance(_body, Unset):
            body = UNSET
        else:
            body = BodyObject.from_dict(_body)

        _footer = d.pop("footer", UNSET)
        footer: FooterObject | Unset
        if isinstance(_footer, Unset):
            footer = UNSET
        else:
            footer = FooterObject.from_dict(_footer)

        _header = d.pop("header", UNSET)
        header: HeaderObject | Unset
        if isinstance(_header, Unset):
            header = UNSET
        else:
            header = HeaderObject.from_dict(_header)

        _type_ = d.pop("type", UNSET)
        type_: InteractiveObjectType | Unset
        if isinstance(_type_, Unset):
            type_ = UNSET
        else:
            type_ = InteractiveObjectType(_type_)

        interactive_object = cls(
            action=action,
            body=body,
            footer=footer,
            header=header,
            type_=type_,
        )

        interactive_object.additional_properties = d
        return interactive_object

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.conversational_automation import ConversationalAutomation


T = TypeVar("T", bound="GetConversationalAutomationResponse")


@_attrs_define
class GetConversationalAutomationResponse:
    """Response payload containing conversational automation configuration for a phone number

    Attributes:
        conversational_automation (ConversationalAutomation | Unset):
        id (str | Unset):
    """

    conversational_automation: ConversationalAutomation | Unset = UNSET
    id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        conversational_automation: dict[str, Any] | Unset = UNSET
        if not isinstance(self.conversational_automation, Unset):
            conversational_automation = self.conversational_automation.to_dict()

        id = self.id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if conversational_automation is not UNSET:
            field_dict["conversational_automation"] = conversational_automation
        if id is not UNSET:
            field_dict["id"] = id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.conversational_automation import ConversationalAutomation

        d = dict(src_dict)
        _conversational_automation = d.pop("conversational_automation", UNSET)
        conversational_automation: ConversationalAutomation | Unset
        if isinstance(_conversational_automation, Unset):
            conversational_automation = UNSET
        else:
            conversational_automation = ConversationalAutomation.from_dict(
                _conversational_automation
            )

        id = d.pop("id", UNSET)

        get_conversational_automation_response = cls(
            conversational_automation=conversational_automation,
            id=id,
        )

        get_conversational_automation_response.additional_properties = d
        return get_conversational_automation_response

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.command import Command


T = TypeVar("T", bound="ConversationalAutomation")


@_attrs_define
class ConversationalAutomation:
    """
    Attributes:
        commands (list[Command] | Unset):
        enable_welcome_message (bool | Unset):
        id (str | Unset):
        prompts (list[str] | Unset):
    """

    commands: list[Command] | Unset = UNSET
    enable_welcome_message: bool | Unset = UNSET
    id: str | Unset = UNSET
    prompts: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        commands: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.commands, Unset):
            commands = []
            for commands_item_data in self.commands:
                commands_item = commands_item_data.to_dict()
                commands.append(commands_item)

        enable_welcome_message = self.enable_welcome_message

        id = self.id

        prompts: list[str] | Unset = UNSET
        if not isinstance(self.prompts, Unset):
            prompts = self.prompts

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if commands is not UNSET:
            field_dict["commands"] = commands
        if enable_welcome_message is not UNSET:
            field_dict["enable_welcome_message"] = enable_welcome_message
        if id is not UNSET:
            field_dict["id"] = id
        if prompts is not UNSET:
            field_dict["prompts"] = prompts

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.command import Command

        d = dict(src_dict)
        _commands = d.pop("commands", UNSET)
        commands: list[Command] | Unset = UNSET
        if _commands is not UNSET:
            commands = []
            for commands_item_data in _commands:
                commands_item = Command.from_dict(commands_item_data)

                commands.append(commands_item)

        enable_welcome_message = d.pop("enable_welcome_message", UNSET)

        id = d.pop("id", UNSET)

        prompts = cast(list[str], d.pop("prompts", UNSET))

        conversational_automation = cls(
            commands=commands,
            enable_welcome_message=enable_welcome_message,
            id=id,
            prompts=prompts,
        )

        conversational_automation.additional_properties = d
        return conversational_automation

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

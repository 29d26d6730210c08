from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.call_action_request_action import CallActionRequestAction
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.call_session import CallSession


T = TypeVar("T", bound="CallActionRequest")


@_attrs_define
class CallActionRequest:
    """Request payload to initiate or manage a WhatsApp call

    Attributes:
        action (CallActionRequestAction):
        biz_opaque_callback_data (str | Unset):
        call_id (str | Unset):
        messaging_product (str | Unset):
        session (CallSession | Unset): The SDP offer (connect) or answer (pre_accept, accept), passed on as given
        to (str | Unset):
    """

    action: CallActionRequestAction
    biz_opaque_callback_data: str | Unset = UNSET
    call_id: str | Unset = UNSET
    messaging_product: str | Unset = UNSET
    session: CallSession | Unset = UNSET
    to: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action.value

        biz_opaque_callback_data = self.biz_opaque_callback_data

        call_id = self.call_id

        messaging_product = self.messaging_product

        session: dict[str, Any] | Unset = UNSET
        if not isinstance(self.session, Unset):
            session = self.session.to_dict()

        to = self.to

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
            }
        )
        if biz_opaque_callback_data is not UNSET:
            field_dict["biz_opaque_callback_data"] = biz_opaque_callback_data
        if call_id is not UNSET:
            field_dict["call_id"] = call_id
        if messaging_product is not UNSET:
            field_dict["messaging_product"] = messaging_product
        if session is not UNSET:
            field_dict["session"] = session
        if to is not UNSET:
            field_dict["to"] = to

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.call_session import CallSession

        d = dict(src_dict)
        action = CallActionRequestAction(d.pop("action"))

        biz_opaque_callback_data = d.pop("biz_opaque_callback_data", UNSET)

        call_id = d.pop("call_id", UNSET)

        messaging_product = d.pop("messaging_product", UNSET)

        _session = d.pop("session", UNSET)
        session: CallSession | Unset
        if isinstance(_session, Unset):
            session = UNSET
        else:
            session = CallSession.from_dict(_session)

        to = d.pop("to", UNSET)

        call_action_request = cls(
            action=action,
            biz_opaque_callback_data=biz_opaque_callback_data,
            call_id=call_id,
            messaging_product=messaging_product,
            session=session,
            to=to,
        )

        call_action_request.additional_properties = d
        return call_action_request

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

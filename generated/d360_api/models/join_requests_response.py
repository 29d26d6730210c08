from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.failed_join_request import FailedJoinRequest
    from ..models.group_error import GroupError


T = TypeVar("T", bound="JoinRequestsResponse")


@_attrs_define
class JoinRequestsResponse:
    """
    Attributes:
        approved_join_requests (list[str] | Unset):
        errors (list[GroupError] | Unset):
        failed_join_requests (list[FailedJoinRequest] | Unset):
        messaging_product (str | Unset):
        rejected_join_requests (list[str] | Unset):
    """

    approved_join_requests: list[str] | Unset = UNSET
    errors: list[GroupError] | Unset = UNSET
    failed_join_requests: list[FailedJoinRequest] | Unset = UNSET
    messaging_product: str | Unset = UNSET
    rejected_join_requests: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        approved_join_requests: list[str] | Unset = UNSET
        if not isinstance(self.approved_join_requests, Unset):
            approved_join_requests = self.approved_join_requests

        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)

        failed_join_requests: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.failed_join_requests, Unset):
            failed_join_requests = []
            for failed_join_requests_item_data in self.failed_join_requests:
                failed_join_requests_item = failed_join_requests_item_data.to_dict()
                failed_join_requests.append(failed_join_requests_item)

        messaging_product = self.messaging_product

        rejected_join_requests: list[str] | Unset = UNSET
        if not isinstance(self.rejected_join_requests, Unset):
            rejected_join_requests = self.rejected_join_requests

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if approved_join_requests is not UNSET:
            field_dict["approved_join_requests"] = approved_join_requests
        if errors is not UNSET:
            field_dict["errors"] = errors
        if failed_join_requests is not UNSET:
            field_dict["failed_join_requests"] = failed_join_requests
        if messaging_product is not UNSET:
            field_dict["messaging_product"] = messaging_product
        if rejected_join_requests is not UNSET:
            field_dict["rejected_join_requests"] = rejected_join_requests

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.failed_join_request import FailedJoinRequest
        from ..models.group_error import GroupError

        d = dict(src_dict)
        approved_join_requests = cast(list[str], d.pop("approved_join_requests", UNSET))

        _errors = d.pop("errors", UNSET)
        errors: list[GroupError] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = GroupError.from_dict(errors_item_data)

                errors.append(errors_item)

        _failed_join_requests = d.pop("failed_join_requests", UNSET)
        failed_join_requests: list[FailedJoinRequest] | Unset = UNSET
        if _failed_join_requests is not UNSET:
            failed_join_requests = []
            for failed_join_requests_item_data in _failed_join_requests:
                failed_join_requests_item = FailedJoinRequest.from_dict(
                    failed_join_requests_item_data
                )

                failed_join_requests.append(failed_join_requests_item)

        messaging_product = d.pop("messaging_product", UNSET)

        rejected_join_requests = cast(list[str], d.pop("rejected_join_requests", UNSET))

        join_requests_response = cls(
            approved_join_requests=approved_join_requests,
            errors=errors,
            failed_join_requests=failed_join_requests,
            messaging_product=messaging_product,
            rejected_join_requests=rejected_join_requests,
        )

        join_requests_response.additional_properties = d
        return join_requests_response

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

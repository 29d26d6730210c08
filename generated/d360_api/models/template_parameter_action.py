from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.template_parameter_action_flow_action_data_type_0 import (
        TemplateParameterActionFlowActionDataType0,
    )


T = TypeVar("T", bound="TemplateParameterAction")


@_attrs_define
class TemplateParameterAction:
    """
    Attributes:
        flow_action_data (None | TemplateParameterActionFlowActionDataType0 | Unset):
        flow_token (None | str | Unset):
        thumbnail_product_retailer_id (str | Unset):
    """

    flow_action_data: None | TemplateParameterActionFlowActionDataType0 | Unset = UNSET
    flow_token: None | str | Unset = UNSET
    thumbnail_product_retailer_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.template_parameter_action_flow_action_data_type_0 import (
            TemplateParameterActionFlowActionDataType0,
        )

        flow_action_data: dict[str, Any] | None | Unset
        if isinstance(self.flow_action_data, Unset):
            flow_action_data = UNSET
        elif isinstance(
            self.flow_action_data, TemplateParameterActionFlowActionDataType0
        ):
            flow_action_data = self.flow_action_data.to_dict()
        else:
            flow_action_data = self.flow_action_data

        flow_token: None | str | Unset
        if isinstance(self.flow_token, Unset):
            flow_token = UNSET
        else:
            flow_token = self.flow_token

        thumbnail_product_retailer_id = self.thumbnail_product_retailer_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if flow_action_data is not UNSET:
            field_dict["flow_action_data"] = flow_action_data
        if flow_token is not UNSET:
            field_dict["flow_token"] = flow_token
        if thumbnail_product_retailer_id is not UNSET:
            field_dict["thumbnail_product_retailer_id"] = thumbnail_product_retailer_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.template_parameter_action_flow_action_data_type_0 import (
            TemplateParameterActionFlowActionDataType0,
        )

        d = dict(src_dict)

        def _parse_flow_action_data(
            data: object,
        ) -> None | TemplateParameterActionFlowActionDataType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                flow_action_data_type_0 = (
                    TemplateParameterActionFlowActionDataType0.from_dict(data)
                )

                return flow_action_data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TemplateParameterActionFlowActionDataType0 | Unset, data)

        flow_action_data = _parse_flow_action_data(d.pop("flow_action_data", UNSET))

        def _parse_flow_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        flow_token = _parse_flow_token(d.pop("flow_token", UNSET))

        thumbnail_product_retailer_id = d.pop("thumbnail_product_retailer_id", UNSET)

        template_parameter_action = cls(
            flow_action_data=flow_action_data,
            flow_token=flow_token,
            thumbnail_product_retailer_id=thumbnail_product_retailer_id,
        )

        template_parameter_action.additional_properties = d
        return template_parameter_action

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TemplateParameterProduct")


@_attrs_define
class TemplateParameterProduct:
    """
    Attributes:
        catalog_id (str | Unset):
        product_retailer_id (str | Unset):
    """

    catalog_id: str | Unset = UNSET
    product_retailer_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        catalog_id = self.catalog_id

        product_retailer_id = self.product_retailer_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if catalog_id is not UNSET:
            field_dict["catalog_id"] = catalog_id
        if product_retailer_id is not UNSET:
            field_dict["product_retailer_id"] = product_retailer_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        catalog_id = d.pop("catalog_id", UNSET)

        product_retailer_id = d.pop("product_retailer_id", UNSET)

        template_parameter_product = cls(
            catalog_id=catalog_id,
            product_retailer_id=product_retailer_id,
        )

        template_parameter_product.additional_properties = d
        return template_parameter_product

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

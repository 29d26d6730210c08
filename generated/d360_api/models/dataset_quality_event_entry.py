from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.dataset_quality_acr import DatasetQualityACR
    from ..models.dataset_quality_event_entry_data_freshness import (
        DatasetQualityEventEntryDataFreshness,
    )
    from ..models.dataset_quality_event_entry_dedupe_key_feedback_item import (
        DatasetQualityEventEntryDedupeKeyFeedbackItem,
    )
    from ..models.dataset_quality_event_entry_event_coverage import (
        DatasetQualityEventEntryEventCoverage,
    )
    from ..models.dataset_quality_event_entry_event_match_quality import (
        DatasetQualityEventEntryEventMatchQuality,
    )


T = TypeVar("T", bound="DatasetQualityEventEntry")


@_attrs_define
class DatasetQualityEventEntry:
    """Quality metrics for a specific event, including EMQ, event coverage, deduplication, data freshness, and ACR

    Attributes:
        acr (DatasetQualityACR | Unset):
        data_freshness (DatasetQualityEventEntryDataFreshness | Unset):
        dedupe_key_feedback (list[DatasetQualityEventEntryDedupeKeyFeedbackItem] | Unset):
        event_coverage (DatasetQualityEventEntryEventCoverage | Unset):
        event_match_quality (DatasetQualityEventEntryEventMatchQuality | Unset):
        event_name (str | Unset):
        event_potential_aly_acr_increase (DatasetQualityACR | Unset):
    """

    acr: DatasetQualityACR | Unset = UNSET
    data_freshness: DatasetQualityEventEntryDataFreshness | Unset = UNSET
    dedupe_key_feedback: list[DatasetQualityEventEntryDedupeKeyFeedbackItem] | Unset = (
        UNSET
    )
    event_coverage: DatasetQualityEventEntryEventCoverage | Unset = UNSET
    event_match_quality: DatasetQualityEventEntryEventMatchQuality | Unset = UNSET
    event_name: str | Unset = UNSET
    event_potential_aly_acr_increase: DatasetQualityACR | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        acr: dict[str, Any] | Unset = UNSET
        if not isinstance(self.acr, Unset):
            acr = self.acr.to_dict()

        data_freshness: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data_freshness, Unset):
            data_freshness = self.data_freshness.to_dict()

        dedupe_key_feedback: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.dedupe_key_feedback, Unset):
            dedupe_key_feedback = []
            for dedupe_key_feedback_item_data in self.dedupe_key_feedback:
                dedupe_key_feedback_item = dedupe_key_feedback_item_data.to_dict()
                dedupe_key_feedback.append(dedupe_key_feedback_item)

        event_coverage: dict[str, Any] | Unset = UNSET
        if not isinstance(self.event_coverage, Unset):
            event_coverage = self.event_coverage.to_dict()

        event_match_quality: dict[str, Any] | Unset = UNSET
        if not isinstance(self.event_match_quality, Unset):
            event_match_quality = self.event_match_quality.to_dict()

        event_name = self.event_name

        event_potential_aly_acr_increase: dict[str, Any] | Unset = UNSET
        if not isinstance(self.event_potential_aly_acr_increase, Unset):
            event_potential_aly_acr_increase = (
                self.event_potential_aly_acr_increase.to_dict()
            )

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if acr is not UNSET:
            field_dict["acr"] = acr
        if data_freshness is not UNSET:
            field_dict["data_freshness"] = data_freshness
        if dedupe_key_feedback is not UNSET:
            field_dict["dedupe_key_feedback"] = dedupe_key_feedback
        if event_coverage is not UNSET:
            field_dict["event_coverage"] = event_coverage
        if event_match_quality is not UNSET:
            field_dict["event_match_quality"] = event_match_quality
        if event_name is not UNSET:
            field_dict["event_name"] = event_name
        if event_potential_aly_acr_increase is not UNSET:
            field_dict["event_potential_aly_acr_increase"] = (
                event_potential_aly_acr_increase
            )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.dataset_quality_acr import DatasetQualityACR
        from ..models.dataset_quality_event_entry_data_freshness import (
            DatasetQualityEventEntryDataFreshness,
        )
        from ..models.dataset_quality_event_entry_dedupe_key_feedback_item import (
            DatasetQualityEventEntryDedupeKeyFeedbackItem,
        )
        from ..models.dataset_quality_event_entry_event_coverage import (
            DatasetQualityEventEntryEventCoverage,
        )
        from ..models.dataset_quality_event_entry_event_match_quality import (
            DatasetQualityEventEntryEventMatchQuality,
        )

        d = dict(src_dict)
        _acr = d.pop("acr", UNSET)
        acr: DatasetQualityACR | Unset
        if isinstance(_acr, Unset):
            acr = UNSET
        else:
            acr = DatasetQualityACR.from_dict(_acr)

        _data_freshness = d.pop("data_freshness", UNSET)
        data_freshness: DatasetQualityEventEntryDataFreshness | Unset
        if isinstance(_data_freshness, Unset):
            data_freshness = UNSET
        else:
            data_freshness = DatasetQualityEventEntryDataFreshness.from_dict(
                _data_freshness
            )

        _dedupe_key_feedback = d.pop("dedupe_key_feedback", UNSET)
        dedupe_key_feedback: (
            list[DatasetQualityEventEntryDedupeKeyFeedbackItem] | Unset
        ) = UNSET
        if _dedupe_key_feedback is not UNSET:
            dedupe_key_feedback = []
            for dedupe_key_feedback_item_data in _dedupe_key_feedback:
                dedupe_key_feedback_item = (
                    DatasetQualityEventEntryDedupeKeyFeedbackItem.from_dict(
                        dedupe_key_feedback_item_data
                    )
                )

                dedupe_key_feedback.append(dedupe_key_feedback_item)

        _event_coverage = d.pop("event_coverage", UNSET)
        event_coverage: DatasetQualityEventEntryEventCoverage | Unset
        if isinstance(_event_coverage, Unset):
            event_coverage = UNSET
        else:
            event_coverage = DatasetQualityEventEntryEventCoverage.from_dict(
                _event_coverage
            )

        _event_match_quality = d.pop("event_match_quality", UNSET)
        event_match_quality: DatasetQualityEventEntryEventMatchQuality | Unset
        if isinstance(_event_match_quality, Unset):
            event_match_quality = UNSET
        else:
            event_match_quality = DatasetQualityEventEntryEventMatchQuality.from_dict(
                _event_match_quality
            )

        event_name = d.pop("event_name", UNSET)

        _event_potential_aly_acr_increase = d.pop(
            "event_potential_aly_acr_increase", UNSET
        )
        event_potential_aly_acr_increase: DatasetQualityACR | Unset
        if isinstance(_event_potential_aly_acr_increase, Unset):
            event_potential_aly_acr_increase = UNSET
        else:
            event_potential_aly_acr_increase = DatasetQualityACR.from_dict(
                _event_potential_aly_acr_increase
            )

        dataset_quality_event_entry = cls(
            acr=acr,
            data_freshness=data_freshness,
            dedupe_key_feedback=dedupe_key_feedback,
            event_coverage=event_coverage,
            event_match_quality=event_match_quality,
            event_name=event_name,
            event_potential_aly_acr_increase=event_potential_aly_acr_increase,
        )

        dataset_quality_event_entry.additional_properties = d
        return dataset_quality_event_entry

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

"""Marketing messages through MM Lite, and `client.marketing`: dataset quality and template analytics.

    result = client.send_marketing("4915112345678", "spring_sale", "en", message_send_ttl_seconds=86_400)
    print(result.message_id, result.product_policy)      # CLOUD_API_FALLBACK: MM Lite, or the Cloud API
    quality = client.marketing.dataset_quality("1234567890")
    for event in quality.events:
        print(event.event_name, event.match_quality_score)

A marketing send is a template message posted to POST /marketing_messages instead of /messages, with MM
Lite's own fields: `message_send_ttl_seconds` (12 hours to 30 days), `product_policy` (CLOUD_API_FALLBACK:
a message MM Lite cannot take goes out through the Cloud API; STRICT: it is refused instead) and
`message_activity_sharing`. The client sends it through its usual send (the same checks, retries and
deadline): `_ClientCore` keeps the fields in its config and this module turns a checked message into the
MM Lite body. The reads are written once as `Request`s; `Marketing` and `AsyncMarketing` only run them.
"""

from __future__ import annotations

from collections.abc import Coroutine, Mapping
from typing import Any, Generic, TypeVar, cast

import attrs

from d360.errors import Problem, ValidationError
from d360.numbers import read_int
from d360.resources.answers import json_object, text
from d360.resources.base import AwaitingCaller, AwaitingRunner, BlockingCaller, BlockingRunner, Request, Runner
from d360.responses import ResponseParser, SendResult, parse_send_result

MARKETING_MESSAGES_PATH = "/marketing_messages"
DATASET_QUALITY_PATH = "/marketing/dataset_quality"
TEMPLATE_ANALYTICS_PATH = "/marketing/template_analytics"
"""Not shown on upstream's page (cut before it): d360's reading, under the prefix of the tag's other reads."""
MARKETING_SCHEMA = "mm_lite.MarketingMessageRequest"
MIN_TTL_SECONDS = 43_200
MAX_TTL_SECONDS = 2_592_000
"""message_send_ttl_seconds for a marketing template: 12 hours to 30 days (Meta's marketing-template TTL
range; upstream's MM Lite page names the field without its range)."""
CLOUD_API_FALLBACK = "CLOUD_API_FALLBACK"
STRICT_POLICY = "STRICT"
PRODUCT_POLICIES = (CLOUD_API_FALLBACK, STRICT_POLICY)
DEFAULT_PRODUCT_POLICY = CLOUD_API_FALLBACK
"""What upstream applies when a send names none: its fallback is on by default (360dialog's Technical
details for MM API page)."""

QualityT = TypeVar("QualityT")
AnalyticsT = TypeVar("AnalyticsT")
FlagT = TypeVar("FlagT")


# The send: MM Lite's fields, checked before anything is sent.


def marketing_fields(
    message_send_ttl_seconds: int | None = None,
    product_policy: str | None = None,
    message_activity_sharing: bool | None = None,
) -> dict[str, Any]:
    """MM Lite's fields for a body, those given only; ValidationError naming each one that is wrong."""
    problems: list[Problem] = []
    fields: dict[str, Any] = {}
    if message_send_ttl_seconds is not None:
        ttl = message_send_ttl_seconds
        if not isinstance(ttl, int) or isinstance(ttl, bool) or not MIN_TTL_SECONDS <= ttl <= MAX_TTL_SECONDS:
            problems.append(
                Problem(
                    "$.message_send_ttl_seconds",
                    f"must be a whole number of seconds from {MIN_TTL_SECONDS} (12 hours) to {MAX_TTL_SECONDS} "
                    f"(30 days), not {ttl!r}",
                )
            )
        else:
            fields["message_send_ttl_seconds"] = ttl
    if product_policy is not None:
        if product_policy not in PRODUCT_POLICIES:
            problems.append(
                Problem("$.product_policy", f"must be one of {', '.join(PRODUCT_POLICIES)}, not {product_policy!r}")
            )
        else:
            fields["product_policy"] = product_policy
    if message_activity_sharing is not None:
        if not isinstance(message_activity_sharing, bool):
            problems.append(
                Problem("$.message_activity_sharing", f"must be True or False, not {message_activity_sharing!r}")
            )
        else:
            fields["message_activity_sharing"] = message_activity_sharing
    if problems:
        raise ValidationError(problems, subject="marketing message")
    return fields


def marketing_body(payload: Mapping[str, Any], fields: Mapping[str, Any], *, validate: bool) -> dict[str, Any]:
    """The MM Lite body of a message already checked as a message: a template message only (whatever
    `validate` says: MM Lite refuses anything else), then with `validate` the whole body against the
    effective spec's `mm_lite.MarketingMessageRequest` (one recipient, no reply context)."""
    kind = payload.get("type")
    if not isinstance(kind, str) or kind.lower() != "template":
        raise ValidationError(
            [Problem("$.type", f"MM Lite sends template messages only, not {kind!r}: send this one with `send`")],
            subject="marketing message",
        )
    if payload.get("context") is not None:
        raise ValidationError(
            [Problem("$.context", "a marketing message is no reply: MM Lite takes no context (reply_to)")],
            subject="marketing message",
        )
    body = {**payload, **fields}
    if validate:
        from d360.validation import schema_problems

        problems = schema_problems(body, MARKETING_SCHEMA)
        if problems:
            raise ValidationError(problems, subject="marketing message")
    return body


def marketing_result_parser(requested: str | None) -> ResponseParser[SendResult]:
    """Reads an MM Lite answer: a send result whose `product_policy` is the one upstream says it applied,
    else the one the message asked for, else upstream's default (its fallback is on unless asked)."""

    def parse(status_code: int, headers: Mapping[str, str], content: bytes) -> SendResult:
        result = parse_send_result(status_code, headers, content)
        if result.product_policy is not None:
            return result
        return attrs.evolve(result, product_policy=requested or DEFAULT_PRODUCT_POLICY)

    return parse


# Dataset quality.


@attrs.frozen
class DatasetQualityEvent:
    """The quality of one event of a dataset (Purchase, AddToCart, ...) from one source (web, ...)."""

    source: str
    """Where the events come from: `web`, or a newer source as upstream names it."""
    event_name: str | None
    match_quality_score: float | None = None
    """The event match quality's composite score (0-10), when asked for and given."""
    coverage_percentage: float | None = None
    acr_percentage: float | None = None
    """The additional conversions reported, as a percentage."""
    acr_description: str | None = None
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)
    """Every field as upstream sent it (data freshness, deduplication keys, ...)."""

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, **dict(self.raw)}


@attrs.frozen
class DatasetQuality:
    """The answer of GET /marketing/dataset_quality: its events, source by source."""

    events: tuple[DatasetQualityEvent, ...] = ()
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)

    def event(self, name: str, source: str = "web") -> DatasetQualityEvent | None:
        return next((item for item in self.events if item.event_name == name and item.source == source), None)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _percentage(value: Any) -> float | None:
    return _number(value.get("percentage")) if isinstance(value, Mapping) else None


def read_event(source: str, item: Any) -> DatasetQualityEvent | None:
    if not isinstance(item, Mapping):
        return None
    quality = item.get("event_match_quality")
    acr = item.get("acr")
    return DatasetQualityEvent(
        source=source,
        event_name=text(item.get("event_name")),
        match_quality_score=_number(quality.get("composite_score")) if isinstance(quality, Mapping) else None,
        coverage_percentage=_percentage(item.get("event_coverage")),
        acr_percentage=_percentage(acr),
        acr_description=text(acr.get("description")) if isinstance(acr, Mapping) else None,
        raw=dict(item),
    )


def parse_dataset_quality(status_code: int, headers: Mapping[str, str], content: bytes) -> DatasetQuality:
    """Every source's list of events (`web` today; a newer source read the same way)."""
    body = json_object(status_code, headers, content, "dataset quality")
    events = [
        event
        for source, items in body.items()
        if isinstance(items, list)
        for event in (read_event(str(source), item) for item in items)
        if event is not None
    ]
    return DatasetQuality(events=tuple(events), raw=dict(body))


def dataset_quality_request(
    dataset_id: str, *, agent_name: str | None = None, fields: str | None = None
) -> Request[DatasetQuality]:
    """GET /marketing/dataset_quality: a read, safe to repeat."""
    problems = []
    if not isinstance(dataset_id, str) or not dataset_id.strip():
        problems.append(Problem("$.dataset_id", f"must be the dataset (pixel) id as a string, not {dataset_id!r}"))
    for name, value in (("agent_name", agent_name), ("fields", fields)):
        if value is not None and (not isinstance(value, str) or not value):
            problems.append(Problem(f"$.{name}", f"must be a non-empty string when given, not {value!r}"))
    if problems:
        raise ValidationError(problems, subject="dataset quality request")
    query = [("dataset_id", dataset_id.strip())]
    query += [(name, value) for name, value in (("agent_name", agent_name), ("fields", fields)) if value]
    return Request("GET", DATASET_QUALITY_PATH, parse_dataset_quality, query=tuple(query), idempotent=True)


# Template analytics.


@attrs.frozen
class TemplateAnalyticsPoint:
    """One template's counts over one period, in the shape of Meta's template analytics."""

    template_id: str | None
    start: int | None = None
    end: int | None = None
    sent: int | None = None
    delivered: int | None = None
    read: int | None = None
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)
    """Every field as upstream sent it (clicks, costs, newer counts)."""


@attrs.frozen
class TemplateAnalytics:
    """The answer of GET /marketing/template_analytics."""

    points: tuple[TemplateAnalyticsPoint, ...] = ()
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)


def _count(value: Any) -> int | None:
    return read_int(value, max_digits=18)


def read_point(item: Any) -> TemplateAnalyticsPoint | None:
    if not isinstance(item, Mapping):
        return None
    return TemplateAnalyticsPoint(
        template_id=text(item.get("template_id")),
        start=_count(item.get("start")),
        end=_count(item.get("end")),
        sent=_count(item.get("sent")),
        delivered=_count(item.get("delivered")),
        read=_count(item.get("read")),
        raw=dict(item),
    )


def parse_template_analytics(status_code: int, headers: Mapping[str, str], content: bytes) -> TemplateAnalytics:
    """`data[].data_points[]` (Meta's shape); an item of `data` that is itself a point is read as one."""
    body = json_object(status_code, headers, content, "template analytics")
    data = body.get("data")
    points: list[TemplateAnalyticsPoint] = []
    for item in data if isinstance(data, list) else ():
        inner = item.get("data_points") if isinstance(item, Mapping) else None
        for candidate in inner if isinstance(inner, list) else [item]:
            if (point := read_point(candidate)) is not None:
                points.append(point)
    return TemplateAnalytics(points=tuple(points), raw=dict(body))


def parse_enabled(status_code: int, headers: Mapping[str, str], content: bytes) -> bool:
    body = json_object(status_code, headers, content, "the enabling's answer")
    return body.get("success") is True


def template_analytics_request() -> Request[TemplateAnalytics]:
    """GET /marketing/template_analytics: a read, safe to repeat."""
    return Request("GET", TEMPLATE_ANALYTICS_PATH, parse_template_analytics, idempotent=True)


def enable_template_analytics_request() -> Request[bool]:
    """POST /marketing/template_analytics?enable=true: enabling twice leaves it enabled, so safe to repeat."""
    return Request("POST", TEMPLATE_ANALYTICS_PATH, parse_enabled, query=(("enable", "true"),), idempotent=True)


class MarketingResource(Generic[QualityT, AnalyticsT, FlagT]):
    _runner: Runner

    def dataset_quality(self, dataset_id: str, *, agent_name: str | None = None, fields: str | None = None) -> QualityT:
        """The quality of a dataset's (pixel's) conversion events: match quality, coverage, ACR.

        `fields` selects metrics as upstream's page says (e.g. `web{event_match_quality,event_name}`);
        `agent_name` filters by integration source. Checked first: an empty id is refused, nothing sent.
        """
        request = dataset_quality_request(dataset_id, agent_name=agent_name, fields=fields)
        return cast(QualityT, self._runner.run(request))

    def template_analytics(self) -> AnalyticsT:
        """The account's template analytics (sent, delivered, read per template and period)."""
        return cast(AnalyticsT, self._runner.run(template_analytics_request()))

    def enable_template_analytics(self) -> FlagT:
        """Turn template analytics on for the account; True when upstream says it did."""
        return cast(FlagT, self._runner.run(enable_template_analytics_request()))


class Marketing(MarketingResource[DatasetQuality, TemplateAnalytics, bool]):
    """`client.marketing` on `Client`: each method blocks."""

    def __init__(self, client: BlockingCaller) -> None:
        self._runner = BlockingRunner(client)


class AsyncMarketing(
    MarketingResource[
        Coroutine[Any, Any, DatasetQuality], Coroutine[Any, Any, TemplateAnalytics], Coroutine[Any, Any, bool]
    ]
):
    """`client.marketing` on `AsyncClient`: the same methods, awaited."""

    def __init__(self, client: AwaitingCaller) -> None:
        self._runner = AwaitingRunner(client)

"""`client.webhook_destinations`: the extra webhooks (360dialog's multi-webhook) beside the number's main one.

    client.webhook_destinations.enable([Destination("crm", "https://crm.example/hooks")])
    client.webhook_destinations.append([Destination("audit", "https://audit.example/in", {"X-Token": "t"})])
    client.webhook_destinations.update("crm", url="https://crm.example/v2/hooks")
    for destination in client.webhook_destinations.list().destinations:
        print(destination.name, destination.url)
    client.webhook_destinations.delete("audit")
    client.webhook_destinations.disable()

The main webhook stays `client.set_webhook(url)` / `get_webhook()`: every destination gets a copy of what
it gets, once it has taken it (360dialog's Multiple Webhooks guide). Written once: each operation is a
function returning a `Request`, and `WebhookDestinationsResource` hands them to a runner;
`WebhookDestinations` (on `Client`) and `AsyncWebhookDestinations` (on `AsyncClient`) differ only in
their runner. Each change is checked first against the effective spec (`multi_webhook.*Request`): at most
3 destinations, each named (names all different) with an https URL whose host has no underscore and no
port, headers of names and one-line values.

Wire shapes: GET /multi_webhook answers `{enabled, destinations: [{name, url, headers}]}`; POST takes
`{enabled, destinations}`, PUT `{destinations}` (appended), PATCH `{name, url, headers}` (upstream's page is
cut before PATCH's path and shows no DELETE: both are d360's reading, on /multi_webhook, the name in the
body); each change answers `{message}`.
"""

from __future__ import annotations

import json
from collections.abc import Coroutine, Mapping, Sequence
from typing import Any, Generic, TypeVar, cast

import attrs

from d360.errors import Problem, ValidationError
from d360.resources.answers import json_object, text
from d360.resources.base import AwaitingCaller, AwaitingRunner, BlockingCaller, BlockingRunner, Request, Runner
from d360.responses import _json_or_none
from d360.validation import schema_problems
from d360.webhooks.config import _header_problems, _url_problems

MULTI_WEBHOOK_PATH = "/multi_webhook"
MAX_DESTINATIONS = 3
"""Webhooks one number may have (360dialog's Multiple Webhooks guide: "a maximum of 3", not raised)."""
SCHEMAS = {
    "POST": "multi_webhook.EnableRequest",
    "PUT": "multi_webhook.AppendRequest",
    "PATCH": "multi_webhook.UpdateDestinationRequest",
    "DELETE": "multi_webhook.DeleteDestinationRequest",
}

ConfigT = TypeVar("ConfigT")
DoneT = TypeVar("DoneT")


@attrs.frozen
class Destination:
    """One extra webhook: its name (unique for the number), its URL, and headers added to each delivery."""

    name: str
    url: str
    headers: Mapping[str, str] = attrs.field(factory=dict)
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "url": self.url, **({"headers": dict(self.headers)} if self.headers else {})}


@attrs.frozen
class MultiWebhook:
    """Whether the number's extra webhooks are on, and where they go."""

    enabled: bool | None
    destinations: tuple[Destination, ...] = ()
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)

    def to_dict(self) -> dict[str, Any]:
        return {"enabled": self.enabled, "destinations": [item.to_dict() for item in self.destinations]}


def read_destination(item: Any) -> Destination | None:
    if not isinstance(item, Mapping) or text(item.get("name")) is None:
        return None
    headers = item.get("headers")
    return Destination(
        name=cast(str, text(item.get("name"))),
        url=text(item.get("url")) or "",
        headers={str(key): value for key, value in headers.items() if isinstance(value, str)}
        if isinstance(headers, Mapping)
        else {},
        raw=dict(item),
    )


def _parse_config(status_code: int, headers: Mapping[str, str], content: bytes) -> MultiWebhook:
    body = json_object(status_code, headers, content, "the multi-webhook configuration")
    enabled, destinations = body.get("enabled"), body.get("destinations")
    return MultiWebhook(
        enabled=enabled if isinstance(enabled, bool) else None,
        destinations=tuple(found for found in map(read_destination, destinations) if found is not None)
        if isinstance(destinations, list)
        else (),
        raw=dict(body),
    )


def _parse_message(status_code: int, headers: Mapping[str, str], content: bytes) -> str | None:
    answer = _json_or_none(content)
    return text(answer.get("message")) if isinstance(answer, Mapping) else None


def list_request() -> Request[MultiWebhook]:
    """GET /multi_webhook."""
    return Request("GET", MULTI_WEBHOOK_PATH, _parse_config, idempotent=True)


def destination_items(destinations: Sequence[Destination | Mapping[str, Any]]) -> Any:
    """The destinations as the request sends them; anything else passed on as given, for the check to name."""
    if isinstance(destinations, str | Mapping) or not isinstance(destinations, Sequence):
        return destinations
    return [item.to_dict() if isinstance(item, Destination) else item for item in destinations]


def change_problems(method: str, body: Mapping[str, Any]) -> list[Problem]:
    """What is wrong with a change's body: the effective spec's rules, in words, and a name given twice."""
    problems = [_plainly(problem, body) for problem in schema_problems(body, SCHEMAS[method])]
    if method == "PATCH" and "url" not in body and "headers" not in body:
        problems = [found for found in problems if "anyOf" not in found.message]
        problems.append(Problem("$", "nothing to update: give url or headers (or both)"))
    problems += _headers_problems("$", body.get("headers"))
    destinations = body.get("destinations")
    if isinstance(destinations, list):
        seen: set[str] = set()
        for index, item in enumerate(destinations):
            if not isinstance(item, Mapping):
                continue
            problems += _headers_problems(f"$.destinations[{index}]", item.get("headers"))
            name = item.get("name")
            if isinstance(name, str):
                if name in seen:
                    problems.append(Problem(f"$.destinations[{index}].name", f"{name!r} is named twice"))
                seen.add(name)
    return problems


def _headers_problems(where: str, headers: Any) -> list[Problem]:
    """Header names a request could not carry, and values not on one line (the main webhook's rules)."""
    if not isinstance(headers, Mapping):
        return []  # absent, or not an object: the schema check says so
    return [
        Problem(where + found.path[1:], found.message)
        for found in _header_problems(headers)
        if found.path != "$.headers" or "mapping" not in found.message
    ]


def _plainly(problem: Problem, body: Mapping[str, Any]) -> Problem:
    """A URL's pattern said as upstream's rule it breaks."""
    if not (problem.path.endswith(".url") and " does not match " in problem.message):
        return problem
    url = body.get("url") if problem.path == "$.url" else _at(body, problem.path)
    reasons = [found.message for found in _url_problems(url, True)] or ["has a path upstream does not take"]
    return Problem(problem.path, "; ".join(reasons))


def _at(body: Mapping[str, Any], path: str) -> Any:
    """The value at `$.destinations[i].url`."""
    try:
        index = int(path.split("[")[1].split("]")[0])
        return body["destinations"][index]["url"]
    except (IndexError, KeyError, TypeError, ValueError):
        return None


def change_request(method: str, body: Mapping[str, Any], *, validate: bool = True) -> Request[str | None]:
    """POST (enable, disable), PUT (append), PATCH (update) or DELETE (delete) /multi_webhook, checked first
    unless `validate` is False. Safe to repeat: each leaves the same configuration when sent twice, or is
    refused the second time (a name that exists, or is gone)."""
    if validate and (problems := change_problems(method, body)):
        raise ValidationError(problems, subject="webhook destinations")
    try:
        content = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            [Problem("$", f"cannot be sent as JSON: {exc}")], subject="webhook destinations"
        ) from None
    return Request(method, MULTI_WEBHOOK_PATH, _parse_message, body=content, idempotent=True)


class WebhookDestinationsResource(Generic[ConfigT, DoneT]):
    _runner: Runner

    def list(self) -> ConfigT:
        """Whether the extra webhooks are on (`enabled`) and the `destinations`."""
        return cast(ConfigT, self._runner.run(list_request()))

    def enable(self, destinations: Sequence[Destination | Mapping[str, Any]] = ()) -> DoneT:
        """Turn the extra webhooks on, with their first destinations (at most 3). Once on, `append` adds more.
        Answers upstream's message. Checked first: a `ValidationError` names every problem, nothing is sent."""
        body: dict[str, Any] = {"enabled": True}
        if destinations:
            body["destinations"] = destination_items(destinations)
        return cast(DoneT, self._runner.run(change_request("POST", body, validate=self._runner.validates)))

    def disable(self) -> DoneT:
        """Turn the extra webhooks off; the main webhook goes on as before."""
        return cast(DoneT, self._runner.run(change_request("POST", {"enabled": False})))

    def append(self, destinations: Sequence[Destination | Mapping[str, Any]]) -> DoneT:
        """Add destinations (names not yet used; at most 3 in all) to the enabled configuration."""
        body = {"destinations": destination_items(destinations)}
        return cast(DoneT, self._runner.run(change_request("PUT", body, validate=self._runner.validates)))

    def update(self, name: str, *, url: str | None = None, headers: Mapping[str, str] | None = None) -> DoneT:
        """Change the URL or the headers (or both) of the destination named `name`."""
        body: dict[str, Any] = {"name": name}
        if url is not None:
            body["url"] = url
        if headers is not None:
            body["headers"] = dict(headers) if isinstance(headers, Mapping) else headers
        return cast(DoneT, self._runner.run(change_request("PATCH", body, validate=self._runner.validates)))

    def delete(self, name: str) -> DoneT:
        """Remove the destination named `name`."""
        return cast(DoneT, self._runner.run(change_request("DELETE", {"name": name}, validate=self._runner.validates)))


class WebhookDestinations(WebhookDestinationsResource[MultiWebhook, str | None]):
    """`client.webhook_destinations` on `Client`: each method blocks."""

    def __init__(self, client: BlockingCaller) -> None:
        self._runner = BlockingRunner(client)


class AsyncWebhookDestinations(
    WebhookDestinationsResource[Coroutine[Any, Any, MultiWebhook], Coroutine[Any, Any, str | None]]
):
    """`client.webhook_destinations` on `AsyncClient`: the same methods, awaited."""

    def __init__(self, client: AwaitingCaller) -> None:
        self._runner = AwaitingRunner(client)

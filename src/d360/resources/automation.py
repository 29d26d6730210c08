"""`client.automation`: the number's conversational automation: the welcome message, commands and ice breakers.

    automation = client.automation.get()
    print(automation.enable_welcome_message, automation.prompts, [c.name for c in automation.commands])
    client.automation.update(
        enable_welcome_message=True,
        prompts=["Plan a trip", "Track my order"],                 # the ice breakers
        commands={"help": "Get help with your order", "status": "Check your order status"},
    )

Written once: each operation is a function returning a `Request`, and `AutomationResource` hands them to a
runner; `Automation` (on `Client`) and `AsyncAutomation` (on `AsyncClient`) differ only in their runner. An
update is checked first against the effective spec (`conversational_components.ConversationalAutomationRequest`):
at most 4 ice breakers of 1-80 characters (360dialog's page says 4; Meta's spec 3), at most 30 commands,
each named with 1-30 letters, digits or underscores (no leading slash) and described in 1-256 characters,
the names all different.

Wire shapes: GET /conversational_automation answers `{conversational_automation: {commands, enable_welcome_message,
id, prompts}, id}` (upstream's page); an answer holding those fields at the top is read too. POST takes
`{enable_welcome_message, prompts, commands: [{command_name, command_description}]}` (Meta's request, the
same names upstream's GET answers), each field given replacing what the number had, and answers `{success}`.
"""

from __future__ import annotations

import json
from collections.abc import Coroutine, Mapping, Sequence
from typing import Any, Generic, TypeVar, cast

import attrs

from d360.errors import Problem, UnexpectedResponseError, ValidationError
from d360.resources.answers import json_object, text, texts
from d360.resources.base import AwaitingCaller, AwaitingRunner, BlockingCaller, BlockingRunner, Request, Runner
from d360.responses import _json_or_none, request_id_of, snippet
from d360.validation import schema_problems

AUTOMATION_PATH = "/conversational_automation"
UPDATE_SCHEMA = "conversational_components.ConversationalAutomationRequest"
MAX_PROMPTS = 4
"""Ice breakers a number may have (360dialog's Conversational Components page)."""
MAX_COMMANDS = 30
"""Commands a number may have (Meta's spec, ConversationalAutomationRequest)."""

AutomationT = TypeVar("AutomationT")
DoneT = TypeVar("DoneT")


@attrs.frozen
class Command:
    """A command a user can type after a slash (`/help`): its name, without the slash, and what it does."""

    name: str
    description: str
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)

    def to_dict(self) -> dict[str, Any]:
        return {"command_name": self.name, "command_description": self.description}


@attrs.frozen
class ConversationalAutomation:
    """The number's automation as upstream answers it; a field it left out is None (or empty)."""

    enable_welcome_message: bool | None = None
    """Whether a user opening a chat for the first time makes upstream send a `request_welcome` message."""
    prompts: tuple[str, ...] = ()
    """The ice breakers: tappable texts a user sees in a new chat."""
    commands: tuple[Command, ...] = ()
    id: str | None = None
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)

    @property
    def ice_breakers(self) -> tuple[str, ...]:
        """The prompts, by the name WhatsApp Manager gives them."""
        return self.prompts

    def to_dict(self) -> dict[str, Any]:
        return {
            "enable_welcome_message": self.enable_welcome_message,
            "prompts": list(self.prompts),
            "commands": [command.to_dict() for command in self.commands],
            "id": self.id,
        }


def read_command(item: Any) -> Command | None:
    if not isinstance(item, Mapping):
        return None
    name = text(item.get("command_name"))
    if name is None:
        return None
    return Command(name=name, description=text(item.get("command_description")) or "", raw=dict(item))


def read_automation(body: Mapping[str, Any]) -> ConversationalAutomation:
    """The automation of a GET's answer: nested in `conversational_automation` (upstream) or at the top."""
    inner = body.get("conversational_automation")
    fields = inner if isinstance(inner, Mapping) else body
    welcome = fields.get("enable_welcome_message")
    commands = fields.get("commands")
    return ConversationalAutomation(
        enable_welcome_message=welcome if isinstance(welcome, bool) else None,
        prompts=texts(fields.get("prompts")) if isinstance(fields.get("prompts"), list) else (),
        commands=tuple(found for found in map(read_command, commands) if found is not None)
        if isinstance(commands, list)
        else (),
        id=text(fields.get("id")) or text(body.get("id")),
        raw=dict(body),
    )


def _parse_automation(status_code: int, headers: Mapping[str, str], content: bytes) -> ConversationalAutomation:
    return read_automation(json_object(status_code, headers, content, "the conversational automation"))


def get_request() -> Request[ConversationalAutomation]:
    """GET /conversational_automation."""
    return Request("GET", AUTOMATION_PATH, _parse_automation, idempotent=True)


def command_items(commands: Mapping[str, str] | Sequence[Command | Mapping[str, Any]]) -> list[Any]:
    """The commands as the request sends them: `{name: description}`, `Command`s, or request-shaped mappings.
    Anything else is passed on as given, for the check to name."""
    if isinstance(commands, Mapping):
        return [{"command_name": name, "command_description": about} for name, about in commands.items()]
    if isinstance(commands, str) or not isinstance(commands, Sequence):
        return cast(list[Any], commands)  # not a list: the schema check says so
    return [item.to_dict() if isinstance(item, Command) else item for item in commands]


def update_problems(body: Mapping[str, Any]) -> list[Problem]:
    """What is wrong with an update's body: the effective spec's limits, and command names given twice."""
    problems = [_plainly(problem) for problem in schema_problems(body, UPDATE_SCHEMA)]
    commands = body.get("commands")
    if isinstance(commands, list):
        seen: set[str] = set()
        for index, item in enumerate(commands):
            name = item.get("command_name") if isinstance(item, Mapping) else None
            if isinstance(name, str):
                if name in seen:
                    problems.append(Problem(f"$.commands[{index}].command_name", f"{name!r} is named twice"))
                seen.add(name)
    return problems


def update_request(body: Mapping[str, Any], *, validate: bool = True) -> Request[None]:
    """POST /conversational_automation with the fields to set, checked first unless `validate` is False."""
    if not body:
        raise ValidationError(
            [Problem("$", "nothing to update: give enable_welcome_message, prompts or commands")],
            subject="conversational automation",
        )
    if validate and (problems := update_problems(body)):
        raise ValidationError(problems, subject="conversational automation")
    try:
        content = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
    except (TypeError, ValueError) as exc:  # a lone surrogate is a ValueError (UnicodeEncodeError)
        raise ValidationError(
            [Problem("$", f"cannot be sent as JSON: {exc}")], subject="conversational automation"
        ) from None

    def parse(status_code: int, headers: Mapping[str, str], content: bytes) -> None:
        answer = _json_or_none(content)
        if isinstance(answer, Mapping) and answer.get("success") is False:
            raise UnexpectedResponseError(
                f"HTTP {status_code}, but upstream says the update did not succeed: {snippet(content)!r}",
                status_code=status_code,
                body=answer,
                request_id=request_id_of(headers, answer),
            )

    # Safe to repeat: the same fields set twice leave the same automation.
    return Request("POST", AUTOMATION_PATH, parse, body=content, idempotent=True)


def _plainly(problem: Problem) -> Problem:
    """A command name's pattern said in words."""
    if " does not match " in problem.message and problem.path.endswith(".command_name"):
        value = problem.message.split(" does not match ")[0]
        return Problem(problem.path, f"{value} is not a command name: letters, digits and _ only, without the /")
    return problem


class AutomationResource(Generic[AutomationT, DoneT]):
    _runner: Runner

    def get(self) -> AutomationT:
        """The welcome message switch, the ice breakers (`prompts`) and the commands."""
        return cast(AutomationT, self._runner.run(get_request()))

    def update(
        self,
        *,
        enable_welcome_message: bool | None = None,
        prompts: Sequence[str] | None = None,
        commands: Mapping[str, str] | Sequence[Command | Mapping[str, Any]] | None = None,
    ) -> DoneT:
        """Set what is given; what is left out stays as it is (`prompts=[]` or `commands=[]` removes them all).

        `prompts` are the ice breakers (at most 4, 1-80 characters each); `commands` a mapping of name to
        description, or `Command`s (at most 30; a name of 1-30 letters, digits or underscores, no slash; a
        description of 1-256 characters; no name twice). Checked first (unless the client was made with
        `validate=False`): a `ValidationError` names every problem with its path, and nothing is sent.
        """
        body: dict[str, Any] = {}
        if enable_welcome_message is not None:
            body["enable_welcome_message"] = enable_welcome_message
        if prompts is not None:
            body["prompts"] = list(prompts) if not isinstance(prompts, str) else prompts
        if commands is not None:
            body["commands"] = command_items(commands)
        return cast(DoneT, self._runner.run(update_request(body, validate=self._runner.validates)))


class Automation(AutomationResource[ConversationalAutomation, None]):
    """`client.automation` on `Client`: each method blocks."""

    def __init__(self, client: BlockingCaller) -> None:
        self._runner = BlockingRunner(client)


class AsyncAutomation(AutomationResource[Coroutine[Any, Any, ConversationalAutomation], Coroutine[Any, Any, None]]):
    """`client.automation` on `AsyncClient`: the same methods, awaited."""

    def __init__(self, client: AwaitingCaller) -> None:
        self._runner = AwaitingRunner(client)

"""`client.templates`: list, look up, create, delete message templates, and browse Meta's template library.

    for template in client.templates.list(status="APPROVED"):        # every page, fetched as it is needed
        print(template.name, template.language, template.category)
    client.templates.create(name="order_update", category="UTILITY", language="en", components=[...])
    client.templates.get("order_update", "en").status                # PENDING, then APPROVED or REJECTED

Written once: each operation is a function returning a `Request` (or the first of a listing's pages), and
`TemplatesResource` hands them to a runner; `Templates` (on `Client`) and `AsyncTemplates` (on `AsyncClient`)
differ only in their runner. Answers are read defensively: fields d360 does not know are kept in `raw`,
statuses, categories and quality ratings are plain strings, and a 2xx answer that cannot be read raises
`UnexpectedResponseError`, never a KeyError.

Wire shapes (see the README's "Templates" section for their sources): POST /v1/configs/templates takes
a definition and answers the template (360dialog's older page) or `{id, status, category}` (Meta's); GET
/v1/configs/templates takes `limit`, `offset` and `filters` (a JSON object) and answers `{count, total,
offset, limit, waba_templates: [...]}`; DELETE /v1/configs/templates/{name} deletes every language.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator, Mapping, Sequence
from typing import Any, Generic, TypeVar, cast
from urllib.parse import quote

import attrs

from d360.errors import Problem, TemplateNotFoundError, UnexpectedResponseError, ValidationError
from d360.numbers import read_int
from d360.resources.answers import json_object as _object
from d360.resources.answers import text as _text
from d360.resources.answers import texts as _texts
from d360.resources.base import (
    AwaitingCaller,
    AwaitingRunner,
    BlockingCaller,
    BlockingRunner,
    Page,
    Request,
    Runner,
)
from d360.resources.template_rules import name_problems, validate_template
from d360.responses import _json_or_none, request_id_of, snippet
from d360.unicode import utf8_encodable

TEMPLATES_PATH = "/v1/configs/templates"
LIBRARY_PATH = "/message_template_library"
"""Upstream's reference page is cut before this operation's path. 360dialog's paths are Meta's with the
version and the account id left out, and Meta's is `GET /message_template_library`: this is that guess,
the most likely path, not a documented one."""
DEFAULT_PAGE_SIZE = 50
"""Templates asked for per page: a page of 50 stays well inside the 1 MiB an answer may take."""
MAX_PAGE_SIZE = 1000
MAX_PAGES = 10_000
"""A listing that has not ended after this many pages is upstream looping: stopped with an error."""
MAX_OF_ONE_NAME = 1000
"""A name has one template per language (WhatsApp has about 70): a listing by name that goes past this
many is upstream repeating itself, stopped with an error before `get` or a template check keeps gigabytes."""

STATUSES = (
    "APPROVED", "PENDING", "REJECTED", "PAUSED", "DISABLED", "IN_APPEAL", "PENDING_DELETION", "DELETED",
    "LIMIT_EXCEEDED", "ARCHIVED", "LOCKED", "FLAGGED", "REINSTATED",
)  # fmt: skip
"""The statuses a template may have (Meta's Message Template reference, `status`; the same values come in
`message_template_status_update`). `list(status=...)` takes any string: a status newer than d360 still
filters; `d360 templates list --status` takes only these, so a typo is refused, not "no templates match"."""

# The filter keys 360dialog's template listings take (the Partner API's page lists the same ones).
NAME_FILTER = "business_templates.name"

TemplateT = TypeVar("TemplateT")
DoneT = TypeVar("DoneT")
TemplatesT = TypeVar("TemplatesT")
LibraryT = TypeVar("LibraryT")


@attrs.frozen
class Template:
    """A message template as upstream describes it. Values d360 does not know are kept as they came."""

    name: str
    language: str | None
    """The language and locale code (`en`, `en_US`)."""
    status: str | None
    """`APPROVED`, `PENDING`, `REJECTED`, `PAUSED`, `DISABLED`, ... as upstream writes it (360dialog's listings
    may write it in lower case); `approved` compares in any case."""
    category: str | None
    """`UTILITY`, `MARKETING`, `AUTHENTICATION`, or a newer value."""
    components: tuple[Mapping[str, Any], ...] = ()
    """The definition's components (HEADER, BODY, FOOTER, BUTTONS, ...) as upstream sent them."""
    id: str | None = None
    quality: str | None = None
    """The quality rating (`GREEN`, `YELLOW`, `RED`, `UNKNOWN`), from `quality_score` in either of its shapes."""
    rejected_reason: str | None = None
    """Why it was rejected; upstream writes `NONE` for a template that was not."""
    namespace: str | None = None
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)
    """The whole object upstream sent."""

    @property
    def approved(self) -> bool:
        """Whether the template may be sent now (its status is APPROVED, in any case)."""
        return (self.status or "").upper() == "APPROVED"

    def component(self, type: str) -> Mapping[str, Any] | None:
        """The component of this type (`"BODY"`, `"header"`, ...), compared in any case; None without one."""
        wanted = type.upper()
        for component in self.components:
            if str(component.get("type", "")).upper() == wanted:
                return component
        return None

    def to_dict(self) -> dict[str, Any]:
        """The fields as JSON-ready data (what `d360 templates ... --json` prints)."""
        return {
            "name": self.name,
            "language": self.language,
            "status": self.status,
            "category": self.category,
            "id": self.id,
            "quality": self.quality,
            "rejected_reason": self.rejected_reason,
            "namespace": self.namespace,
            "components": [dict(component) for component in self.components],
        }


@attrs.frozen
class LibraryTemplate:
    """A template from Meta's template library: ready-made text to create a template from
    (`create(..., library_template_name=item.name)`)."""

    name: str
    language: str | None
    category: str | None
    topic: str | None = None
    usecase: str | None = None
    industry: tuple[str, ...] = ()
    header: str | None = None
    body: str | None = None
    body_params: tuple[str, ...] = ()
    """A sample value for each of the body's variables."""
    body_param_types: tuple[str, ...] = ()
    buttons: tuple[Mapping[str, Any], ...] = ()
    id: str | None = None
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "language": self.language,
            "category": self.category,
            "topic": self.topic,
            "usecase": self.usecase,
            "industry": list(self.industry),
            "header": self.header,
            "body": self.body,
            "body_params": list(self.body_params),
            "body_param_types": list(self.body_param_types),
            "buttons": [dict(button) for button in self.buttons],
            "id": self.id,
        }


# Reading answers: total functions of whatever upstream sent.


def read_template(item: Any, fallback: Mapping[str, Any] | None = None) -> Template | None:
    """A template from one object of an answer (None when it is not one: no object, or no name). `fallback`
    fills what the answer leaves out (Meta's create answer has only id, status and category)."""
    if not isinstance(item, Mapping):
        return None
    merged = {**(fallback or {}), **{key: value for key, value in item.items() if value is not None}}
    name = _text(merged.get("name"))
    if not name:
        return None
    components = merged.get("components")
    quality = merged.get("quality_score")
    if isinstance(quality, Mapping):
        quality = quality.get("score")
    return Template(
        name=name,
        language=_text(merged.get("language")),
        status=_text(merged.get("status")),
        category=_text(merged.get("category")),
        components=tuple(dict(part) for part in components if isinstance(part, Mapping))
        if isinstance(components, list)
        else (),
        id=_text(merged.get("id")),
        quality=_text(quality),
        rejected_reason=_text(merged.get("rejected_reason")),
        namespace=_text(merged.get("namespace")),
        raw=dict(item),
    )


def read_library_template(item: Any) -> LibraryTemplate | None:
    if not isinstance(item, Mapping) or not _text(item.get("name")):
        return None
    return LibraryTemplate(
        name=str(_text(item.get("name"))),
        language=_text(item.get("language")),
        category=_text(item.get("category")),
        topic=_text(item.get("topic")),
        usecase=_text(item.get("usecase")),
        industry=_texts(item.get("industry")),
        header=_text(item.get("header")),
        body=_text(item.get("body")),
        body_params=_texts(item.get("body_params")),
        body_param_types=_texts(item.get("body_param_types")),
        buttons=tuple(dict(button) for button in item.get("buttons") or () if isinstance(button, Mapping))
        if isinstance(item.get("buttons"), list)
        else (),
        id=_text(item.get("id")),
        raw=dict(item),
    )


# The requests: plain data, built and checked before anything is sent.


@attrs.frozen
class TemplateFilter:
    """What a listing asks for. Sent to upstream as `filters`, and checked again on every template that
    comes back (in any case for status and category), so the result is right even where upstream ignores a
    filter. 360dialog's examples filter on lower-case statuses; categories are upper case in its listings."""

    name: str | None = None
    status: str | None = None
    category: str | None = None
    language: str | None = None

    def query(self) -> dict[str, str]:
        found = {
            NAME_FILTER: self.name,
            "status": self.status.lower() if self.status else None,
            "category": self.category.upper() if self.category else None,
            "language": self.language,
        }
        return {key: value for key, value in found.items() if value}

    def matches(self, template: Template) -> bool:
        return (
            (self.name is None or template.name == self.name)
            and (self.language is None or template.language == self.language)
            and (self.status is None or (template.status or "").upper() == self.status.upper())
            and (self.category is None or (template.category or "").upper() == self.category.upper())
        )


def list_request(wanted: TemplateFilter, page_size: int = DEFAULT_PAGE_SIZE) -> Request[Page[Template]]:
    """The first page of a listing; each page's answer gives the request for the next."""
    _check_page_size(page_size)
    for field in ("status", "category", "language"):
        value = getattr(wanted, field)
        if value is not None and not (isinstance(value, str) and value.strip()):
            raise ValidationError(
                [Problem(f"$.{field}", f"must be a non-empty string, not {value!r}")], subject="filter"
            )
    if wanted.name is not None:
        _check_name(wanted.name)
    return _page_request(wanted, page_size, offset=0, pages=0, kept=0, previous=None)


def _page_request(
    wanted: TemplateFilter, page_size: int, *, offset: int, pages: int, kept: int, previous: tuple[str, ...] | None
) -> Request[Page[Template]]:
    filters = wanted.query()
    query: list[tuple[str, str]] = [("limit", str(page_size)), ("offset", str(offset))]
    if filters:
        query.append(("filters", json.dumps(filters, separators=(",", ":"), sort_keys=True)))

    def parse(status_code: int, headers: Mapping[str, str], content: bytes) -> Page[Template]:
        body = _object(status_code, headers, content, "a list of templates")
        items = body.get("waba_templates")
        if items is None:
            items = body.get("data")  # Meta's shape, should upstream answer with it
        if not isinstance(items, list):
            raise UnexpectedResponseError(
                f"HTTP {status_code} without a list of templates (waba_templates): {snippet(content)!r}",
                status_code=status_code,
                body=body,
                request_id=request_id_of(headers, body),
            )
        read = [read_template(item) for item in items]
        templates = tuple(template for template in read if template is not None and wanted.matches(template))
        keys = tuple(f"{item.name}/{item.language}/{item.id}" for item in read if item is not None)
        if keys and keys == previous:
            raise UnexpectedResponseError(
                f"upstream answered offset {offset} with the templates of the page before: it does not page; stopped",
                status_code=status_code,
                body=body,
                request_id=request_id_of(headers, body),
            )
        total = read_int(body.get("total"))
        following = offset + len(items)
        last = not items or (total is not None and following >= total) or (total is None and len(items) < page_size)
        if not last and pages + 1 >= MAX_PAGES:
            raise UnexpectedResponseError(
                f"upstream's listing has not ended after {MAX_PAGES} pages; stopped", status_code=status_code
            )
        if wanted.name is not None and kept + len(templates) > MAX_OF_ONE_NAME:
            raise UnexpectedResponseError(
                f"upstream listed more than {MAX_OF_ONE_NAME} templates named {wanted.name!r} (one a language is "
                "expected); stopped",
                status_code=status_code,
            )
        following_request = (
            None
            if last
            else _page_request(
                wanted, page_size, offset=following, pages=pages + 1, kept=kept + len(templates), previous=keys
            )
        )
        return Page(templates, following_request)

    return Request("GET", TEMPLATES_PATH, parse, query=tuple(query), idempotent=True)


def choose(name: str, language: str | None) -> Callable[[list[Template]], Template]:
    """Picks `get`'s answer from every template of that name."""

    def pick(found: list[Template]) -> Template:
        languages = sorted({template.language or "" for template in found})
        if language is not None:
            for template in found:
                if template.language == language:
                    return template
            raise TemplateNotFoundError(name, language, languages)
        if not found:
            raise TemplateNotFoundError(name, None)
        if len(languages) == 1:
            return found[0]
        raise ValidationError(
            [Problem("$.language", f"{name!r} exists in {', '.join(languages)}: say which, language=...")],
            subject="template lookup",
        )

    return pick


def create_request(definition: Mapping[str, Any], *, validate: bool = True) -> Request[Template]:
    """POST /v1/configs/templates with a definition, checked first unless `validate` is False."""
    if validate:
        validate_template(definition)
    try:
        # allow_nan=False: NaN is not JSON, and upstream would refuse the body.
        body = json.dumps(definition, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
    except (TypeError, ValueError, RecursionError) as exc:
        raise ValidationError([Problem("$", f"cannot be sent as JSON: {exc}")], subject="template") from None
    fallback = {key: definition.get(key) for key in ("name", "language", "category", "components")}

    def parse(status_code: int, headers: Mapping[str, str], content: bytes) -> Template:
        answer = _object(status_code, headers, content, "the created template")
        created = read_template(answer, fallback)
        if created is None:  # pragma: no cover - the fallback always has the name that was checked
            raise UnexpectedResponseError(
                f"HTTP {status_code} without the created template: {snippet(content)!r}", status_code=status_code
            )
        return created

    # Not repeated after a failure that may have reached upstream: a template created twice is refused
    # the second time ("already exists"), which would hide that the first succeeded.
    return Request("POST", TEMPLATES_PATH, parse, body=body)


def delete_request(name: str) -> Request[None]:
    """DELETE /v1/configs/templates/{name}: every language of the template."""
    _check_name(name)

    def parse(status_code: int, headers: Mapping[str, str], content: bytes) -> None:
        body = _json_or_none(content)
        if isinstance(body, Mapping) and body.get("success") is False:
            raise UnexpectedResponseError(
                f"HTTP {status_code}, but upstream says the deletion did not succeed: {snippet(content)!r}",
                status_code=status_code,
                body=body,
                request_id=request_id_of(headers, body),
            )

    # Safe to repeat: a deletion repeated leaves the same state (the template gone).
    return Request("DELETE", f"{TEMPLATES_PATH}/{quote(name, safe='')}", parse, idempotent=True)


@attrs.frozen
class LibraryFilter:
    search: str | None = None
    topic: str | None = None
    usecase: str | None = None
    industry: str | None = None
    language: str | None = None
    name: str | None = None

    def query(self) -> list[tuple[str, str]]:
        return [(field.name, value) for field in attrs.fields(LibraryFilter) if (value := getattr(self, field.name))]


def library_request(wanted: LibraryFilter, page_size: int = DEFAULT_PAGE_SIZE) -> Request[Page[LibraryTemplate]]:
    """The first page of the template library (Meta's shape: `data`, and `paging.cursors.after`)."""
    _check_page_size(page_size)
    for field in attrs.fields(LibraryFilter):
        value = getattr(wanted, field.name)
        if value is not None and not isinstance(value, str):
            raise ValidationError([Problem(f"$.{field.name}", f"must be a string, not {value!r}")], subject="filter")
        if value is not None and not utf8_encodable(value):
            raise ValidationError(
                [Problem(f"$.{field.name}", "holds a lone surrogate (half of an emoji), which a URL cannot carry")],
                subject="filter",
            )
    return _library_page(wanted, page_size, after=None, pages=0)


def _library_page(
    wanted: LibraryFilter, page_size: int, *, after: str | None, pages: int
) -> Request[Page[LibraryTemplate]]:
    query = [*wanted.query(), ("limit", str(page_size))]
    if after is not None:
        query.append(("after", after))

    def parse(status_code: int, headers: Mapping[str, str], content: bytes) -> Page[LibraryTemplate]:
        body = _object(status_code, headers, content, "library templates")
        items = body.get("data")
        if not isinstance(items, list):
            raise UnexpectedResponseError(
                f"HTTP {status_code} without a list of library templates (data): {snippet(content)!r}",
                status_code=status_code,
                body=body,
                request_id=request_id_of(headers, body),
            )
        found = tuple(item for item in map(read_library_template, items) if item is not None)
        paging = body.get("paging")
        paging = paging if isinstance(paging, Mapping) else {}
        cursors = paging.get("cursors")
        cursor = cursors.get("after") if isinstance(cursors, Mapping) else None
        # Meta leaves `next` out of the last page; a cursor that does not move would page forever.
        more = bool(items) and bool(paging.get("next")) and isinstance(cursor, str) and bool(cursor)
        if more and isinstance(cursor, str) and not utf8_encodable(cursor):
            raise UnexpectedResponseError(
                "upstream's template library gave a cursor a URL cannot carry (a lone surrogate); stopped",
                status_code=status_code,
                body=body,
            )
        if more and (cursor == after or pages + 1 >= MAX_PAGES):
            raise UnexpectedResponseError(
                "upstream's template library does not page (the same cursor again); stopped",
                status_code=status_code,
                body=body,
            )
        return Page(found, _library_page(wanted, page_size, after=cursor, pages=pages + 1) if more else None)

    return Request("GET", LIBRARY_PATH, parse, query=tuple(query), idempotent=True)


def _check_name(name: Any) -> None:
    problems = name_problems(name)
    if problems:
        raise ValidationError(problems, subject="template name")


def _check_page_size(page_size: Any) -> None:
    if not isinstance(page_size, int) or isinstance(page_size, bool) or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValidationError(
            [Problem("$.page_size", f"must be a whole number from 1 to {MAX_PAGE_SIZE}, not {page_size!r}")],
            subject="listing",
        )


# The resource: each method written once; the runner decides whether it blocks or is awaited.


class TemplatesResource(Generic[TemplateT, DoneT, TemplatesT, LibraryT]):
    _runner: Runner

    def list(
        self,
        *,
        name: str | None = None,
        status: str | None = None,
        category: str | None = None,
        language: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> TemplatesT:
        """Every template matching the filters (all of them without any), page by page as they are used.

        `status` and `category` compare in any case. An iterator on `Client` (an async iterator on
        `AsyncClient`); each page is asked for when the one before is used up. An entry of upstream's
        answer that is not a template (no object, no name) is left out.
        """
        wanted = TemplateFilter(name=name, status=status, category=category, language=language)
        return cast(TemplatesT, self._runner.pages(list_request(wanted, page_size)))

    def get(self, name: str, language: str | None = None) -> TemplateT:
        """The template `name` in `language`, or, without one, in the only language it has.

        Raises `TemplateNotFoundError` (naming the languages it does have) when there is none, and
        `ValidationError` when `language` is left out and the name has several.
        """
        # Every language of the name is fetched (a handful), so a miss can say which languages there are.
        first = list_request(TemplateFilter(name=name))
        return cast(TemplateT, self._runner.collect(first, choose(name, language)))

    def create(
        self,
        *,
        name: str,
        category: str,
        language: str,
        components: Sequence[Mapping[str, Any]] | None = None,
        allow_category_change: bool | None = None,
        parameter_format: str | None = None,
        library_template_name: str | None = None,
        library_template_button_inputs: Sequence[Mapping[str, Any]] | None = None,
    ) -> TemplateT:
        """Submit a template for review; it starts `PENDING`. The definition is checked first (name rules,
        components, `{{1}}..{{n}}` numbering, examples, lengths): a `ValidationError` lists every problem
        with its path, and nothing is sent. `library_template_name` creates it from the template library.
        """
        fields: dict[str, Any] = {
            "name": name,
            "category": category,
            "language": language,
            "components": [dict(component) for component in components] if components is not None else None,
            "allow_category_change": allow_category_change,
            "parameter_format": parameter_format,
            "library_template_name": library_template_name,
            "library_template_button_inputs": [dict(item) for item in library_template_button_inputs]
            if library_template_button_inputs is not None
            else None,
        }
        return self.create_from({key: value for key, value in fields.items() if value is not None})

    def create_from(self, definition: Mapping[str, Any]) -> TemplateT:
        """Submit a whole definition, as `POST /v1/configs/templates` takes it (a JSON file's content, say);
        checked like `create` unless the client was made with `validate=False`."""
        request = create_request(definition, validate=self._runner.validates)
        # The template check fetches it afresh at its next send (a translation added to a name, say).
        self._runner.forget_template(str(definition.get("name")))
        return cast(TemplateT, self._runner.run(request))

    def delete(self, name: str) -> DoneT:
        """Delete the template `name`, in every language it has."""
        request = delete_request(name)
        # Forgotten before the request leaves: were it after, an async caller could be cancelled in between.
        self._runner.forget_template(name)
        return cast(DoneT, self._runner.run(request))

    def library(
        self,
        *,
        search: str | None = None,
        topic: str | None = None,
        usecase: str | None = None,
        industry: str | None = None,
        language: str | None = None,
        name: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> LibraryT:
        """Meta's template library, filtered (`search` is a substring of the name or content), page by page."""
        wanted = LibraryFilter(search, topic, usecase, industry, language, name)
        return cast(LibraryT, self._runner.pages(library_request(wanted, page_size)))


class Templates(TemplatesResource[Template, None, Iterator[Template], Iterator[LibraryTemplate]]):
    """`client.templates` on `Client`: each method blocks; listings are iterators."""

    def __init__(self, client: BlockingCaller) -> None:
        self._runner = BlockingRunner(client)


class AsyncTemplates(
    TemplatesResource[
        Coroutine[Any, Any, Template],
        Coroutine[Any, Any, None],
        AsyncIterator[Template],
        AsyncIterator[LibraryTemplate],
    ]
):
    """`client.templates` on `AsyncClient`: the same methods, awaited; listings are async iterators."""

    def __init__(self, client: AwaitingCaller) -> None:
        self._runner = AwaitingRunner(client)

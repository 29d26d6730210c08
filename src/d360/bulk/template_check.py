"""`d360 bulk`'s template check: every template message of a campaign is checked against its template before
the first send, and one that does not fit refuses the whole campaign, in one line, with nothing sent.

Each distinct template (name and language) is fetched once, when the first line using it is read (a request
each; a CSV campaign has one, `--template`); every line is then checked against it without a request. The
check runs before the journal is opened, so a refused campaign leaves no journal behind; a resumed one is
checked again, since a template may have changed between the runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import attrs

from d360.bulk.input import BulkInputError
from d360.errors import D360Error, Problem
from d360.resources.base import BlockingRunner
from d360.resources.template_check import (
    TemplateKey,
    TemplateLookup,
    fit_problems,
    local_lookup,
    lookup_failure,
    lookup_request,
    read_lookup,
    template_key,
)

if TYPE_CHECKING:
    from d360.bulk.input import InputLine
    from d360.client import Client
    from d360.config import TimeoutLike

MAX_TEMPLATES = 1000
"""Distinct templates a campaign may use with the check on: each costs a request before the first send."""
SKIP_HINT = "--no-template-check sends without this check"


class TooManyTemplates(BulkInputError):
    """The campaign uses more templates than the check fetches (exit 2, nothing sent)."""


@attrs.frozen
class Misfit:
    """The first line that does not fit its template."""

    line_number: int
    key: TemplateKey
    problems: tuple[Problem, ...]


class CampaignTemplateCheck:
    """Checks each line it is shown (`see`); `refusal()` then says, in one line, why the campaign may not be
    sent, or None. Fetches through a blocking `Client` opened when first needed (`close()` closes it)."""

    def __init__(self, open_client: Callable[[], Client], *, csv: bool = False) -> None:
        self._open_client = open_client
        self._client: Client | None = None
        self._csv = csv
        self._lookups: dict[TemplateKey, TemplateLookup] = {}
        self.first: Misfit | None = None
        self.misfits = 0
        """Lines that do not fit their templates."""
        self.checked = 0
        """Template lines checked."""

    @classmethod
    def connecting(
        cls, *, api_key: str | None, base_url: str | None, timeout: TimeoutLike, max_retries: int, csv: bool = False
    ) -> CampaignTemplateCheck:
        """A check that fetches with these connection settings (those of the run)."""

        def open_client() -> Client:
            from d360.client import Client

            return Client(api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries)

        return cls(open_client, csv=csv)

    def see(self, line: InputLine) -> None:
        """Check one valid line; a line that is not a template message passes."""
        key = template_key(line.message)
        if key is None or line.message is None:
            return
        problems = fit_problems(line.message, self._lookup(key))
        self.checked += 1
        if problems:
            self.misfits += 1
            if self.first is None:
                self.first = Misfit(line.line_number, key, tuple(problems))

    def _lookup(self, key: TemplateKey) -> TemplateLookup:
        found = self._lookups.get(key)
        if found is not None:
            return found
        if len(self._lookups) >= MAX_TEMPLATES:
            raise TooManyTemplates(
                f"the campaign uses more than {MAX_TEMPLATES} templates (a name in a language), each checked with "
                f"a request before the first send; nothing was sent ({SKIP_HINT})"
            )
        found = local_lookup(key)
        if found is None:
            if self._client is None:
                self._client = self._open_client()
            try:
                found = BlockingRunner(self._client).collect(lookup_request(key), read_lookup(key))
            except D360Error as error:
                raise lookup_failure(key, error, subject="the campaign") from None
        self._lookups[key] = found
        return found

    def refusal(self) -> str | None:
        """Why the campaign may not be sent, in one line; None when every template line fits."""
        first = self.first
        if first is None:
            return None
        name, language = first.key
        problems = "; ".join(str(problem) for problem in first.problems)
        others = self.misfits - 1
        more = f"; {others} more line{' does' if others == 1 else 's do'} not fit" if others else ""
        if self._csv:
            columns = any(problem.path.startswith("$.template.components") for problem in first.problems)
            hint = " (each column besides 'to' is a body parameter, in order)" if columns else ""
            return (
                f"--template {name} ({language}) does not fit the CSV: line {first.line_number}: {problems}{hint}"
                f"{more}; nothing was sent ({SKIP_HINT})"
            )
        return (
            f"line {first.line_number} does not fit template {name!r} ({language}): {problems}{more}; nothing was "
            f"sent ({SKIP_HINT})"
        )

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

"""The input of `d360 bulk`: JSON Lines of full messages, or CSV rows that fill a template. Streamed, never loaded.

Line numbers are the file's own (a CSV header is line 1), so reports point where an editor does.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from d360 import messages, templates
from d360.json_input import JSONInputError, decode_text, loads
from d360.validation import is_status_body, message_problems


class BulkInputError(Exception):
    """The input cannot be read as a whole (missing file, no `to` column): one line, nothing sent."""


@attrs.frozen
class InputLine:
    line_number: int
    content_hash: str
    """sha256 of the line as written: the journal checks a resumed run reads the same line."""
    message: dict[str, Any] | None
    problems: tuple[str, ...] = ()

    @property
    def valid(self) -> bool:
        return not self.problems


@attrs.frozen
class BulkInput:
    path: Path
    template: str | None = None
    language: str | None = None

    @property
    def is_csv(self) -> bool:
        return self.path.suffix.lower() == ".csv"

    def check(self) -> None:
        if not self.path.is_file():
            raise BulkInputError(f"no such file: {self.path}")
        if self.is_csv and not (self.template and self.language):
            raise BulkInputError("a CSV input needs --template NAME and --language CODE")
        if not self.is_csv and (self.template or self.language):
            raise BulkInputError("--template and --language apply to CSV input; JSON Lines hold full messages")

    def describe(self) -> str:
        options = f", template {self.template} ({self.language})" if self.is_csv else ""
        return f"{self.path.name}{options}"

    def fingerprint(self) -> str:
        """sha256 of the file's bytes and the options that shape its messages: a journal's identity."""
        digest = hashlib.sha256(f"{self.template}\0{self.language}\0".encode())
        with self.path.open("rb") as stream:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()

    def lines(self, *, validate: bool = True) -> Iterator[InputLine]:
        """Every non-blank line, parsed into a message and, when asked, checked."""
        return self._csv_lines(validate) if self.is_csv else self._json_lines(validate)

    def hashes(self) -> Iterator[tuple[int, str]]:
        """(line number, content hash) of every non-blank line, the same as `lines()` gives, without parsing
        a JSON line: what filling a journal needs."""
        if self.is_csv:
            yield from ((line.line_number, line.content_hash) for line in self.lines(validate=False))
            return
        yield from ((line_number, content_hash) for line_number, content_hash, _ in self._raw_json_lines())

    def _json_lines(self, validate: bool) -> Iterator[InputLine]:
        for line_number, content_hash, raw in self._raw_json_lines():
            try:
                message = loads(decode_text(raw, where=f"line {line_number}"))
            except JSONInputError as exc:
                yield InputLine(line_number, content_hash, None, (str(exc),))
                continue
            problems = tuple(str(problem) for problem in message_problems(message)) if validate else ()
            if is_status_body(message):
                # Its answer names no new message: a journal could never settle it by status.
                problems = ("$: is a status body (a read receipt), not a message; send it with mark_as_read",)
            yield InputLine(line_number, content_hash, message if isinstance(message, dict) else None, problems)

    def _raw_json_lines(self) -> Iterator[tuple[int, str, bytes]]:
        """(line number, content hash, bytes) of every non-blank line: one reading for `lines` and `hashes`."""
        with self.path.open("rb") as stream:
            for line_number, raw in enumerate(stream, start=1):
                if raw.strip():
                    yield line_number, hashlib.sha256(raw.rstrip(b"\r\n")).hexdigest(), raw

    def _csv_lines(self, validate: bool) -> Iterator[InputLine]:
        try:
            yield from self._csv_rows(validate)
        except UnicodeDecodeError as exc:
            raise BulkInputError(
                f"{self.path} is not UTF-8 ({exc.reason} at byte {exc.start}): save it as UTF-8 (CSV UTF-8 in Excel)"
            ) from None
        except csv.Error as exc:  # a field over csv's size limit, a NUL byte
            raise BulkInputError(f"{self.path} cannot be read as CSV: {exc}") from None

    def _csv_rows(self, validate: bool) -> Iterator[InputLine]:
        assert self.template and self.language
        with self.path.open("r", encoding="utf-8-sig", newline="") as stream:
            reader = csv.reader(stream)
            header = next(reader, None)
            if header is None or "to" not in [column.strip() for column in header]:
                raise BulkInputError(f"{self.path}: a CSV input needs a header row with a 'to' column")
            columns = [column.strip() for column in header]
            to_index = columns.index("to")
            for row in reader:
                line_number = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                content_hash = hashlib.sha256(_csv_text(row).encode()).hexdigest()
                if len(row) != len(columns):
                    problem = f"has {len(row)} fields, the header has {len(columns)}"
                    yield InputLine(line_number, content_hash, None, (problem,))
                    continue
                parameters = [templates.text(cell) for index, cell in enumerate(row) if index != to_index]
                components = [templates.body(*parameters)] if parameters else None
                message = messages.template(row[to_index], self.template, self.language, components=components)
                problems = tuple(str(problem) for problem in message_problems(message)) if validate else ()
                yield InputLine(line_number, content_hash, message, problems)


def _csv_text(row: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(row)
    return buffer.getvalue()

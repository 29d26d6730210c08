"""The summary of `make mutate`: killed, survived and left-out mutants per module, as a Markdown table.

Reads what `mutmut run` left in `mutants/`. A surviving mutant is left out of the score only when it cannot
change behaviour, and the table says how many were and why:
- a SQL statement whose keywords changed case (SQLite ignores their case; quoted values are compared);
- a mutant named in `tests/mutation_equivalents.toml`, each with the reason it is equivalent.
Every other survivor is listed under the table, with its diff's changed lines, to be killed by a test.

Usage (from the repository's root): python scripts/mutation_report.py [--fail-under 90]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from collections import Counter
from pathlib import Path

from mutmut.mutation.diff_apply import get_diff_for_mutant
from mutmut.stats import status_by_exit_code

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENTS = ROOT / "tests" / "mutation_equivalents.toml"
# Upper-case SQL keywords mark a string as SQL (or a piece of one), where keyword and column case is ignored.
SQL_KEYWORDS = re.compile(
    r"\b(SELECT|UPDATE|INSERT|DELETE|CREATE|ALTER|DROP|PRAGMA|VALUES|WHERE|AND|ORDER BY|SET|BEGIN|COMMIT|ROLLBACK)\b"
)


def changed_lines(diff: str) -> tuple[list[str], list[str]]:
    removed = [line[1:] for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    return removed, added


def sql_keyword_case_only(diff: str) -> bool:
    """True when the mutant only changed the case of a SQL statement's words, not of a value it quotes."""
    removed, added = changed_lines(diff)
    if not removed or len(removed) != len(added):
        return False
    for before, after in zip(removed, added, strict=True):
        if before == after or before.lower() != after.lower():
            return False
        strings = re.findall(r"\"([^\"]*)\"", before)
        if not any(SQL_KEYWORDS.search(text) for text in strings):
            return False
        if re.findall(r"'[^']*'", before) != re.findall(r"'[^']*'", after):
            return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fail-under", type=float, default=None, help="exit 1 if a module scores below this %%")
    arguments = parser.parse_args()
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    equivalents: dict[str, str] = tomllib.loads(EQUIVALENTS.read_text()) if EQUIVALENTS.exists() else {}
    rows, survivors, below = [], [], []
    for path in config["only_mutate"]:
        meta = ROOT / "mutants" / f"{path}.meta"
        if not meta.exists():
            rows.append(f"| `{path}` | not run | | | | |")
            continue
        statuses = {
            name: status_by_exit_code[code] for name, code in json.loads(meta.read_text())["exit_code_by_key"].items()
        }
        counts = Counter(statuses.values())
        left_out: Counter[str] = Counter()
        for name, status in sorted(statuses.items()):
            if status not in ("survived", "no tests"):
                continue
            reason = equivalents.get(name)
            diff = get_diff_for_mutant(name, path=path)
            if reason is None and sql_keyword_case_only(diff):
                reason = "SQL keyword case"
            if reason is not None:
                left_out[reason] += 1
                continue
            survivors.append((name, status, diff))
        killed = counts["killed"] + counts["timeout"] + counts["caught by type check"]
        # A mutant no test reaches is a bug no test would catch: it counts against the score.
        not_killed = sum(counts[status] for status in ("survived", "no tests", "suspicious", "segfault"))
        not_killed -= sum(left_out.values())
        counted = killed + not_killed
        score = 100.0 * killed / counted if counted else 100.0
        if arguments.fail_under is not None and score < arguments.fail_under:
            below.append(path)
        reasons = "; ".join(f"{count} {reason}" for reason, count in left_out.items()) or "none"
        pending = f" ({counts['not checked']} not run yet)" if counts["not checked"] else ""
        rows.append(
            f"| `{path}` | {sum(counts.values())} | {killed} | {not_killed} | {reasons} | {score:.0f}%{pending} |"
        )
    print("| module | mutants | killed | not killed | left out (cannot change behaviour) | score |")
    print("|---|---:|---:|---:|---|---:|")
    print("\n".join(rows))
    for name, status, diff in survivors:
        removed, added = changed_lines(diff)
        print(f"\n{status}: {name}")
        for line in removed:
            print(f"  - {line.strip()}")
        for line in added:
            print(f"  + {line.strip()}")
    if below:
        print(f"\nbelow {arguments.fail_under:.0f}%: {', '.join(below)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Whole numbers a user types, read with `d360.numbers.read_int`: "²" and "٣" pass `str.isdigit()`, and
`int("²")` raises, so each is refused in one line (exit 2) rather than with a traceback or read as 3."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from d360.responses import ErrorDetails, is_throttling

TO = "4915112345678"
SUPERSCRIPT_TWO, ARABIC_THREE = "\u00b2", "\u0663"


def d360(*arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("D360_")}
    environment.update(D360_API_KEY="key", D360_BASE_URL="http://127.0.0.1:9")  # never reached
    return subprocess.run([sys.executable, "-m", "d360", *arguments], capture_output=True, text=True,
                          env=environment, timeout=60, check=False)  # fmt: skip


@pytest.mark.parametrize("index", [SUPERSCRIPT_TWO, ARABIC_THREE, "-1", "+0", " 0"])
def test_a_button_index_of_other_digits_exits_2_in_one_line(index: str) -> None:
    result = d360("send", "template", "--to", TO, "--name", "order_update", "--language", "en",
                  f"--button-url-param={index}=orders/8812")  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("d360: error: --button-url-param takes INDEX=TEXT")
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("flag", ["--keep", "--seed", "--delivery-failure-code", "--port"])
@pytest.mark.parametrize("value", [SUPERSCRIPT_TWO, ARABIC_THREE])
def test_the_sandboxs_whole_number_flags_refuse_other_digits(flag: str, value: str) -> None:
    result = d360("sandbox", flag, value)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith(f"d360: error: argument {flag}:")


@pytest.mark.parametrize(("code", "throttled"), [("130429", True), (130429, True), (SUPERSCRIPT_TWO, False),
                                                  ("-130429", False), ("\uff11\uff13\uff10\uff14\uff12\uff19", False)])  # fmt: skip
def test_a_throttling_code_is_read_as_ascii_digits_only(code: int | str, throttled: bool) -> None:
    assert is_throttling(ErrorDetails(message="error", code=code)) is throttled

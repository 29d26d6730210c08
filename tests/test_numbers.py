"""`d360.numbers.read_int`: the one reader for whole numbers from outside."""

from __future__ import annotations

import pytest

from d360.numbers import MAX_DIGITS, read_int


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", 0),
        ("131026", 131026),
        ("007", 7),
        (42, 42),
        (0, 0),
        ("9" * MAX_DIGITS, int("9" * MAX_DIGITS)),
    ],
)
def test_ascii_digits_and_ints_are_read(value: object, expected: int) -> None:
    assert read_int(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "²",  # isdigit() is true, int() refuses it
        "٣",  # Arabic-Indic three: int() would read it as 3
        "\uff11\uff12",  # fullwidth digits
        "--5",
        "-5",  # unsigned by default
        "+5",
        " 5",
        "5 ",
        "5_000",
        "",
        "-",
        "1e3",
        "12.0",
        "9" * (MAX_DIGITS + 1),
        "9" * 5000,  # past Python's own int() digit limit: None, not ValueError
        True,
        False,
        None,
        1.0,
        [],
        {"code": 1},
        -3,
        10**MAX_DIGITS,
    ],
)
def test_anything_else_is_none(value: object) -> None:
    assert read_int(value) is None


def test_signed_takes_one_leading_minus() -> None:
    assert read_int("-5", signed=True) == -5
    assert read_int(-5, signed=True) == -5
    assert read_int("--5", signed=True) is None
    assert read_int("5-", signed=True) is None
    assert read_int("-", signed=True) is None
    assert read_int("-²", signed=True) is None


def test_the_cap_is_the_callers_to_set() -> None:
    assert read_int("12345", max_digits=4) is None
    assert read_int("1234", max_digits=4) == 1234
    assert read_int(12345, max_digits=4) is None


def test_a_huge_int_is_none_not_an_error() -> None:
    assert read_int(10**5000) is None  # str() of it would raise ValueError

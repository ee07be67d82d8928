"""Next-run computation for plain five-field cron expressions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from c66tui.cron import is_plain, next_run, parse

T0 = datetime(2024, 5, 2, 9, 15, 30, tzinfo=UTC)  # a Thursday


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("* * * * *", at(2024, 5, 2, 9, 16)),
        ("0 3 * * *", at(2024, 5, 3, 3, 0)),
        ("30 9 * * *", at(2024, 5, 2, 9, 30)),
        ("15 9 * * *", at(2024, 5, 3, 9, 15)),  # strictly after: 09:15 itself is past
        ("01 00 1 * *", at(2024, 6, 1, 0, 1)),
        ("*/20 * * * *", at(2024, 5, 2, 9, 20)),
        ("5-7 10 * * *", at(2024, 5, 2, 10, 5)),
        ("10-50/20 * * * *", at(2024, 5, 2, 9, 30)),
        ("7/30 * * * *", at(2024, 5, 2, 9, 37)),
        ("0 8,12,18 * * *", at(2024, 5, 2, 12, 0)),
        ("0,45 9 * * *", at(2024, 5, 2, 9, 45)),
        ("0 0 * * 0", at(2024, 5, 5, 0, 0)),  # Sunday
        ("0 0 * * 7", at(2024, 5, 5, 0, 0)),  # 7 is Sunday too
        ("0 0 * * sat", at(2024, 5, 4, 0, 0)),
        ("0 9 * * mon-fri", at(2024, 5, 3, 9, 0)),
        ("0 0 1 jan *", at(2025, 1, 1, 0, 0)),
        ("0 0 29 2 *", at(2028, 2, 29, 0, 0)),
        ("@daily", at(2024, 5, 3, 0, 0)),
        ("@hourly", at(2024, 5, 2, 10, 0)),
        ("@weekly", at(2024, 5, 5, 0, 0)),
        ("@monthly", at(2024, 6, 1, 0, 0)),
        ("@yearly", at(2025, 1, 1, 0, 0)),
        ("  0   3 * *  *  ", at(2024, 5, 3, 3, 0)),
    ],
)
def test_next_run(expression: str, expected: datetime) -> None:
    assert next_run(expression, T0) == expected


def test_day_of_month_or_day_of_week_when_both_restricted() -> None:
    # "on the 13th, or on any Friday": Friday 3 May comes before the 13th.
    assert next_run("0 0 13 * fri", T0) == at(2024, 5, 3, 0, 0)
    # From Saturday 4 May, Friday 10 May comes before Monday the 13th...
    assert next_run("0 0 13 * fri", at(2024, 5, 4, 0, 0)) == at(2024, 5, 10, 0, 0)
    # ...and from Saturday 11 May the 13th comes before Friday the 17th.
    assert next_run("0 0 13 * fri", at(2024, 5, 11, 0, 0)) == at(2024, 5, 13, 0, 0)


def test_star_in_a_day_field_means_and() -> None:
    # Day of month unrestricted: only Mondays count.
    assert next_run("0 0 * * 1", T0) == at(2024, 5, 6, 0, 0)
    # "*/2" starts with a star, so Vixie cron ANDs it with the weekday.
    assert next_run("0 0 */2 * 1", T0) == at(2024, 5, 13, 0, 0)


def test_month_rollover_and_year_end() -> None:
    assert next_run("0 0 1 * *", at(2024, 12, 31, 23, 59)) == at(2025, 1, 1, 0, 0)
    assert next_run("59 23 31 12 *", at(2024, 12, 31, 23, 59)) == at(2025, 12, 31, 23, 59)


def test_months_without_the_day_are_skipped() -> None:
    assert next_run("0 0 31 * *", at(2024, 4, 1)) == at(2024, 5, 31, 0, 0)


def test_naive_after_is_taken_in_the_zone_and_result_is_aware() -> None:
    result = next_run("0 3 * * *", datetime(2024, 5, 2, 9, 15))
    assert result == at(2024, 5, 3, 3, 0)
    assert result.tzinfo is UTC


def test_other_zone() -> None:
    plus2 = timezone(timedelta(hours=2))
    # 09:15 UTC is 11:15 at +02:00; "0 12 * * *" there is 10:00 UTC.
    result = next_run("0 12 * * *", T0, tz=plus2)
    assert result == datetime(2024, 5, 2, 12, 0, tzinfo=plus2)
    assert result.astimezone(UTC) == at(2024, 5, 2, 10, 0)


@pytest.mark.parametrize(
    "expression",
    [
        "",
        "   ",
        "* * * *",
        "* * * * * *",
        "60 * * * *",
        "* 24 * * *",
        "* * 0 * *",
        "* * 32 * *",
        "* * * 13 *",
        "* * * 0 *",
        "* * * * 8",
        "*/0 * * * *",
        "5-1 * * * *",
        "1-2-3 * * * *",
        "a * * * *",
        "1,,2 * * * *",
        "-1 * * * *",
        "* * L * *",
        "* * 15W * *",
        "* * * * 5#2",
        "* * ? * *",
        "@reboot",
        "0 0 30 2 *",  # never fires
        "0 0 31 4,6,9,11 *",  # never fires
    ],
)
def test_invalid_or_never_firing_expressions_give_none(expression: str) -> None:
    assert next_run(expression, T0) is None


def test_non_string_is_not_plain() -> None:
    assert parse(None) is None  # type: ignore[arg-type]
    assert not is_plain(None)  # type: ignore[arg-type]
    assert is_plain("0 3 * * *")
    assert not is_plain("0 0 30 2 * extra")


def test_parse_folds_sunday() -> None:
    spec = parse("0 0 * * 5-7")
    assert spec is not None
    assert spec.weekdays == frozenset({5, 6, 0})


@settings(max_examples=150, deadline=None)
@given(
    minute=st.integers(0, 59),
    hour=st.integers(0, 23),
    offset=st.integers(0, 60 * 24 * 800),
)
def test_daily_expression_is_within_a_day_and_exact(minute: int, hour: int, offset: int) -> None:
    after = at(2023, 1, 1) + timedelta(minutes=offset, seconds=17)
    result = next_run(f"{minute} {hour} * * *", after)
    assert result is not None
    assert after < result <= after + timedelta(days=1)
    assert (result.hour, result.minute, result.second) == (hour, minute, 0)


@settings(max_examples=100, deadline=None)
@given(step=st.integers(1, 59), offset=st.integers(0, 60 * 24 * 40))
def test_minute_step_matches_brute_force(step: int, offset: int) -> None:
    after = at(2024, 2, 1) + timedelta(minutes=offset)
    result = next_run(f"*/{step} * * * *", after)
    candidate = after + timedelta(minutes=1)
    while candidate.minute % step:
        candidate += timedelta(minutes=1)
    assert result == candidate

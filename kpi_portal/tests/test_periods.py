"""Months, quarters and years of ``kpi_portal.periods``: reading, bounds and arithmetic."""

import datetime

import pytest

from kpi_portal import periods
from kpi_portal.periods import Period

d = datetime.date


def test_a_month_is_read_from_yyyy_mm():
    assert periods.parse_month("2026-11") == d(2026, 11, 1)
    assert periods.parse_month(" 2026-01 ") == d(2026, 1, 1)


@pytest.mark.parametrize(
    "value", ["2026-13", "2026-00", "2026-1", "26-11", "2026/11", "0999-01", "", "2026-Q3"]
)
def test_anything_else_is_not_a_month(value):
    with pytest.raises(ValueError, match="not a month"):
        periods.parse_month(value)


def test_a_quarter_is_read_from_yyyy_qn_as_its_first_day():
    assert periods.parse_quarter("2026-Q3") == d(2026, 7, 1)
    assert periods.parse_quarter("2026-q1") == d(2026, 1, 1)
    assert periods.parse_quarter("2026-Q4") == d(2026, 10, 1)


@pytest.mark.parametrize("value", ["2026-Q5", "2026-Q0", "2026Q3", "2026-11", ""])
def test_anything_else_is_not_a_quarter(value):
    with pytest.raises(ValueError, match="not a quarter"):
        periods.parse_quarter(value)


def test_any_period_is_read_from_its_value():
    assert periods.parse("2026-11") == Period("month", d(2026, 11, 1), d(2026, 11, 30))
    assert periods.parse("2026-Q3") == Period("quarter", d(2026, 7, 1), d(2026, 9, 30))
    assert periods.parse("2026") == Period("year", d(2026, 1, 1), d(2026, 12, 31))
    with pytest.raises(ValueError, match="2026-W10"):
        periods.parse("2026-W10")


@pytest.mark.parametrize("value", ["2026-02", "2026-Q1", "2026-Q4", "2028"])
def test_a_period_writes_back_the_value_it_was_read_from(value):
    assert periods.parse(value).value == value


def test_month_bounds_know_february_and_december():
    assert periods.month_bounds(2026, 2) == (d(2026, 2, 1), d(2026, 2, 28))
    assert periods.month_bounds(2028, 2) == (d(2028, 2, 1), d(2028, 2, 29))
    assert periods.month_bounds(2026, 12) == (d(2026, 12, 1), d(2026, 12, 31))
    assert periods.month_start(d(2026, 4, 17)) == d(2026, 4, 1)
    assert periods.month_end(d(2026, 4, 17)) == d(2026, 4, 30)


def test_adding_months_gives_first_days_across_years():
    assert periods.add_months(d(2026, 1, 31), 1) == d(2026, 2, 1)
    assert periods.add_months(d(2026, 1, 15), -1) == d(2025, 12, 1)
    assert periods.add_months(d(2026, 11, 5), 14) == d(2028, 1, 1)
    assert periods.add_months(d(2026, 3, 9), 0) == d(2026, 3, 1)
    assert periods.previous_month(d(2026, 1, 10)) == d(2025, 12, 1)
    assert periods.next_month(d(2026, 12, 31)) == d(2027, 1, 1)


def test_months_between_include_both_ends():
    assert periods.months_between(d(2025, 11, 20), d(2026, 2, 3)) == [
        d(2025, 11, 1),
        d(2025, 12, 1),
        d(2026, 1, 1),
        d(2026, 2, 1),
    ]
    assert periods.months_between(d(2026, 5, 9), d(2026, 5, 30)) == [d(2026, 5, 1)]


@pytest.mark.parametrize(
    ("day", "quarter", "first"),
    [
        (d(2026, 1, 1), 1, d(2026, 1, 1)),
        (d(2026, 3, 31), 1, d(2026, 1, 1)),
        (d(2026, 8, 15), 3, d(2026, 7, 1)),
        (d(2026, 12, 31), 4, d(2026, 10, 1)),
    ],
)
def test_the_quarter_of_a_date(day, quarter, first):
    assert periods.quarter_of(day) == quarter
    assert periods.quarter_start(day) == first


def test_a_quarter_has_three_months_and_is_written_yyyy_qn():
    assert periods.quarter_months(d(2026, 8, 15)) == [d(2026, 7, 1), d(2026, 8, 1), d(2026, 9, 1)]
    assert periods.quarter_value(d(2026, 8, 15)) == "2026-Q3"
    assert periods.month_value(d(2026, 8, 15)) == "2026-08"


def test_a_year_runs_from_1_january_to_31_december():
    assert periods.year_bounds(2026) == (d(2026, 1, 1), d(2026, 12, 31))


def test_a_period_knows_its_months_and_days():
    quarter = Period.quarter(d(2026, 5, 20))
    assert quarter.months == [d(2026, 4, 1), d(2026, 5, 1), d(2026, 6, 1)]
    assert d(2026, 6, 30) in quarter
    assert d(2026, 7, 1) not in quarter
    assert len(Period.year(d(2026, 5, 20)).months) == 12


def test_a_period_steps_to_the_previous_and_next_of_its_kind():
    assert Period.quarter(d(2026, 2, 1)).previous() == Period.quarter(d(2025, 11, 1))
    assert Period.quarter(d(2026, 11, 1)).next().value == "2027-Q1"
    assert Period.month(d(2026, 12, 31)).next() == Period.month(d(2027, 1, 1))
    assert Period.month(d(2026, 3, 31)).previous().end == d(2026, 2, 28)
    assert Period.year(d(2026, 6, 1)).previous().value == "2025"

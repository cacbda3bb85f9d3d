"""The demo covers the five months ending today; every other demo date follows that window."""

import datetime

from catalog.tests.factories import StageFactory
from demo.window import Window, demo_window
from org.tests.factories import UnitFactory, UserFactory
from worklog.tests.factories import DiaryEntryFactory


def test_the_window_is_the_current_month_and_the_four_before():
    window = Window.ending(datetime.date(2026, 11, 22))

    assert window.start == datetime.date(2026, 7, 1)
    assert window.months == [datetime.date(2026, m, 1) for m in (7, 8, 9, 10, 11)]


def test_the_window_keeps_its_length_across_a_new_year():
    window = Window.ending(datetime.date(2027, 2, 10))

    assert window.start == datetime.date(2026, 10, 1)
    assert len(window.months) == 5
    assert window.catalog_from == datetime.date(2026, 1, 1)


def test_on_22_november_2026_the_demo_dates_are_those_first_written_for_it():
    window = Window.ending(datetime.date(2026, 11, 22))

    assert window.joined == datetime.date(2025, 7, 1)
    assert window.transfer == datetime.date(2026, 6, 15)
    assert window.delegation == (datetime.date(2026, 8, 3), datetime.date(2026, 8, 14))
    assert window.discipline == datetime.date(2026, 8, 14)
    assert window.catalog_from == datetime.date(2026, 1, 1)
    assert window.final_months == [datetime.date(2026, m, 1) for m in (7, 8, 9, 10)]


def test_a_month_is_final_only_a_week_after_it_ended():
    assert Window.ending(datetime.date(2026, 12, 7)).final_months[-1] == datetime.date(2026, 10, 1)
    assert Window.ending(datetime.date(2026, 12, 8)).final_months[-1] == datetime.date(2026, 11, 1)


def test_the_delegation_starts_on_a_monday_and_ends_on_the_friday_after():
    for today in (datetime.date(2026, 11, 22), datetime.date(2027, 3, 1), datetime.date(2027, 7, 31)):
        start, end = Window.ending(today).delegation

        assert (start.weekday(), end.weekday(), (end - start).days) == (0, 4, 11)
        assert start.month == Window.ending(today).months[1].month


def test_a_later_run_keeps_the_window_the_demo_diaries_were_written_for(db):
    stage = StageFactory()
    unit = UnitFactory(agency=stage.task.agency)
    DiaryEntryFactory(person=UserFactory(), unit=unit, stage=stage, date=datetime.date(2026, 7, 1))

    window = demo_window(datetime.date(2027, 1, 15))

    assert window.start == datetime.date(2026, 7, 1)
    assert window.today == datetime.date(2027, 1, 15)


def test_without_diaries_the_window_is_the_five_months_ending_today(db):
    assert demo_window(datetime.date(2027, 1, 15)) == Window.ending(datetime.date(2027, 1, 15))

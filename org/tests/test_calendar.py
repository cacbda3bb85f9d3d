"""The working calendar: Vietnam's public holidays, swapped days and administrators' overrides."""

import datetime

from kpi_portal import periods
from org import calendar
from org.models import CalendarOverride

D = datetime.date


def days_off(start, end, agency=None):
    working = set(calendar.working_days(agency, start, end))
    return [
        start + datetime.timedelta(days=n)
        for n in range((end - start).days + 1)
        if (start + datetime.timedelta(days=n)).weekday() < 5
        and start + datetime.timedelta(days=n) not in working
    ]


def test_april_and_may_2025_have_30_4_1_5_and_2_5_off_and_26_4_made_up(db):
    assert days_off(D(2025, 4, 28), D(2025, 5, 2)) == [D(2025, 4, 30), D(2025, 5, 1), D(2025, 5, 2)]
    assert D(2025, 4, 26) in calendar.working_days(None, D(2025, 4, 26), D(2025, 4, 26))  # make-up Saturday
    assert len(calendar.working_days(None, D(2025, 4, 1), D(2025, 4, 30))) == 21
    assert len(calendar.working_days(None, D(2025, 5, 1), D(2025, 5, 31))) == 20


def test_tet_2026_is_16_to_20_february(db):
    assert days_off(D(2026, 2, 1), D(2026, 2, 28)) == [D(2026, 2, d) for d in range(16, 21)]
    assert len(calendar.working_days(None, D(2026, 2, 1), D(2026, 2, 28))) == 15


def test_weekends_are_not_working_days(db):
    assert calendar.working_days(None, D(2026, 3, 7), D(2026, 3, 8)) == []
    assert not calendar.is_working_day(None, D(2026, 3, 8))


def test_an_administrator_adds_a_day_off_for_every_agency(org):
    CalendarOverride.objects.create(date=D(2026, 3, 10), is_working_day=False, reason="Nghỉ bù bầu cử")

    assert not calendar.is_working_day(org.agency, D(2026, 3, 10))
    assert not calendar.is_working_day(None, D(2026, 3, 10))


def test_an_agencys_own_override_wins(org):
    CalendarOverride.objects.create(date=D(2026, 3, 14), is_working_day=False, reason="Chung")
    CalendarOverride.objects.create(
        agency=org.agency, date=D(2026, 3, 14), is_working_day=True, reason="Làm bù thứ Bảy"
    )

    assert calendar.is_working_day(org.agency, D(2026, 3, 14))
    assert not calendar.is_working_day(org.other_agency, D(2026, 3, 14))


def test_working_days_back_skips_weekends_and_tet(db):
    assert calendar.working_days_back(None, D(2026, 3, 10), 5) == D(2026, 3, 3)
    assert calendar.working_days_back(None, D(2026, 2, 23), 1) == D(2026, 2, 13)  # over Tết
    assert calendar.previous_working_day(None, D(2026, 3, 9)) == D(2026, 3, 6)


def test_a_month_costs_one_query(org, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert len(calendar.working_days(org.agency, *periods.month_bounds(2026, 2))) == 15


def test_holiday_names_follow_the_interface_language_not_the_servers_locale(monkeypatch):
    from django.utils import translation

    monkeypatch.setenv("LANG", "en_US.UTF-8")  # a server set to English
    with translation.override("vi"):
        assert calendar.public_holiday_name(D(2026, 2, 17)) == "Tết Nguyên Đán"
        assert calendar.public_holiday_name(D(2026, 8, 31)) == "Ngày nghỉ (thay cho ngày 22/08/2026)"
    with translation.override("en"):
        assert calendar.public_holiday_name(D(2026, 2, 17)) == "Lunar New Year"
    assert calendar.public_holiday_name(D(2026, 2, 23)) is None


def test_january_2026_has_the_governments_swap_friday_2_off_and_saturday_10_worked(db):
    from django.utils import translation

    january = calendar.working_days(None, D(2026, 1, 1), D(2026, 1, 31))

    assert D(2026, 1, 2) not in january and D(2026, 1, 10) in january
    assert len(january) == 21  # 22 weekdays, less 1/1 and 2/1, plus Saturday 10/1
    with translation.override("vi"):
        assert "12729/VPCP-KGVX" in calendar.public_holiday_name(D(2026, 1, 2))
    assert calendar.public_holiday_name(D(2026, 1, 10)) is None  # a working day


def test_november_2026_has_culture_day_off_whatever_the_holidays_package_says(db, monkeypatch):
    # A release of the ``holidays`` package without Culture Day: the month must not change with it.
    import holidays
    from django.utils import translation

    older = holidays.Vietnam(years=2026, expand=False)
    older.pop(D(2026, 11, 24))
    monkeypatch.setattr(calendar, "_public_calendar", lambda year, language="vi": older)
    assert older.is_working_day(D(2026, 11, 24))
    november = calendar.working_days(None, D(2026, 11, 1), D(2026, 11, 30))

    assert D(2026, 11, 24) not in november
    assert len(november) == 20  # 21 weekdays less Tuesday 24/11
    with translation.override("vi"):
        assert "80-NQ/TW" in calendar.public_holiday_name(D(2026, 11, 24))

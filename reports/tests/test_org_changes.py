"""A computed month follows the organisation changes that alter it: working days and memberships."""

import datetime
import io

import pytest
from django.core.management import call_command

from org.models import CalendarOverride, Membership, StaleMonth
from reports import tasks
from reports.models import MonthRun, PersonMonth

from .fixtures import APRIL

pytestmark = pytest.mark.django_db

MAY = datetime.date(2025, 5, 1)


def compute(*codes):
    for code in codes:
        call_command("compute_reports", "--month", "2025-04", "--agency", code, stdout=io.StringIO())


def marked():
    return set(StaleMonth.objects.values_list("agency__code", "month"))


def test_an_extra_day_off_marks_the_month_and_the_sweep_divides_by_one_day_less(org, april):
    compute("STC")
    assert MonthRun.objects.get(agency=org.agency, month=APRIL).working_days == 21

    CalendarOverride.objects.create(
        agency=org.agency, date=datetime.date(2025, 4, 29), is_working_day=False, reason="Nghỉ bù"
    )

    assert marked() == {("STC", APRIL)}
    tasks.sweep_stale_months()
    assert MonthRun.objects.get(agency=org.agency, month=APRIL).working_days == 20
    assert PersonMonth.objects.get(person=org.member1).working_days == 20


def test_a_day_for_every_agency_marks_every_agency_s_computed_month_and_moving_it_marks_both(org, april):
    compute("STC", "SXD")
    override = CalendarOverride.objects.create(
        date=datetime.date(2025, 4, 29), is_working_day=False, reason="Bão"
    )
    assert marked() == {("STC", APRIL), ("SXD", APRIL)}
    StaleMonth.objects.all().delete()
    MonthRun.objects.create(agency=org.agency, month=MAY, working_days=20, people=9)

    override.date = datetime.date(2025, 5, 5)
    override.save()

    assert marked() == {("STC", APRIL), ("SXD", APRIL), ("STC", MAY)}


def test_a_deleted_day_off_marks_its_month(org, april):
    override = CalendarOverride.objects.create(
        agency=org.agency, date=datetime.date(2025, 4, 29), is_working_day=False, reason="Nghỉ bù"
    )
    compute("STC")
    StaleMonth.objects.all().delete()

    override.delete()

    assert marked() == {("STC", APRIL)}


def test_a_person_moved_to_another_agency_marks_the_months_of_both(org, april):
    compute("STC", "SXD")
    StaleMonth.objects.all().delete()
    membership = Membership.objects.get(person=org.member2)

    membership.unit = org.member_b.memberships.get().unit
    membership.save()

    assert marked() == {("STC", APRIL), ("SXD", APRIL)}


def test_changes_to_months_never_computed_mark_nothing(org):
    CalendarOverride.objects.create(
        agency=org.agency, date=datetime.date(2025, 4, 29), is_working_day=False, reason="Nghỉ bù"
    )
    Membership.objects.filter(person=org.member2).get().delete()

    assert marked() == set()

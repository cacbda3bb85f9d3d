"""An approval click off the request path (issue 18): the request marks the touched person's month
stale and leaves the recompute to the task after the commit; the task redoes that person and the
totals only, to the same figures as a whole computation. Neither grows with the agency."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kpi_portal import periods
from org.models import StaleMonth, StalePerson
from org.tests.factories import MembershipFactory
from reports.models import PersonMonth, UnitMonth
from reports.services import month_compute, person_months
from worklog.models import DiaryEntry, EntryStatus
from worklog.tests.factories import DiaryEntryFactory

pytestmark = pytest.mark.django_db
QUEUE = reverse("review:queue")


def colleagues(org, diary, n: int, start: int = 0) -> None:
    """``n`` more people in unit 2 with a day of approved work in the entries' month."""
    people = [MembershipFactory(unit=org.unit2, person__username=f"c{i}").person for i in range(start, n)]
    DiaryEntry.objects.bulk_create(
        [
            DiaryEntryFactory.build(person=p, unit=org.unit2, stage=diary.study, status=EntryStatus.APPROVED)
            for p in people
        ]
    )


def approve(client, entry, *, execute: bool, capture) -> int:
    """Post the approval of ``entry``; with ``execute``, the after-commit work runs too (no broker)."""
    with CaptureQueriesContext(connection) as queries, capture(execute=execute):
        response = client.post(
            reverse("review:approve"),
            {"entry": [entry.pk], f"version-{entry.pk}": entry.version, "next": QUEUE},
        )
    assert (response.status_code, response.url) == (302, QUEUE)
    return len(queries)


def fresh(org, month):
    """The month's figures as a whole computation gives them."""
    return {r.person_id: r.approved_minutes for r in person_months(org.agency, month)}


@pytest.mark.parametrize("eager", [False, True], ids=["broker", "no-broker"])
def test_an_approval_costs_the_same_queries_in_a_larger_agency(
    client, org, diary, review, django_capture_on_commit_callbacks, eager, request
):
    if eager:
        request.getfixturevalue("eager_celery")
    month = periods.month_start(review.member2_monday.date)
    colleagues(org, diary, 5)
    month_compute(agency=org.agency, month=month)
    client.force_login(org.head1)
    small = approve(client, review.member2_monday, execute=eager, capture=django_capture_on_commit_callbacks)

    colleagues(org, diary, 50, start=5)
    month_compute(agency=org.agency, month=month)
    large = approve(
        client, review.member1_monday[0], execute=eager, capture=django_capture_on_commit_callbacks
    )

    # No more for ten times the people (a recompute in the request redoes one person and the totals).
    assert large <= small <= (60 if eager else 30)


def test_with_a_broker_the_request_only_marks_the_approved_persons_month(
    client, org, diary, review, django_capture_on_commit_callbacks
):
    entry = review.member2_monday
    month = periods.month_start(entry.date)
    month_compute(agency=org.agency, month=month)
    client.force_login(org.head1)

    approve(client, entry, execute=False, capture=django_capture_on_commit_callbacks)

    mark = StaleMonth.objects.get(agency=org.agency, month=month)
    assert mark.whole is False
    marked = StalePerson.objects.filter(month=month).values_list("person_id", flat=True)
    assert list(marked) == [org.member2.pk]
    # The stored figures wait for the task: the dashboards say "being updated" meanwhile.
    assert PersonMonth.objects.get(month=month, person=org.member2).approved_minutes == 0


def test_after_the_task_the_figures_are_those_of_a_whole_computation(
    client, org, diary, review, django_capture_on_commit_callbacks, eager_celery
):
    entry = review.member2_monday
    month = periods.month_start(entry.date)
    colleagues(org, diary, 5)
    month_compute(agency=org.agency, month=month)
    client.force_login(org.head1)

    approve(client, entry, execute=True, capture=django_capture_on_commit_callbacks)

    stored = {r.person_id: r.approved_minutes for r in PersonMonth.objects.filter(month=month)}
    assert stored == fresh(org, month)
    assert stored[org.member2.pk] == entry.standard_minutes
    whole = UnitMonth.objects.get(agency=org.agency, month=month, unit=None)
    assert whole.approved_minutes == sum(stored.values())
    assert not StaleMonth.objects.filter(agency=org.agency, month=month).exists()

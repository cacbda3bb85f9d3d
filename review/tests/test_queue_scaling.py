"""The review queue does not grow with history or with the agency (issue 18): its query count is the
same with entries waiting since last week and since twelve months, and with 5 or 50 reviewees; the
oldest waiting day is still the one shown."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format

from org import selectors as org_selectors
from org.tests.factories import MembershipFactory, UnitFactory
from review import selectors
from worklog.models import DiaryEntry, EntryStatus
from worklog.tests.factories import DiaryEntryFactory

pytestmark = pytest.mark.django_db
QUEUE = reverse("review:queue")
LAST_WEEK = [datetime.date(2026, 3, 2) + datetime.timedelta(days=d) for d in range(5)]
A_YEAR_AGO = datetime.date(2025, 3, 10)


def wait(people, unit_of, stage, days) -> None:
    """One submitted entry per person and day (a day's norm of 60 minutes: never above 8 hours)."""
    DiaryEntry.objects.bulk_create(
        [
            DiaryEntryFactory.build(
                person=person, unit=unit_of(person), stage=stage, date=day, status=EntryStatus.SUBMITTED
            )
            for person in people
            for day in days
        ]
    )


def queue_queries(client, user, url=QUEUE):
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.context["queue"]


def unit_members(org, n: int, start: int = 0):
    return [MembershipFactory(unit=org.unit1, person__username=f"m{i}").person for i in range(start, n)]


def unit_heads(org, n: int, start: int = 0):
    """``n`` units under the board, each with a head: the agency leader reviews the heads."""
    heads = []
    for i in range(start, n):
        unit = UnitFactory(agency=org.agency, code=f"P{i}")
        heads.append(MembershipFactory(unit=unit, person__username=f"h{i}", is_head=True))
    units = {m.person_id: m.unit for m in heads}
    return [m.person for m in heads], lambda person: units[person.pk]


def test_the_unit_heads_queue_costs_the_same_with_entries_waiting_a_year(client, org, diary, frozen_now):
    members = unit_members(org, 5)
    wait(members, lambda p: org.unit1, diary.study, LAST_WEEK)
    recent, queue = queue_queries(client, org.head1)
    assert queue.entry_count == 25

    wait(members, lambda p: org.unit1, diary.study, [A_YEAR_AGO])
    # Someone else's old work in the agency (the other unit's head reviews it) does not count either.
    wait([org.hr], lambda p: org.unit2, diary.study, [A_YEAR_AGO - datetime.timedelta(days=30)])
    old, queue = queue_queries(client, org.head1)

    assert old == recent
    assert queue.entry_count == 30
    assert queue.oldest == A_YEAR_AGO


def test_a_unit_heads_queue_counts_only_the_work_of_the_units_below_them(client, org, diary, frozen_now):
    # A sub-unit without a head: its members walk up to head1. The other unit's 20 people wait too.
    sub = UnitFactory(agency=org.agency, code="NS-1", parent=org.unit1)
    below = MembershipFactory(unit=sub, person__username="below").person
    others = [MembershipFactory(unit=org.unit2, person__username=f"o{i}").person for i in range(20)]
    wait([org.member1], lambda p: org.unit1, diary.study, LAST_WEEK)
    wait([below], lambda p: sub, diary.study, LAST_WEEK)
    wait(others, lambda p: org.unit2, diary.study, LAST_WEEK)

    candidates = set(
        org_selectors.review_candidates(org.head1, {org.agency.pk}, LAST_WEEK[0], LAST_WEEK[-1]).values_list(
            "person_id", flat=True
        )
    )
    _queries, queue = queue_queries(client, org.head1)

    # The queue counts the unit's and the sub-unit's waiting work only, and still shows both people.
    assert below.pk in candidates and org.member1.pk in candidates
    assert not candidates & {person.pk for person in others}
    assert {day.person for day in queue.days} == {org.member1, below}
    assert queue.entry_count == 10
    # The agency's leader reviews the unit heads only, whatever waits below them.
    _queries, queue = queue_queries(client, org.leader)
    assert queue.entry_count == 0


def test_the_leaders_queue_counts_only_the_work_the_line_brings_to_him(client, org, diary, frozen_now):
    # unit1 has its head all through the week: its members are head1's. A unit whose head left on the
    # week's Wednesday: its members walk up to the leader from then on, so they count.
    members = unit_members(org, 3)
    left = UnitFactory(agency=org.agency, code="LEFT")
    MembershipFactory(unit=left, person__username="gone", is_head=True, end=LAST_WEEK[2])
    orphan = MembershipFactory(unit=left, person__username="orphaned").person
    wait(members, lambda p: org.unit1, diary.study, LAST_WEEK)
    wait([org.head1], lambda p: org.unit1, diary.study, LAST_WEEK)
    wait([orphan], lambda p: left, diary.study, LAST_WEEK)

    candidates = set(
        org_selectors.review_candidates(org.leader, {org.agency.pk}, LAST_WEEK[0], LAST_WEEK[-1]).values_list(
            "person_id", flat=True
        )
    )
    _queries, queue = queue_queries(client, org.leader)

    assert {org.head1.pk, orphan.pk, org.deputy.pk} <= candidates
    assert not candidates & {person.pk for person in members}
    # The rule then keeps what is his: head1's week, and the orphan's days after the head left.
    assert {(day.person, day.date) for day in queue.days} == {(org.head1, day) for day in LAST_WEEK} | {
        (orphan, day) for day in LAST_WEEK[3:]
    }


def test_the_unit_heads_queue_costs_the_same_with_50_reviewees_as_with_5(client, org, diary, frozen_now):
    five = unit_members(org, 5)
    wait(five, lambda p: org.unit1, diary.study, [A_YEAR_AGO, *LAST_WEEK])
    small, _queue = queue_queries(client, org.head1)

    wait(unit_members(org, 50, start=5), lambda p: org.unit1, diary.study, [A_YEAR_AGO, *LAST_WEEK])
    large, queue = queue_queries(client, org.head1)

    assert large == small
    assert (queue.entry_count, queue.people_count) == (300, 50)


def test_the_agency_leaders_queue_costs_the_same_with_entries_waiting_a_year(client, org, diary, frozen_now):
    heads, unit_of = unit_heads(org, 5)
    wait(heads, unit_of, diary.study, LAST_WEEK)
    # Their members' work waits for the heads, not for the leader.
    wait(unit_members(org, 5), lambda p: org.unit1, diary.study, LAST_WEEK)
    recent, queue = queue_queries(client, org.leader)
    assert queue.entry_count == 25

    wait(heads, unit_of, diary.study, [A_YEAR_AGO])
    old, queue = queue_queries(client, org.leader)

    assert old == recent
    assert (queue.entry_count, queue.oldest) == (30, A_YEAR_AGO)


def test_the_agency_leaders_queue_costs_the_same_with_50_reviewees_as_with_5(client, org, diary, frozen_now):
    heads, unit_of = unit_heads(org, 5)
    wait(heads, unit_of, diary.study, [A_YEAR_AGO, *LAST_WEEK])
    small, _queue = queue_queries(client, org.leader)

    more, more_units = unit_heads(org, 50, start=5)
    wait(more, more_units, diary.study, [A_YEAR_AGO, *LAST_WEEK])
    large, queue = queue_queries(client, org.leader)

    assert large == small
    assert (queue.entry_count, queue.people_count) == (300, 50)


def test_the_page_shows_the_oldest_waiting_day_first_and_loads_only_its_own_days(
    client, org, diary, frozen_now
):
    members = unit_members(org, 30)
    wait(members, lambda p: org.unit1, diary.study, LAST_WEEK)
    wait([members[0]], lambda p: org.unit1, diary.study, [A_YEAR_AGO])

    client.force_login(org.head1)
    response = client.get(f"{QUEUE}?person={members[0].pk}")

    days = response.context["page"].object_list
    assert [(d.person, d.date) for d in days][:2] == [(members[0], A_YEAR_AGO), (members[0], LAST_WEEK[0])]
    assert date_format(A_YEAR_AGO, "SHORT_DATE_FORMAT") in response.content.decode()
    # The unfiltered queue: 151 days waiting, one page of 10 shown, the rest not loaded.
    response = client.get(QUEUE)
    assert len(response.context["queue"].days) == 151
    assert len(response.context["page"].object_list) == 10
    assert selectors.review_queue(org.head1).oldest == A_YEAR_AGO


def test_the_home_page_names_the_oldest_waiting_day_a_year_back(client, org, diary, frozen_now):
    members = unit_members(org, 3)
    wait(members, lambda p: org.unit1, diary.study, LAST_WEEK)
    wait([members[2]], lambda p: org.unit1, diary.study, [A_YEAR_AGO])
    client.force_login(org.head1)

    response = client.get(reverse("home"))

    assert date_format(A_YEAR_AGO, "SHORT_DATE_FORMAT") in response.content.decode()


def test_filters_on_a_queue_a_year_long_keep_their_counts(client, org, diary, frozen_now):
    members = unit_members(org, 4)
    wait(members, lambda p: org.unit1, diary.study, [A_YEAR_AGO, *LAST_WEEK])
    wait([members[0]], lambda p: org.unit1, diary.budget_intake, [A_YEAR_AGO])

    queue = selectors.review_queue(org.head1, task_id=diary.budget_intake.task_id)

    assert (queue.entry_count, queue.all_count, queue.hidden_count) == (1, 25, 24)
    assert [(d.person, d.date, len(d.entries)) for d in queue.days] == [(members[0], A_YEAR_AGO, 1)]

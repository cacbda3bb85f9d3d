"""Flags on the pages: the reviewer sees and clears them in the queue, the person justifies them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from evidence import services
from evidence.models import EntryFlag
from worklog.models import EntryStatus
from worklog.tests.factories import DiaryEntryFactory

from .fixtures import MONDAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def flag(org, diary, evidence, frozen_now):
    e = DiaryEntryFactory(
        person=org.member1, unit=org.unit1, stage=diary.budget_intake, date=MONDAY, quantity=Decimal(1),
        status=EntryStatus.SUBMITTED, evidence_ref="99/STC-NS",
    )  # fmt: skip
    services.check_entries([e])
    return EntryFlag.objects.get(entry=e)


def as_user(client, user):
    client.force_login(user)
    return client


def test_the_reviewer_sees_the_flag_with_its_reason_and_the_flagged_filter_keeps_it(client, org, flag):
    client = as_user(client, org.head1)
    text = client.get(reverse("review:queue")).content.decode()
    assert 'data-testid="flag"' in text and "99/STC-NS" in text
    days = client.get(reverse("review:queue"), {"flagged": "on"}).context["page"].object_list
    assert [(d.person, d.date) for d in days] == [(org.member1, MONDAY)]


def test_the_person_sees_the_flag_and_justifies_it_on_the_day_page(client, org, flag):
    client = as_user(client, org.member1)
    day = reverse("worklog:day", args=[MONDAY])
    text = client.get(day).content.decode()
    assert "99/STC-NS" in text and 'data-testid="justification"' in text
    response = client.post(
        reverse("evidence:justify", args=[flag.pk]), {"justification": "Số văn bản ghi nhầm", "next": day}
    )
    assert response.url == day
    flag.refresh_from_db()
    assert flag.justification == "Số văn bản ghi nhầm"
    assert "Số văn bản ghi nhầm" in as_user(client, org.head1).get(reverse("review:queue")).content.decode()


def test_clearing_needs_a_reason_and_works_with_htmx(client, org, flag):
    client = as_user(client, org.head1)
    url = reverse("evidence:clear", args=[flag.pk])
    response = client.post(url, {f"reason-{flag.pk}": ""}, follow=True)
    assert list(response.context["messages"])
    flag.refresh_from_db()
    assert flag.is_open

    response = client.post(
        url, {f"reason-{flag.pk}": "Đã xem văn bản giấy", "next": "/review/"}, HTTP_HX_REQUEST="true"
    )
    assert response.headers["HX-Redirect"] == "/review/"
    flag.refresh_from_db()
    assert flag.cleared_reason == "Đã xem văn bản giấy"


@pytest.mark.parametrize(
    ("who", "status"), [("head2", 404), ("member2", 404), ("member_b", 404), ("hr", 403)]
)
def test_nobody_else_justifies_or_clears(client, org, flag, who, status):
    # HR reads member1's diary, so is refused; those who do not read it never learn the flag exists.
    client = as_user(client, getattr(org, who))
    assert client.post(reverse("evidence:clear", args=[flag.pk]), {"reason": "x"}).status_code == status
    assert (
        client.post(reverse("evidence:justify", args=[flag.pk]), {"justification": "x"}).status_code == status
    )
    flag.refresh_from_db()
    assert flag.is_open and not flag.justification


def test_the_reviewer_cannot_justify_and_the_owner_cannot_clear(client, org, flag):
    assert (
        as_user(client, org.head1)
        .post(reverse("evidence:justify", args=[flag.pk]), {"justification": "x"})
        .status_code
        == 403
    )
    assert (
        as_user(client, org.member1)
        .post(reverse("evidence:clear", args=[flag.pk]), {"reason": "x"})
        .status_code
        == 403
    )

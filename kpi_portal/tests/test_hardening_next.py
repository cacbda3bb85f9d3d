"""Every ``next`` a view follows stays on this site (kpi_portal.text.safe_next, or Django's own check)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from evaluation import services as evaluation_services
from evidence import services as evidence_services
from evidence.models import EntryFlag
from worklog.models import EntryStatus
from worklog.tests.factories import DiaryEntryFactory

EVIL = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "javascript:alert(1)",
    " javascript:alert(1)",
    "http:///evil.example/",
    "data:text/html,<script>alert(1)</script>",
]
MONDAY = datetime.date(2026, 3, 9)


@pytest.fixture
def flag(org, diary, evidence, frozen_now):
    entry = DiaryEntryFactory(
        person=org.member1, unit=org.unit1, stage=diary.budget_intake, date=MONDAY, quantity=Decimal(1),
        status=EntryStatus.SUBMITTED, evidence_ref="99/STC-NS",
    )  # fmt: skip
    evidence_services.check_entries([entry])
    return EntryFlag.objects.get(entry=entry)


def followed(response) -> str:
    assert response.status_code == 302, response.status_code
    return response.url


@pytest.mark.parametrize("target", EVIL)
def test_the_review_queue_actions_go_back_to_the_queue(client, org, review, target):
    client.force_login(org.head1)
    queue = reverse("review:queue")
    approved = review.member1_tuesday
    approved.status = EntryStatus.APPROVED
    approved.save(update_fields=["status"])

    assert followed(client.post(reverse("review:approve"), {"next": target})) == queue
    assert followed(client.get(reverse("review:entry_return", args=[approved.pk]), {"next": target})) == queue
    note = reverse("review:approve_with_note", args=[review.member1_monday[0].pk])
    assert followed(client.post(note, {"version": "x", "next": target})) == queue


@pytest.mark.parametrize("target", EVIL)
def test_the_flag_actions_go_back_to_the_default_page(client, org, flag, target):
    client.force_login(org.member1)
    day = reverse("worklog:day", args=[MONDAY.isoformat()])
    assert followed(client.post(reverse("evidence:justify", args=[flag.pk]), {"next": target})) == day

    client.force_login(org.head1)
    assert followed(client.post(reverse("evidence:clear", args=[flag.pk]), {"next": target})) == reverse(
        "review:queue"
    )


@pytest.mark.parametrize("target", EVIL)
def test_finalising_goes_back_to_the_evaluation(client, org, diary, frozen_now, target):
    evaluation = evaluation_services.evaluation_open(person=org.member1, month=datetime.date(2026, 3, 1))
    client.force_login(org.leader)
    url = reverse("evaluation:finalise", args=[evaluation.pk])

    response = client.post(url, {"version": evaluation.version, "next": target})

    assert followed(response) == reverse("evaluation:detail", args=[evaluation.pk])


@pytest.mark.parametrize("target", EVIL)
def test_django_s_own_redirects_stay_on_the_site(client, org, target):
    from org.tests.factories import PASSWORD

    response = client.post(
        reverse("login") + "?next=" + target, {"username": org.member1.username, "password": PASSWORD}
    )
    assert followed(response) == reverse("home")
    assert followed(client.post(reverse("set_language"), {"language": "vi", "next": target})) == "/"
    assert followed(client.post(reverse("logout"), {"next": target})) == reverse("login")


def test_a_next_on_this_site_is_followed(client, org, review):
    client.force_login(org.head1)
    target = reverse("review:queue") + "?flagged=on"

    assert followed(client.post(reverse("review:approve"), {"next": target})) == target

"""The diary's section of the person page (org's page, worklog's section)."""

import pytest
import time_machine
from django.urls import reverse

from org.tests.factories import NOW
from worklog.models import EntryStatus
from worklog.tests.factories import DiaryEntryFactory


def url(person):
    return reverse("org:person", args=[person.pk])


def diary_section(response):
    found = [s for s in response.context["sections"] if s.template == "worklog/_person_section.html"]
    return found[0].context if found else None


@pytest.mark.dates
def test_the_reviewer_is_offered_to_reopen_a_day(client, org):
    client.force_login(org.head1)

    response = client.get(url(org.member1))

    assert diary_section(response)["can_reopen_day"]
    assert reverse("worklog:day_reopen", args=[org.member1.pk]) in response.text


def test_hr_sees_recent_approved_entries_to_reopen(client, org, diary):
    entry = DiaryEntryFactory(
        person=org.member1, unit=org.unit1, stage=diary.study, status=EntryStatus.APPROVED
    )
    client.force_login(org.hr)

    with time_machine.travel(NOW, tick=False):
        response = client.get(url(org.member1))

    assert list(diary_section(response)["approved_entries"]) == [entry]
    assert reverse("worklog:entry_reopen", args=[entry.pk]) in response.text


@pytest.mark.dates
def test_a_colleague_is_not_offered_anything(client, org):
    client.force_login(org.leader)

    response = client.get(url(org.member1))

    assert diary_section(response) is None
    assert reverse("worklog:day_reopen", args=[org.member1.pk]) not in response.text

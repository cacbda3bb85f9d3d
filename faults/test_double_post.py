"""The same diary form posted twice at the same moment (a double click, a retry) adds one entry.

The two posts are lined up at a lock the test holds on the diary table, so both are inside the
request at the same instant: what keeps the second from adding an entry is the diary's row lock and
the form's ``client_token`` (``worklog.services.entry_create``), not the timing.
"""

from __future__ import annotations

import threading

import pytest
from django.utils import timezone

from faults.conftest import Gate, form_value, wait_for
from org.tests.factories import PASSWORD
from worklog.models import DiaryEntry

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def test_the_same_diary_form_posted_twice_at_once_adds_one_entry_and_neither_post_fails(
    org, diary, stack, figures
):
    figures.scenario = "5. Double POST of the diary form"
    stack.start_web()
    browser = stack.browser()
    browser.login(org.member1.username, PASSWORD)
    day = timezone.localdate().isoformat()
    page = browser.get(f"/diary/day/{day}/")
    assert page.status == 200, page.body[:2000]
    token = form_value(page.body, "client_token")
    form = {
        "stage": diary.study.pk,
        "quantity": "1",
        "estimate_minutes": "",
        "description": "Tham dự lớp bồi dưỡng",
        "evidence_ref": "",
        "version": "",
        "client_token": token,
    }
    answers = [None, None]

    def post(index: int) -> None:
        answers[index] = browser.post(f"/diary/day/{day}/", form)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    with Gate("LOCK TABLE worklog_diaryentry IN ACCESS EXCLUSIVE MODE") as gate:
        for thread in threads:
            thread.start()
        wait_for(lambda: gate.waiting() >= 2, 30, "both posts to wait at the gate")
    for thread in threads:
        thread.join(60)

    statuses = [answer.status for answer in answers]
    entries = DiaryEntry.objects.filter(person=org.member1, date=day)
    figures.expected = "2 posts of one form → 1 entry, no error page"
    figures.observed = (
        f"statuses {sorted(statuses)}, {entries.count()} entr{'y' if entries.count() == 1 else 'ies'}"
    )
    figures.lost = max(0, 1 - entries.count())
    figures.duplicated = max(0, entries.count() - 1)
    assert all(answer.ok for answer in answers), [(a.status, a.body[:1000]) for a in answers]
    assert entries.count() == 1
    assert str(entries.get().client_token) == token
    # The person sees one entry on the day page.
    assert browser.get(f"/diary/day/{day}/").body.count("Tham dự lớp bồi dưỡng") >= 1
    figures.write()

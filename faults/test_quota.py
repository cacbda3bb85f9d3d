"""Two leaders finalise an "excellent" at the same moment with one slot of the quota left.

The two requests are lined up at a lock the test holds on the disciplinary measures, the last
thing the score reads before the quota is checked: let go together, both check the quota at the
same instant. What lets only one through is the quota lock (``evaluation.services.records.lock_quota``,
taken before the score: the second request waits there for the first to commit), not the timing.
"""

from __future__ import annotations

import threading

import pytest

from evaluation.models import DisciplinaryMeasure, EvaluationStatus, MonthlyEvaluation, Rating
from evaluation.tests.scenes import MARCH, one_excellent_slot_left
from faults.conftest import Gate, wait_for
from org.tests.factories import PASSWORD

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

QUOTA_MESSAGE = "at most 20% of those rated good (1) may be excellent"


@pytest.fixture
def one_slot_left(org, diary, eager_celery) -> list[MonthlyEvaluation]:
    """Five finals rated good (room for one excellent) and member1 and member2 scored excellent.

    The scene of evaluation/tests/test_concurrency.py, built in this process (tasks run in it).
    """
    return one_excellent_slot_left(org, diary)


def test_two_leaders_finalising_excellent_at_once_with_one_slot_left_let_exactly_one_through(
    org, one_slot_left, stack, figures
):
    figures.scenario = "3. Two finalisations at once, one quota slot left"
    stack.start_web()
    leaders = []
    for leader in (org.leader, org.deputy):
        browser = stack.browser()
        browser.login(leader.username, PASSWORD)
        browser.english()
        leaders.append(browser)
    answers: list = [None, None]

    def finalise(index: int) -> None:
        evaluation = one_slot_left[index]
        answers[index] = leaders[index].post(
            f"/review/evaluations/{evaluation.pk}/finalise/", {"version": evaluation.version}
        )

    threads = [threading.Thread(target=finalise, args=(i,)) for i in range(2)]
    with Gate(f"LOCK TABLE {DisciplinaryMeasure._meta.db_table} IN ACCESS EXCLUSIVE MODE") as gate:
        for thread in threads:
            thread.start()
        wait_for(lambda: gate.waiting() >= 2, 30, "both finalisations to wait at the gate")
    for thread in threads:
        thread.join(60)

    assert all(answer is not None and answer.status == 302 for answer in answers), answers
    pages = [browser.get(answer.location).body for browser, answer in zip(leaders, answers, strict=True)]
    told = [QUOTA_MESSAGE in page for page in pages]
    succeeded = ["The evaluation is final" in page for page in pages]
    excellent = MonthlyEvaluation.objects.filter(
        agency=org.agency, month=MARCH, status=EvaluationStatus.FINAL, rating=Rating.EXCELLENT
    ).count()
    figures.expected = "1 final excellent (quota 20% of 5 good), the other leader told why"
    figures.observed = f"{excellent} final excellent; {sum(succeeded)} success, {sum(told)} quota message"
    figures.duplicated = max(0, excellent - 1)
    figures.lost = max(0, 1 - excellent)
    assert excellent == 1, figures.observed
    assert sorted(succeeded) == [False, True], figures.observed
    # The leader who lost is told why, on the page they land on.
    assert told == [not s for s in succeeded], figures.observed
    statuses = MonthlyEvaluation.objects.filter(pk__in=[e.pk for e in one_slot_left]).values_list(
        "status", flat=True
    )
    assert sorted(statuses) == [EvaluationStatus.FINAL, EvaluationStatus.SCORED]
    figures.write()

"""Two people (or one person in two tabs) acting on the same entry or evaluation at the same moment.

Each tab runs in its own thread on its own database connection. The first tab
is paused inside the service right after it has locked its rows, with its
transaction open; the second tab is started with the same version the first
one saw and must be seen *waiting for that lock* in PostgreSQL before the
first tab is let go. So the race is real, not two calls one after the other:
the acceptance is that the second gets a clear conflict message and nothing
is lost or doubled.

SQLite serialises writers on the whole file, so these tests need PostgreSQL.
"""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import translation

from conftest import require
from evaluation import services
from evaluation.models import CriterionScore, EvaluationStatus, MonthlyEvaluation
from evaluation.services import evaluations
from evaluation.tests.scenes import one_excellent_slot_left
from org.models import AuditEvent, Notification
from org.tests.factories import DelegationFactory
from worklog import lifecycle, selectors
from worklog.lifecycle import Approval
from worklog.models import DiaryEntry, EntryStatus
from worklog.tests.factories import DiaryEntryFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("capacity_basis")]

# Long enough for a slow CI machine, short enough that a lost wake-up fails the test instead of hanging it.
WAIT = 30
MARCH = datetime.date(2026, 3, 1)
# Decree 335/2025 Article 12's three groups, 10 points each by default (a 2026 month).
CRITERIA = ("conduct", "competence", "initiative")


@pytest.fixture(autouse=True)
def _postgresql():
    require(connection.vendor == "postgresql", "the concurrency tests need PostgreSQL (DATABASE_URL)")


class Tab(threading.Thread):
    """One browser tab: a service call on its own database connection, its outcome kept for the test."""

    def __init__(self, name: str, action: Callable[[], object]):
        super().__init__(name=f"tab-{name}", daemon=True)
        self.action = action
        self.result: object = None
        self.error: BaseException | None = None
        self.backend_pid: int | None = None
        self.connected = threading.Event()

    def run(self) -> None:
        try:
            # The reviewer's browser is in English, so the tests can read the messages.
            with translation.override("en"):
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    self.backend_pid = cursor.fetchone()[0]
                self.connected.set()
                self.result = self.action()
        except BaseException as error:  # handed to the test, which asserts on it
            self.error = error
        finally:
            self.connected.set()
            connections.close_all()


class HoldAfterLock:
    """Pause the first caller of a service step that runs once the service holds its row locks.

    The step is wrapped in ``module`` (where the service looks it up): the first tab
    to get through it stops there (transaction open, rows locked) until ``release``;
    later callers pass straight through.
    """

    def __init__(self, monkeypatch, module, step: str):
        self.locked = threading.Event()
        self.release = threading.Event()
        self._taken = threading.Lock()
        self._held = False
        real = getattr(module, step)

        def paused(*args, **kwargs):
            result = real(*args, **kwargs)
            with self._taken:
                first, self._held = not self._held, True
            if first:
                self.locked.set()
                if not self.release.wait(WAIT):
                    raise RuntimeError("the test never released the first tab")
            return result

        monkeypatch.setattr(module, step, paused)


def _blocked_by(waiting: Tab, holder: Tab) -> bool:
    """Whether PostgreSQL shows ``waiting``'s connection waiting for a lock ``holder`` holds."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline and waiting.is_alive():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_blocking_pids(%s)", [waiting.backend_pid])
            if holder.backend_pid in cursor.fetchone()[0]:
                return True
        time.sleep(0.02)
    return False


def race(hold: HoldAfterLock, first: Callable[[], object], second: Callable[[], object]) -> tuple[Tab, Tab]:
    """Run ``first`` until it holds the lock, start ``second``, see it wait, then let ``first`` commit."""
    tab1, tab2 = Tab("first", first), Tab("second", second)
    waited = False
    try:
        tab1.start()
        assert hold.locked.wait(WAIT), f"the first tab never took the lock: {tab1.error!r}"
        tab2.start()
        assert tab2.connected.wait(WAIT), "the second tab never connected"
        waited = _blocked_by(tab2, tab1)
    finally:
        hold.release.set()
        tab1.join(WAIT)
        tab2.join(WAIT)
    assert not tab1.is_alive() and not tab2.is_alive(), "a tab is still running: a lock was never released"
    assert waited, f"the second tab did not wait for the first one's lock (it ended with {tab2.error!r})"
    return tab1, tab2


def conflict_messages(tab: Tab) -> list[str]:
    """The messages of the conflict the losing tab got (it must be a ValidationError, not a crash)."""
    assert isinstance(tab.error, ValidationError), f"expected a conflict message, got {tab.error!r}"
    return tab.error.messages


def audit_rows(obj) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type=obj._meta.model_name, object_id=obj.pk).values_list(
            "action", flat=True
        )
    )


# Entries --------------------------------------------------------------------------------------------


def _approve(entry: DiaryEntry, seen: int, by, **marks) -> Callable[[], object]:
    return lambda: lifecycle.entries_approve(approvals={entry.pk: Approval(version=seen, **marks)}, by=by)


def _return(entry: DiaryEntry, seen: int, by) -> Callable[[], object]:
    return lambda: lifecycle.entry_return(entry=entry, by=by, reason="Thiếu số văn bản", version=seen)


@pytest.mark.parametrize("reviewer", ["head1", "delegate"])
@pytest.mark.parametrize("winner", ["approve", "return"])
def test_approving_and_returning_the_same_entry_at_once_leaves_one_decision_one_audit_row_one_notice(
    org, review, monkeypatch, eager_celery, mailoutbox, reviewer, winner
):
    # The reviewer has the queue open in two tabs: approves member1's Monday in one, returns it in the other.
    # With a delegation in force the delegate (member2) is member1's only reviewer: their two tabs race.
    if reviewer == "delegate":
        DelegationFactory(delegator=org.head1, delegate=org.member2)
    by = org.member2 if reviewer == "delegate" else org.head1
    entry = review.member1_monday[0]
    seen = entry.version
    history = selectors.entry_history(entry).count()
    approve = _approve(entry, seen, by, major_errors=1)
    send_back = _return(entry, seen, by)
    hold = HoldAfterLock(monkeypatch, lifecycle, "check_reviewer")

    first, second = race(hold, *((approve, send_back) if winner == "approve" else (send_back, approve)))

    assert first.error is None, first.error
    [message] = conflict_messages(second)
    assert "changed in the meantime" in message and "reload" in message.lower()
    entry.refresh_from_db()
    assert entry.version == seen + 1
    assert entry.reviewed_by == by
    assert selectors.entry_history(entry).count() == history + 1
    notices = Notification.objects.filter(recipient=org.member1)
    if winner == "approve":
        assert entry.status == EntryStatus.APPROVED
        assert entry.major_errors == 1
        assert entry.return_reason == ""
        assert audit_rows(entry) == ["entry.approved"]
        assert not notices.exists()
        assert mailoutbox == []
    else:
        assert entry.status == EntryStatus.RETURNED
        assert entry.major_errors == 0
        assert audit_rows(entry) == ["entry.returned"]
        assert notices.count() == 1
        assert [m.to for m in mailoutbox] == [[org.member1.email]]


def test_approving_the_same_entries_twice_at_once_approves_them_once_with_the_first_tabs_marks(
    org, review, monkeypatch
):
    entries = [*review.member1_monday, review.member2_monday]
    seen = {e.pk: e.version for e in entries}
    hold = HoldAfterLock(monkeypatch, lifecycle, "check_reviewer")

    def approve(**marks):
        return lambda: lifecycle.entries_approve(
            approvals={pk: Approval(version=v, **marks) for pk, v in seen.items()}, by=org.head1
        )

    first, second = race(hold, approve(major_errors=1), approve(delays=2))

    assert first.error is None and first.result == 3
    messages = conflict_messages(second)
    assert len(messages) == 3
    assert all("changed in the meantime (it is now approved)" in m for m in messages)
    assert all("Nothing was approved; reload the queue." in m for m in messages)
    for entry in entries:
        entry.refresh_from_db()
        assert entry.status == EntryStatus.APPROVED
        assert entry.version == seen[entry.pk] + 1
        assert (entry.major_errors, entry.delays) == (1, 0)
        assert audit_rows(entry) == ["entry.approved"]
    assert AuditEvent.objects.filter(action="entry.approved").count() == 3


def test_a_batch_that_overlaps_a_concurrent_approval_approves_nothing_not_even_the_untouched_entries(
    org, review, monkeypatch
):
    monday, other_monday = review.member1_monday
    untouched = review.member2_monday
    hold = HoldAfterLock(monkeypatch, lifecycle, "check_reviewer")

    first, second = race(
        hold,
        _approve(monday, monday.version, org.head1),
        lambda: lifecycle.entries_approve(
            approvals={e.pk: Approval(version=e.version) for e in (monday, other_monday, untouched)},
            by=org.head1,
        ),
    )

    assert first.error is None
    [message] = conflict_messages(second)
    assert monday.task.code in message and "Nothing was approved" in message
    for entry, status in ((monday, EntryStatus.APPROVED), (other_monday, EntryStatus.SUBMITTED)):
        entry.refresh_from_db()
        assert entry.status == status
    untouched.refresh_from_db()
    assert untouched.status == EntryStatus.SUBMITTED
    assert untouched.version == 1
    assert AuditEvent.objects.filter(action="entry.approved").count() == 1


# Evaluations ----------------------------------------------------------------------------------------


@pytest.fixture
def self_assessed(org, diary, frozen_now) -> MonthlyEvaluation:
    """member1's March: a little approved work, and their own assessment done (head1 scores it)."""
    for day in (2, 3, 4):
        DiaryEntryFactory(
            person=org.member1,
            unit=org.unit1,
            stage=diary.budget_review,
            date=datetime.date(2026, 3, day),
            quantity=Decimal("1.5"),
            status=EntryStatus.APPROVED,
        )
    evaluation = services.evaluation_open(person=org.member1, month=MARCH)
    return services.self_assess(
        evaluation=evaluation,
        by=org.member1,
        points=dict.fromkeys(CRITERIA, Decimal(5)),
        comments={},
        comment="",
        version=None,
    )


def _score(evaluation, by, value: str, comment: str, seen: int) -> Callable[[], object]:
    return lambda: services.evaluation_score(
        evaluation=evaluation,
        by=by,
        points=dict.fromkeys(CRITERIA, Decimal(value)),
        comments={"conduct": comment},
        comment=comment,
        version=seen,
    )


def test_two_tabs_scoring_the_same_month_at_once_keep_the_first_score_and_the_second_is_told(
    org, self_assessed, monkeypatch
):
    evaluation = self_assessed
    seen = evaluation.version
    hold = HoldAfterLock(monkeypatch, evaluations, "locked_evaluation")

    first, second = race(
        hold,
        _score(evaluation, org.head1, "10", "Hoàn thành tốt", seen),
        _score(evaluation, org.head1, "3", "Cần cố gắng", seen),
    )

    assert first.error is None, first.error
    assert conflict_messages(second) == [
        "Somebody else changed this in the meantime. Reload the page to see their change, then try again."
    ]
    evaluation.refresh_from_db()
    assert evaluation.version == seen + 1
    assert evaluation.status == EvaluationStatus.SCORED
    assert evaluation.general_score == Decimal("30.00")
    assert evaluation.supervisor_comment == "Hoàn thành tốt"
    stored = CriterionScore.objects.filter(evaluation=evaluation, by=CriterionScore.By.SUPERVISOR)
    assert sorted(stored.values_list("criterion__key", "points", "comment")) == sorted(
        (c, Decimal("10.00"), "Hoàn thành tốt" if c == "conduct" else "") for c in CRITERIA
    )
    assert CriterionScore.objects.filter(evaluation=evaluation, by=CriterionScore.By.SELF).count() == 3
    assert audit_rows(evaluation) == ["evaluation.scored", "evaluation.self_assessed"]
    assert evaluation.history.count() == 3  # opened, self-assessed, scored once


@pytest.mark.usefixtures("march_closed")
@pytest.mark.parametrize("winner", ["finalise", "rescore"])
def test_the_leader_never_finalises_a_score_the_supervisor_is_changing_at_the_same_moment(
    org, self_assessed, monkeypatch, eager_celery, mailoutbox, winner
):
    evaluation = services.evaluation_score(
        evaluation=self_assessed,
        by=org.head1,
        points={"conduct": Decimal(7), "competence": Decimal(7), "initiative": Decimal(6)},
        comments={},
        comment="",
        version=self_assessed.version,
    )
    seen = evaluation.version
    finalise = lambda: services.evaluation_finalise(evaluation=evaluation, by=org.leader, version=seen)  # noqa: E731
    rescore = _score(evaluation, org.head1, "10", "Điều chỉnh", seen)
    hold = HoldAfterLock(monkeypatch, evaluations, "locked_evaluation")

    first, second = race(hold, *((finalise, rescore) if winner == "finalise" else (rescore, finalise)))

    assert first.error is None, first.error
    assert "changed this in the meantime" in conflict_messages(second)[0]
    evaluation.refresh_from_db()
    assert evaluation.version == seen + 1
    final_notices = Notification.objects.filter(recipient=org.member1, key__startswith="evaluation-final")
    if winner == "finalise":
        assert evaluation.status == EvaluationStatus.FINAL
        assert evaluation.general_score == Decimal("20.00")  # the score the leader saw
        assert audit_rows(evaluation)[0] == "evaluation.finalised"
        assert final_notices.count() == 1
        assert len(mailoutbox) == 1
    else:
        assert evaluation.status == EvaluationStatus.SCORED
        assert evaluation.general_score == Decimal("30.00")
        assert audit_rows(evaluation)[0] == "evaluation.scored"
        assert not final_notices.exists()
        assert mailoutbox == []
    assert "evaluation.finalised" not in audit_rows(evaluation)[1:]


@pytest.mark.usefixtures("march_closed")
def test_two_finalisations_at_once_with_one_excellent_slot_left_let_exactly_one_through(
    org, diary, frozen_now, monkeypatch
):
    # Five people rated good leave room for one excellent (20 % of 5); member1 and member2 both score it.
    scored = one_excellent_slot_left(org, diary)
    finalise = [
        (lambda e=e: services.evaluation_finalise(evaluation=e, by=org.leader, version=e.version))
        for e in scored
    ]
    hold = HoldAfterLock(monkeypatch, evaluations, "lock_quota")

    first, second = race(hold, *finalise)

    assert first.error is None, first.error
    assert "at most 20%" in conflict_messages(second)[0]
    finals = MonthlyEvaluation.objects.filter(month=MARCH, status=EvaluationStatus.FINAL, rating="excellent")
    assert finals.count() == 1
    assert AuditEvent.objects.filter(action="evaluation.finalised").count() == 1

"""Assigning work: to several people at once, change and cancel with a reason, the monthly routine of a
job position, and the diary's entries counting toward an assignment."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assignments import services, tasks
from assignments.models import Assignment, AssignmentStatus
from catalog.tests.factories import CatalogVersionFactory, StageFactory, StandardTaskFactory
from org.models import AuditEvent, Notification
from worklog import selectors as worklog_selectors
from worklog import services as worklog_services
from worklog.models import EntryStatus
from worklog.tests.factories import DiaryEntryFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 10)  # org.tests.factories.NOW
DUE = datetime.date(2026, 3, 17)  # 5 working days later


def work(diary, quantity="3", due=DUE, **extra):
    stage = diary.budget_review
    return services.AssignmentInput(
        task=stage.task, stage=stage, quantity=Decimal(quantity), due_date=due, **extra
    )


def state():
    return (
        list(Assignment.objects.values_list("pk", "quantity", "due_date", "status", "version")),
        Notification.objects.count(),
        AuditEvent.objects.filter(object_type="assignment").count(),
    )


def test_a_unit_head_assigns_the_same_work_to_two_people_who_are_told(org, diary, frozen_now):
    created = services.assignments_create(
        people=[org.member1, org.member2], data=work(diary, source="CV 123/UBND-KT"), by=org.head1
    )
    assert [a.person for a in created] == [org.member1, org.member2]
    first = created[0]
    # The workload: 3 products × the stage's 240 minutes, the norm frozen on the assignment.
    assert (first.norm_minutes, first.standard_minutes, first.unit) == (240, Decimal(720), org.unit1)
    assert Notification.objects.filter(recipient=org.member1, url__endswith=f"/{first.pk}/").exists()
    assert AuditEvent.objects.filter(object_type="assignment", action="assignment.created").count() == 2


def test_a_whole_task_counts_every_stage_of_it(org, diary, frozen_now):
    task = diary.budget_review.task  # C.01: 60 + 240 minutes
    data = services.AssignmentInput(task=task, stage=None, quantity=Decimal(2), due_date=DUE)
    (assignment,) = services.assignments_create(people=[org.member1], data=data, by=org.head1)
    assert assignment.standard_minutes == Decimal(600)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"quantity": "0"}, "quantity"),
        ({"quantity": "2.555"}, "quantity"),
        ({"due": datetime.date(2026, 3, 9)}, "due_date"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(org, diary, frozen_now, change, field):
    before = state()
    data = work(diary, quantity=change.get("quantity", "3"), due=change.get("due", DUE))
    with pytest.raises(ValidationError) as error:
        services.assignments_create(people=[org.member1, org.member2], data=data, by=org.head1)
    assert field in error.value.message_dict
    assert state() == before


def test_a_task_outside_the_catalog_in_force_is_refused(org, diary, frozen_now):
    old = CatalogVersionFactory(agency=org.agency, number=0)
    stale = StandardTaskFactory(version=old, code="C.99")
    stage = StageFactory(task=stale, order=1, norm_minutes=30)
    before = state()
    data = services.AssignmentInput(task=stale, stage=stage, quantity=Decimal(1), due_date=DUE)
    with pytest.raises(ValidationError) as error:
        services.assignments_create(people=[org.member1], data=data, by=org.head1)
    assert "C.99" in " ".join(error.value.message_dict["task"])
    assert state() == before


def test_nobody_assigns_to_another_units_person_or_to_themself_and_nothing_is_half_done(
    org, diary, frozen_now
):
    before = state()
    for people in ([org.member1, org.hr], [org.member_b], [org.head1]):
        with pytest.raises(ValidationError) as error:
            services.assignments_create(people=people, data=work(diary), by=org.head1)
        assert "people" in error.value.message_dict
    assert state() == before


def test_an_agency_leader_assigns_to_anyone_of_the_agency(org, diary, frozen_now):
    created = services.assignments_create(people=[org.member1, org.hr], data=work(diary), by=org.deputy)
    assert len(created) == 2


def test_a_change_needs_a_reason_is_audited_and_keeps_the_frozen_norm(org, diary, frozen_now):
    (assignment,) = services.assignments_create(people=[org.member1], data=work(diary), by=org.head1)
    diary.budget_review.norm_minutes = 300  # a later catalog change
    diary.budget_review.save()
    with pytest.raises(ValidationError):
        services.assignment_change(
            assignment=assignment,
            quantity=Decimal(4),
            due_date=DUE,
            note="",
            reason=" ",
            by=org.head1,
            version=1,
        )
    changed = services.assignment_change(
        assignment=assignment,
        quantity=Decimal(4),
        due_date=datetime.date(2026, 3, 20),
        note="Thêm một hồ sơ",
        reason="Sở Y tế gửi thêm hồ sơ",
        by=org.head1,
        version=1,
    )
    assert (changed.standard_minutes, changed.version) == (Decimal(960), 2)
    event = AuditEvent.objects.get(action="assignment.changed")
    assert (Decimal(event.before["quantity"]), Decimal(event.after["quantity"])) == (3, 4)
    assert event.reason == "Sở Y tế gửi thêm hồ sơ"
    # The version seen is checked: a second change based on version 1 is refused.
    with pytest.raises(ValidationError):
        services.assignment_cancel(assignment=assignment, reason="Trùng", by=org.head1, version=1)


def test_outsiders_cannot_change_or_cancel(org, diary, frozen_now):
    (assignment,) = services.assignments_create(people=[org.member1], data=work(diary), by=org.head1)
    for outsider in (org.member1, org.member2, org.head2, org.leader_b):
        with pytest.raises(PermissionDenied):
            services.assignment_cancel(assignment=assignment, reason="Không cần", by=outsider, version=None)
    assert Assignment.objects.get().status == AssignmentStatus.OPEN


def test_a_cancelled_assignment_leaves_the_open_list_and_its_entries_stay_as_own_work(org, diary, frozen_now):
    (assignment,) = services.assignments_create(people=[org.member1], data=work(diary), by=org.head1)
    assert [p.assignment for p in worklog_selectors.open_assignments(org.member1)] == [assignment]
    services.assignment_cancel(assignment=assignment, reason="Sở Y tế rút hồ sơ", by=org.head1, version=None)
    assert worklog_selectors.open_assignments(org.member1) == []
    assert Notification.objects.filter(recipient=org.member1).count() == 2


def test_an_assignment_is_complete_when_its_approved_work_reaches_it_and_late_after_its_due_date(
    org, diary, frozen_now
):
    (assignment,) = services.assignments_create(people=[org.member1], data=work(diary), by=org.head1)

    def entry(day, quantity, status=EntryStatus.APPROVED):
        return DiaryEntryFactory(
            person=org.member1,
            unit=org.unit1,
            stage=diary.budget_review,
            date=day,
            quantity=Decimal(quantity),
            status=status,
            assignment=assignment,
        )

    entry(datetime.date(2026, 3, 11), "2")
    entry(datetime.date(2026, 3, 12), "1", EntryStatus.SUBMITTED)
    progress = worklog_selectors.assignment_progress([assignment])[assignment.pk]
    assert (progress.complete, progress.approved_minutes, progress.waiting_minutes) == (False, 480, 240)
    entry(datetime.date(2026, 3, 18), "1")  # the day after the due date
    progress = worklog_selectors.assignment_progress([assignment])[assignment.pk]
    assert (progress.completed_on, progress.on_time, progress.late) == (
        datetime.date(2026, 3, 18),
        False,
        True,
    )


def test_an_entry_counts_toward_its_own_open_assignment_of_the_same_task_only(org, diary, frozen_now):
    (mine,) = services.assignments_create(people=[org.member1], data=work(diary), by=org.head1)
    (theirs,) = services.assignments_create(people=[org.member2], data=work(diary), by=org.head1)
    day = TODAY

    def log(stage, assignment):
        data = worklog_services.EntryInput(stage=stage, quantity=Decimal(1), assignment=assignment)
        return worklog_services.entry_create(person=org.member1, day=day, data=data, by=org.member1)

    with pytest.raises(ValidationError) as error:
        log(diary.budget_review, theirs)
    assert "assignment" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        log(diary.budget_intake, mine)  # C.01 but stage 1: the assignment is for stage 2
    assert "C.01" in " ".join(error.value.message_dict["assignment"])
    assert log(diary.budget_review, mine).entry.assignment == mine


def test_the_routine_of_a_job_position_is_assigned_once_a_month_to_everyone_holding_it(
    org, diary, frozen_now
):
    for person in (org.member1, org.member2):
        person.position = "Chuyên viên ngân sách"
        person.save()
    reply = diary.budget_review.task.version.tasks.get(code="B.01")
    routine = services.recurring_create(
        agency=org.agency,
        position="chuyên viên NGÂN SÁCH ",
        task=reply,
        stage=None,
        quantity=Decimal(20),
        note="",
        by=org.leader,
    )
    issued = Assignment.objects.filter(recurring=routine)
    assert sorted(issued.values_list("person__username", flat=True)) == ["member1", "member2"]
    # Due the month's last working day, 20 × 90 minutes.
    assert set(issued.values_list("due_date", "standard_minutes")) == {
        (datetime.date(2026, 3, 31), Decimal(1800))
    }
    # The hourly run (and a second, and scoring) issues nothing twice.
    assert tasks.issue_recurring() == 0
    assert issued.count() == 2


def test_only_an_agency_leader_sets_a_routine_for_a_position_somebody_holds(org, diary, frozen_now):
    reply = diary.budget_review.task.version.tasks.get(code="B.01")
    with pytest.raises(PermissionDenied):
        services.recurring_create(
            agency=org.agency,
            position="Chuyên viên",
            task=reply,
            stage=None,
            quantity=Decimal(1),
            note="",
            by=org.head1,
        )
    with pytest.raises(ValidationError) as error:
        services.recurring_create(
            agency=org.agency,
            position="Thủ quỹ",
            task=reply,
            stage=None,
            quantity=Decimal(1),
            note="",
            by=org.leader,
        )
    assert "position" in error.value.message_dict

"""Every rule of the diary, each with the message a person sees and nothing saved on error."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from catalog import services as catalog_services
from catalog.services import StageInput, TaskInput
from org.models import Role
from org.tests.factories import RoleAssignmentFactory
from worklog import lifecycle, selectors, services
from worklog.models import DayReopening, DiaryEntry, EntryStatus
from worklog.services import EntryInput

from .factories import DiaryEntryFactory

pytestmark = pytest.mark.usefixtures("frozen_now")  # Tuesday 10/03/2026, 09:00

D = datetime.date
TODAY = D(2026, 3, 10)


def log(org, stage, *, day=TODAY, quantity="1", person=None, by=None, **fields):
    person = person or org.member1
    return services.entry_create(
        person=person,
        day=day,
        data=EntryInput(stage=stage, quantity=Decimal(quantity), **fields),
        by=by or person,
    )


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


def test_an_entry_counts_the_norm_times_the_quantity(org, diary):
    result = log(org, diary.budget_review, quantity="1.5", estimate_minutes=500)

    entry = result.entry
    assert (entry.norm_minutes, entry.standard_minutes) == (240, Decimal("360"))
    assert (entry.unit, entry.agency, entry.status) == (org.unit1, org.agency, EntryStatus.DRAFT)
    assert result.day_minutes == Decimal("360")  # the estimate (500) is never summed
    [created] = selectors.entry_history(entry)
    assert (created.action, created.actor) == ("entry.created", org.member1)
    assert created.after["quantity"] == "1.5" and created.after["stage"] == diary.budget_review.pk


def test_the_same_form_token_twice_returns_the_entry_it_created(org, diary):
    token = uuid.uuid4()
    data = EntryInput(stage=diary.study, quantity=Decimal(1))

    def create(person):
        return services.entry_create(person=person, day=TODAY, data=data, by=person, client_token=token)

    first, again, other = create(org.member1), create(org.member1), create(org.member2)

    assert again.entry == first.entry and again.day_minutes == first.day_minutes
    assert other.entry.person == org.member2  # a token is one person's: another's form is another entry
    assert DiaryEntry.objects.filter(person=org.member1).count() == 1


def test_the_database_refuses_a_second_entry_of_the_same_form(org, diary):
    token = uuid.uuid4()
    fields = {"person": org.member1, "unit": org.unit1, "stage": diary.study, "date": TODAY}
    DiaryEntryFactory(**fields, client_token=token)

    # PostgreSQL names the constraint; SQLite lists its columns.
    refused = r"entry_created_once_per_form|worklog_diaryentry\.person_id, worklog_diaryentry\.client_token"
    with pytest.raises(IntegrityError, match=refused), transaction.atomic():
        DiaryEntryFactory(**fields, client_token=token)


def test_a_later_norm_does_not_change_an_entry_already_made(org, catalog, diary):
    entry = log(org, diary.budget_intake).entry
    draft = catalog_services.draft_open(agency=org.agency, by=org.catalog_manager)
    task = draft.tasks.get(code="C.01")
    catalog_services.task_update(
        task=task,
        data=TaskInput(code="C.01", name=task.name, group="C", output_unit="hồ sơ", evidence_kind="document"),
        stages=[
            StageInput(1, "Tiếp nhận", 120, id=task.stages.get(order=1).pk),
            StageInput(2, "Thẩm định", 240, id=task.stages.get(order=2).pk),
        ],
        by=org.catalog_manager,
    )
    catalog_services.catalog_publish(agency=org.agency, effective_from=TODAY, by=org.leader)

    entry.refresh_from_db()
    assert (entry.norm_minutes, entry.standard_minutes) == (60, Decimal("60"))
    # A new entry of the same day picks the new version's stage and norm.
    with pytest.raises(ValidationError, match="không thuộc danh mục áp dụng vào ngày 10/03/2026"):
        log(org, diary.budget_intake)  # the old version's stage no longer applies today
    new_stage = draft.tasks.get(code="C.01").stages.get(order=1)
    assert log(org, new_stage).entry.norm_minutes == 120


def test_no_future_dates(org, diary):
    with pytest.raises(ValidationError) as excinfo:
        log(org, diary.study, day=TODAY + datetime.timedelta(days=1))

    assert "tương lai" in errors_of(excinfo)["date"][0]
    assert not DiaryEntry.objects.exists()


def test_back_dating_up_to_five_working_days(org, diary):
    assert log(org, diary.study, day=D(2026, 3, 3)).entry  # five working days before Tuesday 10/03

    with pytest.raises(ValidationError) as excinfo:
        log(org, diary.study, day=D(2026, 3, 2))
    assert "mở lại" in errors_of(excinfo)["date"][0]


def test_the_back_dating_window_is_an_agency_setting(org, diary):
    org.agency.backdate_working_days = 1
    org.agency.save()
    org.member1.refresh_from_db()

    with pytest.raises(ValidationError, match="Ngày 06/03/2026 đã quá 1 ngày làm việc"):
        log(org, diary.study, day=D(2026, 3, 6))
    assert log(org, diary.study, day=D(2026, 3, 9)).entry


def test_a_supervisor_reopens_an_older_day(org, diary):
    services.day_reopen(
        person=org.member1, day=D(2026, 2, 26), by=org.head1, reason="Quên kê khai khi đi công tác"
    )

    assert log(org, diary.study, day=D(2026, 2, 26)).entry
    assert org.member1.notifications.get().url == "/diary/day/2026-02-26/"


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("member2", "Chỉ người duyệt của cán bộ, công chức đó"),
        ("hr_without_role", "Chỉ người duyệt của cán bộ, công chức đó"),
        ("member1", "Không ai được tự mở lại ngày kê khai"),
    ],
)
def test_only_the_reviewer_hr_or_an_administrator_reopens_a_day(org, diary, who, message):
    by = {"member2": org.member2, "hr_without_role": org.head2, "member1": org.member1}[who]

    with pytest.raises(PermissionDenied, match=message):
        services.day_reopen(person=org.member1, day=D(2026, 2, 26), by=by, reason="x")
    assert not DayReopening.objects.exists()


def test_weekends_and_holidays_are_allowed_and_marked_as_overtime(org, diary):
    assert log(org, diary.study, day=D(2026, 3, 7)).entry.is_overtime
    assert not log(org, diary.study, day=D(2026, 3, 9)).entry.is_overtime


def test_a_day_above_the_cap_is_refused_and_above_eight_hours_is_flagged(org, diary):
    first = log(org, diary.budget_review, quantity="2")  # 8 h
    assert not first.over_eight_hours
    second = log(org, diary.study, quantity="1")  # 9 h
    assert second.over_eight_hours

    with pytest.raises(ValidationError) as excinfo:
        log(org, diary.budget_review, quantity="1")  # 13 h > 12 h
    assert "12" in errors_of(excinfo)["quantity"][0]
    assert DiaryEntry.objects.count() == 2


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"quantity": "0"}, "quantity"),
        ({"quantity": "-1"}, "quantity"),
        ({"quantity": "100.01"}, "quantity"),
        ({"quantity": "1.234"}, "quantity"),
        ({"estimate_minutes": 5000}, "estimate_minutes"),
        ({"description": "x" * 1001}, "description"),
        ({"evidence_ref": "x" * 101}, "evidence_ref"),
    ],
)
def test_limits_on_quantity_and_text(org, diary, fields, field):
    with pytest.raises(ValidationError) as excinfo:
        log(org, diary.study, **fields)

    assert field in errors_of(excinfo)
    assert not DiaryEntry.objects.exists()


def test_a_task_of_another_agency_is_refused(org, catalog, diary):
    from catalog.tests.factories import CatalogVersionFactory, StageFactory, StandardTaskFactory

    other = StandardTaskFactory(version=CatalogVersionFactory(agency=org.other_agency))
    with pytest.raises(ValidationError) as excinfo:
        log(org, StageFactory(task=other))
    assert "stage" in errors_of(excinfo)


def test_a_task_no_longer_in_use_is_refused(org, diary):
    diary.study.task.active = False
    diary.study.task.save()

    with pytest.raises(ValidationError, match="đã ngừng sử dụng"):
        log(org, diary.study)
    assert not DiaryEntry.objects.exists()


def test_nobody_writes_someone_elses_diary(org, diary):
    owner_only = "Chỉ người sở hữu nhật ký công việc mới được ghi nhật ký"
    with pytest.raises(PermissionDenied, match=owner_only):
        log(org, diary.study, person=org.member1, by=org.head1)
    entry = log(org, diary.study).entry
    with pytest.raises(PermissionDenied, match=owner_only):
        services.entry_update(
            entry=entry, data=EntryInput(diary.study, Decimal(2)), by=org.member2, version=1
        )
    with pytest.raises(PermissionDenied, match=owner_only):
        lifecycle.entries_submit(person=org.member1, start=TODAY, end=TODAY, by=org.head1)


def test_a_stale_version_is_refused_and_changes_nothing(org, diary):
    entry = log(org, diary.study).entry
    services.entry_update(entry=entry, data=EntryInput(diary.study, Decimal(2)), by=org.member1, version=1)

    with pytest.raises(ValidationError, match="tải lại trang"):
        services.entry_update(
            entry=entry, data=EntryInput(diary.study, Decimal(3)), by=org.member1, version=1
        )
    entry.refresh_from_db()
    assert (entry.quantity, entry.version) == (Decimal(2), 2)


def test_submitting_a_week_and_then_nothing_can_change(org, diary):
    monday = D(2026, 3, 9)
    entry = log(org, diary.study, day=monday).entry
    log(org, diary.study, day=TODAY)

    assert (
        lifecycle.entries_submit(
            person=org.member1, start=monday, end=monday + datetime.timedelta(days=6), by=org.member1
        )
        == 2
    )
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED
    with pytest.raises(ValidationError, match="trạng thái đã nộp nên không thể thay đổi"):
        services.entry_update(
            entry=entry, data=EntryInput(diary.study, Decimal(2)), by=org.member1, version=entry.version
        )
    with pytest.raises(ValidationError, match="trạng thái đã nộp nên không thể thay đổi"):
        services.entry_delete(entry=entry, by=org.member1, version=entry.version)


def test_evidence_is_required_to_submit_and_a_missing_one_stops_the_whole_day(org, diary):
    log(org, diary.study)
    log(org, diary.budget_intake)  # needs an outgoing document

    with pytest.raises(ValidationError, match=r"C\.01"):
        lifecycle.entries_submit(person=org.member1, start=TODAY, end=TODAY, by=org.member1)
    assert set(DiaryEntry.objects.values_list("status", flat=True)) == {EntryStatus.DRAFT}


def test_a_returned_entry_is_corrected_and_submitted_again(org, diary):
    entry = DiaryEntryFactory(
        person=org.member1, unit=org.unit1, stage=diary.study, status=EntryStatus.RETURNED,
        return_reason="Số lượng chưa đúng", version=3,
    )  # fmt: skip

    services.entry_update(
        entry=entry, data=EntryInput(diary.study, Decimal("0.5")), by=org.member1, version=3
    )
    lifecycle.entries_submit(person=org.member1, start=TODAY, end=TODAY, by=org.member1)

    entry.refresh_from_db()
    assert (entry.status, entry.return_reason, entry.quantity) == (EntryStatus.SUBMITTED, "", Decimal("0.5"))
    # The entry's history keeps the edit (old → new) and the submission that cleared the return reason.
    assert [(e.action, e.actor, e.before, e.after) for e in selectors.entry_history(entry)] == [
        ("entry.changed", org.member1,
         {"quantity": "1.00", "standard_minutes": "60.00", "description": "Soạn thảo văn bản"},
         {"quantity": "0.5", "standard_minutes": "30.0", "description": ""}),
        ("entry.submitted", org.member1, {"status": "returned"}, {"status": "submitted"}),
    ]  # fmt: skip


def test_nothing_to_submit_says_so(org, diary):
    with pytest.raises(ValidationError, match="Không có nhật ký nào để nộp"):
        lifecycle.entries_submit(person=org.member1, start=TODAY, end=TODAY, by=org.member1)


def test_only_hr_or_an_administrator_reopens_an_approved_entry_with_a_reason(org, diary):
    entry = DiaryEntryFactory(
        person=org.member1, unit=org.unit1, stage=diary.study, status=EntryStatus.APPROVED
    )
    for outsider in (org.member1, org.head1, org.leader_b):
        with pytest.raises(PermissionDenied, match="Chỉ cán bộ tổ chức hoặc quản trị viên"):
            lifecycle.entry_reopen(entry=entry, by=outsider, reason="Sai")
    with pytest.raises(ValidationError, match="nêu lý do mở lại"):
        lifecycle.entry_reopen(entry=entry, by=org.hr, reason="  ")

    lifecycle.entry_reopen(entry=entry, by=org.hr, reason="Số văn bản nhập nhầm")

    entry.refresh_from_db()
    assert entry.status == EntryStatus.RETURNED
    assert "Số văn bản nhập nhầm" in entry.return_reason
    latest = selectors.entry_history(entry).last()
    assert (latest.action, latest.actor, latest.reason) == ("entry.reopened", org.hr, "Số văn bản nhập nhầm")
    assert org.member1.notifications.exists()


def test_an_administrator_with_province_scope_may_reopen(org, diary):
    from org.tests.factories import UserFactory

    admin = UserFactory()
    RoleAssignmentFactory(person=admin, role=Role.ADMINISTRATOR, agency=None, province=org.agency.province)
    entry = DiaryEntryFactory(
        person=org.member1, unit=org.unit1, stage=diary.study, status=EntryStatus.APPROVED
    )

    lifecycle.entry_reopen(entry=entry, by=admin, reason="Điều chỉnh")

    entry.refresh_from_db()
    assert entry.status == EntryStatus.RETURNED
    assert "Điều chỉnh" in entry.return_reason
    latest = selectors.entry_history(entry).last()
    assert (latest.action, latest.actor, latest.reason) == ("entry.reopened", admin, "Điều chỉnh")


def test_copying_a_day_makes_drafts_without_evidence(org, diary):
    log(org, diary.budget_intake, day=D(2026, 3, 9), evidence_ref="123/STC-NS", description="Hồ sơ Sở Y tế")

    copies = services.day_copy(person=org.member1, source=D(2026, 3, 9), target=TODAY, by=org.member1)

    assert [(c.date, c.stage, c.evidence_ref, c.description, c.status) for c in copies] == [
        (TODAY, diary.budget_intake, "", "Hồ sơ Sở Y tế", EntryStatus.DRAFT)
    ]


def test_copying_refuses_an_empty_day_and_the_same_day(org, diary):
    with pytest.raises(ValidationError, match="Ngày 06/03/2026 không có nhật ký nào để sao chép"):
        services.day_copy(person=org.member1, source=D(2026, 3, 6), target=TODAY, by=org.member1)
    with pytest.raises(ValidationError, match="chọn một ngày khác"):
        services.day_copy(person=org.member1, source=TODAY, target=TODAY, by=org.member1)


def test_a_copy_above_the_daily_cap_says_so_of_the_copy_and_copies_nothing(org, diary):
    log(org, diary.study, day=D(2026, 3, 9), quantity="8")  # 8 h on Monday
    log(org, diary.study, quantity="6")  # 6 h already today

    with pytest.raises(ValidationError) as refused:
        services.day_copy(person=org.member1, source=D(2026, 3, 9), target=TODAY, by=org.member1)

    message = " ".join(refused.value.messages)
    assert "Sao chép 1 nhật ký của ngày 09/03/2026 sẽ thành 14,0 giờ chuẩn" in message
    assert "số lượng" not in message.lower()  # there is no quantity on the copy form
    assert DiaryEntry.objects.filter(person=org.member1, date=TODAY).count() == 1


def test_after_a_transfer_entries_belong_to_the_new_unit(org, diary):
    from org import services as org_services

    org_services.person_transfer(person=org.member1, unit=org.unit2, on=D(2026, 3, 9))

    assert log(org, diary.study, day=D(2026, 3, 6)).entry.unit == org.unit1
    assert log(org, diary.study, day=TODAY).entry.unit == org.unit2

"""Each cross-check rule, and what the person and the reviewer do with a flag."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evidence import services
from evidence.models import EntryFlag, FlagKind, OutgoingDocument
from org.models import AuditEvent
from worklog import lifecycle
from worklog.models import EntryStatus
from worklog.tests.factories import DiaryEntryFactory

from .fixtures import MONDAY

pytestmark = pytest.mark.django_db


def entry(org, stage, evidence_ref="12/STC-NS", person=None, day=MONDAY, quantity="1", **extra):
    person = person or org.member1
    unit = person.memberships.get().unit
    return DiaryEntryFactory(
        person=person, unit=unit, stage=stage, date=day, quantity=Decimal(quantity),
        status=EntryStatus.SUBMITTED, evidence_ref=evidence_ref, **extra,
    )  # fmt: skip


def kinds(e):
    return set(EntryFlag.objects.open().filter(entry=e).values_list("kind", flat=True))


def test_an_entry_citing_an_existing_document_of_the_person_is_not_flagged(org, diary, evidence):
    e = entry(org, diary.budget_intake)
    assert services.check_entries([e]) == 0


def test_a_document_that_does_not_exist_is_flagged(org, diary, evidence):
    e = entry(org, diary.budget_intake, evidence_ref="99/STC-NS")
    services.check_entries([e])
    flag = EntryFlag.objects.get(entry=e)
    assert flag.kind == FlagKind.DOCUMENT_MISSING
    assert "99/STC-NS" in flag.detail


def test_a_document_of_another_agency_does_not_count(org, diary, evidence):
    OutgoingDocument.objects.create(
        agency=org.other_agency, source_id="X", number="77/SXD-QLXD", issued_on=MONDAY
    )
    e = entry(org, diary.budget_intake, evidence_ref="77/SXD-QLXD")
    services.check_entries([e])
    assert kinds(e) == {FlagKind.DOCUMENT_MISSING}


def test_a_document_drafted_by_someone_else_of_another_unit_is_flagged(org, diary, evidence):
    OutgoingDocument.objects.create(
        agency=org.agency, source_id="EO-13", number="13/STC-VP", issued_on=MONDAY, drafter=org.hr,
        drafting_unit=org.unit2,
    )  # fmt: skip
    e = entry(org, diary.budget_intake, evidence_ref="13/STC-VP")
    services.check_entries([e])
    assert kinds(e) == {FlagKind.DOCUMENT_OTHER_DRAFTER}


def test_a_document_drafted_by_the_persons_unit_is_accepted(org, diary, evidence):
    evidence.document.drafter = org.member2
    evidence.document.save()
    e = entry(org, diary.budget_intake)
    assert services.check_entries([e]) == 0


def test_a_document_dated_too_far_from_the_entry_is_flagged(org, diary, evidence):
    e = entry(org, diary.budget_intake, day=MONDAY - datetime.timedelta(days=8))  # window: 7 days
    services.check_entries([e])
    assert kinds(e) == {FlagKind.DOCUMENT_DATE}
    near = entry(org, diary.budget_intake, day=MONDAY - datetime.timedelta(days=7))
    assert services.check_entries([near]) == 0


def test_a_range_of_numbers_needs_every_document(org, diary, evidence):
    OutgoingDocument.objects.create(
        agency=org.agency, source_id="EO-13", number="13/STC-NS", issued_on=MONDAY, drafter=org.member1
    )
    e = entry(org, diary.budget_intake, evidence_ref="Từ số 12 đến số 14/STC-NS", quantity="3")
    services.check_entries([e])
    flag = EntryFlag.objects.get(entry=e)
    assert flag.kind == FlagKind.DOCUMENT_MISSING
    assert "14/STC-NS" in flag.detail and "12/STC-NS" not in flag.detail


def test_a_meeting_the_person_was_not_assigned_to_is_flagged(org, diary, evidence):
    assigned = entry(org, evidence.meeting, evidence_ref="Giấy mời 5/GM")
    stranger = entry(org, evidence.meeting, evidence_ref="Giấy mời 5/GM", person=org.member2)
    other_day = entry(
        org, evidence.meeting, evidence_ref="Giấy mời 5/GM", day=MONDAY + datetime.timedelta(days=1)
    )
    services.check_entries([assigned, stranger, other_day])
    assert kinds(assigned) == set()
    assert kinds(stranger) == kinds(other_day) == {FlagKind.NOT_ASSIGNED}


def test_a_day_far_above_the_norm_is_flagged_on_its_largest_entry(org, diary, evidence):
    small = entry(org, diary.study, evidence_ref="")
    large = entry(org, diary.budget_review, quantity="2.5")  # 1 h + 10 h, citing a good document
    services.check_entries([small, large])
    assert kinds(large) == {FlagKind.DAY_FAR_ABOVE}
    assert kinds(small) == set()


def test_a_flag_disappears_when_the_missing_document_arrives(org, diary, evidence):
    e = entry(org, diary.budget_intake, evidence_ref="20/STC-NS")
    services.check_entries([e])
    assert kinds(e) == {FlagKind.DOCUMENT_MISSING}
    OutgoingDocument.objects.create(
        agency=org.agency, source_id="EO-20", number="20 / stc-ns", issued_on=MONDAY, drafter=org.member1
    )
    services.recheck_agency(org.agency, today=MONDAY)
    assert kinds(e) == set()
    assert EntryFlag.objects.get(entry=e).resolved_at is not None


def test_submitting_a_day_checks_its_entries(org, diary, evidence, frozen_now):
    e = DiaryEntryFactory(
        person=org.member1, unit=org.unit1, stage=diary.budget_intake, date=MONDAY, evidence_ref="404/STC-NS"
    )
    lifecycle.entries_submit(person=org.member1, start=MONDAY, end=MONDAY, by=org.member1)
    assert kinds(e) == {FlagKind.DOCUMENT_MISSING}


def test_the_person_justifies_and_the_reviewer_clears_with_a_reason(org, diary, evidence):
    e = entry(org, diary.budget_intake, evidence_ref="99/STC-NS")
    services.check_entries([e])
    flag = EntryFlag.objects.get(entry=e)

    with pytest.raises(PermissionDenied, match="Chỉ người kê khai nhật ký mới được giải trình"):
        services.flag_justify(flag=flag, by=org.head1, text="Không phải của tôi")
    services.flag_justify(flag=flag, by=org.member1, text="Văn bản do Văn phòng phát hành muộn")
    with pytest.raises(ValidationError, match="nêu lý do gỡ cảnh báo"):
        services.flag_clear(flag=flag, by=org.head1, reason="  ")
    with pytest.raises(PermissionDenied, match="Chỉ người duyệt nhật ký mới được gỡ cảnh báo"):
        services.flag_clear(flag=flag, by=org.member1, reason="Tự xóa")
    with pytest.raises(PermissionDenied, match="Chỉ người duyệt nhật ký mới được gỡ cảnh báo"):
        services.flag_clear(flag=flag, by=org.head2, reason="Không phải người duyệt")

    services.flag_clear(flag=flag, by=org.head1, reason="Đã kiểm tra sổ văn bản giấy")

    flag.refresh_from_db()
    assert not flag.is_open
    assert (flag.cleared_by, flag.cleared_reason) == (org.head1, "Đã kiểm tra sổ văn bản giấy")
    assert list(AuditEvent.objects.filter(object_type="entryflag").values_list("action", flat=True)) == [
        "flag.cleared",
        "flag.justified",
    ]
    services.check_entries([e])  # a cleared flag stays cleared
    assert kinds(e) == set()


def test_a_month_above_ten_hours_a_working_day_is_flagged(org, diary, evidence):
    from org import calendar

    days = calendar.working_days(org.agency, datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    entries = [entry(org, diary.study, evidence_ref="", day=day, quantity="10.5") for day in days]
    services.check_entries(entries)
    assert FlagKind.MONTH_ABOVE_TEN in kinds(entries[-1])
    assert all(FlagKind.MONTH_ABOVE_TEN not in kinds(e) for e in entries[:-1])
    assert "10,5" in EntryFlag.objects.get(entry=entries[-1], kind=FlagKind.MONTH_ABOVE_TEN).detail

"""No rubber stamp: nothing is ticked in the queue, an empty approval is refused, and an entry with an
open evidence flag is never approved in bulk until its flag is cleared with a reason."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from evidence import services as evidence_services
from evidence.models import EntryFlag, FlagKind
from org.models import AuditEvent
from review import services
from worklog.lifecycle import Approval
from worklog.models import DiaryEntry, EntryStatus

from .fixtures import MONDAY, submitted
from .test_queue_views import APPROVE, QUEUE, approve_data, as_user

pytestmark = pytest.mark.django_db

BLOCKED = "Có cảnh báo minh chứng chưa xử lý"


def approvals(*entries):
    return {e.pk: Approval(version=e.version) for e in entries}


def flag(entry, kind=FlagKind.DOCUMENT_MISSING) -> EntryFlag:
    return EntryFlag.objects.create(entry=entry, kind=kind, detail="Không tìm thấy văn bản 12/STC-NS")


def unchanged(*entries) -> bool:
    rows = DiaryEntry.objects.filter(pk__in=[e.pk for e in entries]).values_list("pk", "status", "version")
    return set(rows) == {(e.pk, EntryStatus.SUBMITTED, e.version) for e in entries}


def test_a_set_with_a_flagged_entry_is_refused_whole_naming_the_entry(org, review):
    flagged, other = review.member1_monday
    flag(flagged)
    entries = [flagged, other, review.member2_monday]

    with pytest.raises(ValidationError) as refused:
        services.entries_approve(approvals=approvals(*entries), by=org.head1)

    (message,) = refused.value.messages
    assert f"09/03/2026, {flagged.task.code}" in message
    assert org.member1.full_name in message
    assert "gỡ cảnh báo kèm lý do hoặc trả lại nhật ký" in message
    assert "Không mục nào được duyệt" in message
    assert unchanged(*entries)
    assert not AuditEvent.objects.exists()


def test_once_the_flag_is_cleared_with_a_reason_the_same_set_is_approved(org, review):
    entries = review.member1_monday
    evidence_services.flag_clear(flag=flag(entries[0]), by=org.head1, reason="Đã đối chiếu sổ văn bản giấy")

    assert services.entries_approve(approvals=approvals(*entries), by=org.head1) == 2
    assert set(
        DiaryEntry.objects.filter(pk__in=[e.pk for e in entries]).values_list("status", flat=True)
    ) == {EntryStatus.APPROVED}
    assert AuditEvent.objects.filter(action="entry.approved").count() == 2


def test_a_flag_the_evidence_resolved_no_longer_blocks(org, review):
    resolved = flag(review.member2_monday)
    resolved.resolved_at = datetime.datetime(2026, 3, 11, tzinfo=datetime.UTC)
    resolved.save(update_fields=["resolved_at"])
    assert services.entries_approve(approvals=approvals(review.member2_monday), by=org.head1) == 1


def test_an_outsider_learns_nothing_of_the_flags_of_entries_they_do_not_review(org, review):
    flag(review.member1_tuesday)
    with pytest.raises(PermissionDenied):
        services.entries_approve(approvals=approvals(review.member1_tuesday), by=org.head2)
    assert unchanged(review.member1_tuesday)


def test_nothing_is_ticked_in_the_queue_and_a_flagged_entry_cannot_be_ticked(client, org, review):
    flagged = review.member2_monday
    flag(flagged)
    page = as_user(client, org.head1).get(QUEUE).content.decode()

    assert 'name="entry"' in page
    assert " checked" not in page
    assert BLOCKED in page
    row = page[page.index(f'id="entry-{flagged.pk}"') :]
    checkbox = row[: row.index(">", row.index('name="entry"'))]
    assert "disabled" in checkbox
    other = page[page.index(f'id="entry-{review.member1_tuesday.pk}"') :]
    assert "disabled" not in other[: other.index(">", other.index('name="entry"'))]


def test_approving_with_nothing_ticked_says_so_and_changes_nothing(client, org, review):
    data = {"next": QUEUE, f"version-{review.member2_monday.pk}": review.member2_monday.version}
    response = as_user(client, org.head1).post(APPROVE, data, follow=True)

    assert [str(m) for m in response.context["messages"]] == ["Vui lòng chọn ít nhất một nhật ký để duyệt."]
    assert not DiaryEntry.objects.filter(status=EntryStatus.APPROVED).exists()
    assert not AuditEvent.objects.exists()


def test_a_forged_approval_of_a_flagged_entry_is_refused_with_the_entry_named(client, org, review):
    flagged = review.member2_monday
    flag(flagged)
    entries = [*review.member1_monday, flagged]
    response = as_user(client, org.head1).post(APPROVE, approve_data(*entries), follow=True)

    (message,) = [str(m) for m in response.context["messages"]]
    assert f"{org.member2.full_name}, 09/03/2026, {flagged.task.code}" in message
    assert "(không tìm thấy công văn đi)" in message
    assert unchanged(*entries)
    assert not AuditEvent.objects.exists()
    # The reviewer is back on the queue, every entry still there.
    assert {e.pk for d in response.context["page"].object_list for e in d.entries} >= {e.pk for e in entries}


def test_clearing_the_flag_from_the_queue_then_approving_goes_through(client, org, review):
    flagged = review.member2_monday
    raised = flag(flagged)
    client = as_user(client, org.head1)
    client.post(reverse("evidence:clear", args=[raised.pk]), {f"reason-{raised.pk}": "Văn bản giấy có thật"})

    response = client.post(APPROVE, approve_data(flagged), follow=True)
    assert [str(m) for m in response.context["messages"]][-1] == "Đã duyệt 1 nhật ký."
    flagged.refresh_from_db()
    assert flagged.status == EntryStatus.APPROVED


@pytest.mark.parametrize(("who", "status"), [("head2", 403), ("member1", 403), ("member_b", 403)])
def test_outsiders_cannot_approve_a_flagged_entry(client, org, review, who, status):
    flag(review.member2_monday)
    response = as_user(client, getattr(org, who)).post(APPROVE, approve_data(review.member2_monday))
    assert response.status_code == status
    assert unchanged(review.member2_monday)


def test_refusing_a_large_flagged_set_runs_a_fixed_number_of_queries(
    client, org, diary, review, django_assert_max_num_queries
):
    # Forty entries over two days, every other one flagged: the flags are read in one query.
    days = [MONDAY - datetime.timedelta(days=n % 2 + 1) for n in range(40)]
    entries = [submitted(org.member2, org.unit1, diary.study, day) for day in days]
    for entry in entries[::2]:
        flag(entry)
    client = as_user(client, org.head1)
    client.get(QUEUE)
    with django_assert_max_num_queries(30):
        response = client.post(APPROVE, approve_data(*entries))
    assert response.status_code == 302
    assert unchanged(*entries)


def test_the_queue_with_many_flagged_entries_runs_a_fixed_number_of_queries(
    client, org, diary, review, django_assert_max_num_queries
):
    # 7 more days of member2 (with the fixture's 3, one page of the queue); every other one flagged.
    days = [MONDAY - datetime.timedelta(days=n) for n in range(1, 8)]
    entries = [submitted(org.member2, org.unit1, diary.study, day) for day in days]
    for entry in entries[::2]:
        flag(entry)
        flag(entry, FlagKind.DAY_FAR_ABOVE)
    client = as_user(client, org.head1)
    client.get(QUEUE)
    with django_assert_max_num_queries(23):  # as test_queue_views: the same page, whatever the flags
        page = client.get(QUEUE).content.decode()
    assert page.count(BLOCKED) == 4


def test_a_flagged_entry_is_approved_on_its_own_with_a_note_that_clears_its_flags(client, org, review):
    flagged, other = review.member1_monday
    first, second = flag(flagged), flag(flagged, FlagKind.DAY_FAR_ABOVE)
    url = reverse("review:approve_with_note", args=[flagged.pk])
    page = as_user(client, org.head1).get(QUEUE).content.decode()
    assert url in page and 'data-testid="approve-with-note"' in page

    client.post(url, {"note": "Văn bản giấy số 12/STC-NS đã đối chiếu", "version": flagged.version})

    assert DiaryEntry.objects.get(pk=flagged.pk).status == EntryStatus.APPROVED
    assert DiaryEntry.objects.get(pk=other.pk).status == EntryStatus.SUBMITTED  # on its own, never in bulk
    for cleared in EntryFlag.objects.filter(pk__in=[first.pk, second.pk]):
        assert (cleared.cleared_by, cleared.cleared_reason) == (
            org.head1,
            "Văn bản giấy số 12/STC-NS đã đối chiếu",
        )
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["flag.cleared", "flag.cleared", "entry.approved"]


def test_without_a_note_or_with_a_stale_version_nothing_changes(client, org, review):
    flagged, _other = review.member1_monday
    flag(flagged)
    url = reverse("review:approve_with_note", args=[flagged.pk])
    client = as_user(client, org.head1)

    page = client.post(url, {"note": " ", "version": flagged.version}, follow=True).content.decode()
    assert "Hãy ghi lý do duyệt nhật ký dù còn cảnh báo minh chứng" in page
    client.post(url, {"note": "Đã đối chiếu", "version": flagged.version + 1})  # someone changed it meanwhile
    page = client.post(url, {"note": "Đã đối chiếu", "version": "x"}, follow=True).content.decode()
    assert "Biểu mẫu chưa đầy đủ" in page or "chưa đầy đủ" in page

    assert unchanged(flagged)
    assert EntryFlag.objects.open().filter(entry=flagged).count() == 1  # the clearing was undone too
    assert client.get(url).status_code == 405


def test_only_the_entrys_reviewer_approves_it_with_a_note(client, org, review):
    flagged, _other = review.member1_monday
    flag(flagged)
    url = reverse("review:approve_with_note", args=[flagged.pk])
    for outsider, status in ((org.member2, 404), (org.head2, 404), (org.hr, 403), (org.leader_b, 404)):
        response = as_user(client, outsider).post(url, {"note": "Ok", "version": flagged.version})
        assert response.status_code == status, outsider
    assert unchanged(flagged)

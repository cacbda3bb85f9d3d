"""Suggestions from E-Office on the day page: the documents a person drafted and the meetings they
took part in on a day, not cited by any of their entries, offered as one-click entries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.tests.factories import CatalogVersionFactory, StageFactory, StandardTaskFactory
from evidence import services
from evidence.models import CalendarAssignment, DismissedSuggestion, EntryFlag, OutgoingDocument
from worklog.models import DiaryEntry, EntryStatus
from worklog.tests.factories import DiaryEntryFactory

from .fixtures import MONDAY

pytestmark = pytest.mark.django_db

TUESDAY = MONDAY + datetime.timedelta(days=1)  # today (org.tests.factories.NOW)
ACCEPT = reverse("evidence:suggestion_accept")
DISMISS = reverse("evidence:suggestion_dismiss")


def day_url(day: datetime.date) -> str:
    return reverse("worklog:day", args=[day])


def as_user(client, user):
    client.force_login(user)
    return client


def offered(client, day: datetime.date) -> list[tuple[str, str]]:
    """(kind, reference) of each suggestion the day page shows."""
    response = client.get(day_url(day))
    assert response.status_code == 200
    text = response.content.decode()
    found = []
    for context in response.context:
        if "suggestions" in context:
            found = [(s.kind, s.reference) for s in context["suggestions"]]
            break
    assert ('data-testid="day-suggestions"' in text) == bool(found)
    return found


def accept(client, kind: str, pk: int, stage, **extra):
    data = {"kind": kind, "item": pk, "stage": getattr(stage, "pk", stage), **extra}
    return client.post(ACCEPT, data, follow=True)


def errors(response) -> list[str]:
    return [str(m) for m in response.context["messages"] if m.level_tag == "error"]


@pytest.fixture
def member1(client, org, frozen_now):
    return as_user(client, org.member1)


def test_a_drafted_document_is_suggested_accepted_and_the_entry_carries_its_number(
    member1, org, catalog, evidence
):
    assert ("document", "12/STC-NS") in offered(member1, MONDAY)
    assert "Gợi ý từ E-Office" in member1.get(day_url(MONDAY)).content.decode()
    reply = catalog.reply.stages.get(order=1)

    response = accept(member1, "document", evidence.document.pk, reply)

    assert response.redirect_chain[-1][0] == day_url(MONDAY)
    assert "Đã ghi nhật ký với minh chứng 12/STC-NS." in response.content.decode()
    entry = DiaryEntry.objects.get(person=org.member1)
    assert (entry.date, entry.evidence_ref, entry.stage, entry.quantity) == (
        MONDAY, "12/STC-NS", reply, Decimal(1),
    )  # fmt: skip
    assert (entry.norm_minutes, entry.description, entry.status) == (90, "Về dự toán 2026", EntryStatus.DRAFT)
    assert ("document", "12/STC-NS") not in offered(member1, MONDAY)
    entry.status = EntryStatus.SUBMITTED
    entry.save()
    assert services.check_entries([entry]) == 0  # the cross-check finds the document, drafted by her

    # A second day: 13/STC-NS was issued on Tuesday but is already cited by a Monday entry; 14 is not.
    for number in ("13/STC-NS", "14/STC-NS"):
        OutgoingDocument.objects.create(
            agency=org.agency, source_id=f"EO-{number}", number=number, issued_on=TUESDAY, drafter=org.member1
        )
    DiaryEntryFactory(
        person=org.member1, unit=org.unit1, stage=reply, date=MONDAY, evidence_ref="Số 13 / stc-ns"
    )
    assert offered(member1, TUESDAY) == [("document", "14/STC-NS")]
    assert ("document", "12/STC-NS") not in offered(member1, TUESDAY)


def test_the_document_picker_prefers_document_stages_and_the_meeting_picker_meeting_stages(
    member1, org, catalog, diary, evidence
):
    response = member1.get(day_url(MONDAY))
    choices = response.context["suggestion_choices"]
    document_stages = {pk for _group, options in choices["document"] for pk, _label in options}
    meeting_stages = {pk for _group, options in choices["meeting"] for pk, _label in options}
    assert catalog.reply.stages.get(order=1).pk in document_stages
    assert evidence.meeting.pk not in document_stages and diary.study.pk not in document_stages
    assert meeting_stages == {evidence.meeting.pk}


def test_a_meeting_is_suggested_and_accepted_with_its_reference_and_passes_the_cross_check(
    member1, org, evidence
):
    assert ("meeting", "Họp giao ban") in offered(member1, MONDAY)

    accept(member1, "meeting", evidence.assignment.pk, evidence.meeting)

    entry = DiaryEntry.objects.get(person=org.member1)
    assert (entry.date, entry.stage, entry.evidence_ref, entry.norm_minutes) == (
        MONDAY, evidence.meeting, "Họp giao ban", 60,
    )  # fmt: skip
    assert ("meeting", "Họp giao ban") not in offered(member1, MONDAY)
    entry.status = EntryStatus.SUBMITTED
    entry.save()
    assert services.check_entries([entry]) == 0
    assert not EntryFlag.objects.filter(entry=entry).exists()


def test_a_meeting_entry_already_logged_that_day_covers_one_meeting(client, org, evidence, frozen_now):
    # head1 logged Monday's meeting by its invitation, before any suggestion: it is not offered again,
    # but a second meeting of the calendar that day still is.
    DiaryEntryFactory(
        person=org.head1, unit=org.unit1, stage=evidence.meeting, date=MONDAY,
        evidence_ref="Giấy mời số 5/GM-UBND", description="Dự họp",
    )  # fmt: skip
    second = CalendarAssignment.objects.create(
        agency=org.agency, source_id="LICH-2", date=MONDAY, title="Kiểm tra hiện trường dự án đường ven biển"
    )
    second.participants.set([org.head1])
    client = as_user(client, org.head1)
    assert offered(client, MONDAY) == [("meeting", "Kiểm tra hiện trường dự án đường ven biển")]


def test_a_dismissed_suggestion_is_stored_and_no_longer_offered(member1, org, evidence):
    response = member1.post(DISMISS, {"kind": "document", "item": evidence.document.pk}, follow=True)
    assert response.redirect_chain[-1][0] == day_url(MONDAY)
    member1.post(DISMISS, {"kind": "document", "item": evidence.document.pk})  # twice: one row

    assert list(DismissedSuggestion.objects.values_list("person", "document", "assignment")) == [
        (org.member1.pk, evidence.document.pk, None)
    ]
    assert offered(member1, MONDAY) == [("meeting", "Họp giao ban")]
    member1.post(DISMISS, {"kind": "meeting", "item": evidence.assignment.pk})
    assert offered(member1, MONDAY) == []
    assert not DiaryEntry.objects.exists()


def test_another_persons_documents_and_meetings_are_never_offered(client, org, evidence, frozen_now):
    assert offered(as_user(client, org.member2), MONDAY) == []
    # head1 takes part in the meeting but did not draft the document.
    assert offered(as_user(client, org.head1), MONDAY) == [("meeting", "Họp giao ban")]


@pytest.mark.parametrize("who", ["member2", "head1", "member_b", "hr"])
def test_nobody_accepts_or_dismisses_someone_elses_document(client, org, catalog, evidence, frozen_now, who):
    client = as_user(client, getattr(org, who))
    reply = catalog.reply.stages.get(order=1)
    data = {"kind": "document", "item": evidence.document.pk, "stage": reply.pk}
    assert client.post(ACCEPT, data).status_code == 404
    assert client.post(DISMISS, {"kind": "document", "item": evidence.document.pk}).status_code == 404
    assert not DiaryEntry.objects.exists() and not DismissedSuggestion.objects.exists()


def test_someone_not_in_the_meeting_cannot_accept_it(client, org, evidence, frozen_now):
    client = as_user(client, org.member2)
    data = {"kind": "meeting", "item": evidence.assignment.pk, "stage": evidence.meeting.pk}
    assert client.post(ACCEPT, data).status_code == 404
    assert not DiaryEntry.objects.exists()


def test_a_locked_day_gets_the_diarys_message_and_nothing_is_created(member1, org, catalog, evidence):
    old = OutgoingDocument.objects.create(
        agency=org.agency, source_id="EO-OLD", number="3/STC-NS", issued_on=datetime.date(2026, 1, 5),
        drafter=org.member1,
    )  # fmt: skip
    assert offered(member1, old.issued_on) == []  # a day one cannot log offers nothing

    response = accept(member1, "document", old.pk, catalog.reply.stages.get(order=1))

    assert response.redirect_chain[-1][0] == day_url(old.issued_on)
    assert errors(response) == [
        "Ngày 05/01/2026 đã quá 5 ngày làm việc. "
        "Vui lòng đề nghị lãnh đạo phòng mở lại ngày này trước khi kê khai."
    ]
    assert not DiaryEntry.objects.exists()


def test_a_stage_not_in_force_gets_the_diarys_message_and_nothing_is_created(member1, org, evidence):
    elsewhere = StandardTaskFactory(version=CatalogVersionFactory(agency=org.other_agency), code="B.01")
    stage = StageFactory(task=elsewhere, order=1, name="Dự thảo", norm_minutes=30)

    response = accept(member1, "document", evidence.document.pk, stage)

    assert errors(response) == ["Công việc này không thuộc danh mục áp dụng vào ngày 09/03/2026."]
    assert not DiaryEntry.objects.exists()
    assert ("document", "12/STC-NS") in offered(member1, MONDAY)


@pytest.mark.parametrize("stage", ["", "abc", "99999999", "-1", "1" * 30])
def test_a_tampered_stage_gets_a_message_and_nothing_is_created(member1, evidence, stage):
    response = accept(member1, "document", evidence.document.pk, stage)
    assert errors(response) == ["Vui lòng chọn công việc và giai đoạn trong danh sách."]
    assert not DiaryEntry.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "document", "item": "999999"},
        {"kind": "document", "item": "abc"},
        {"kind": "document", "item": "9" * 40},
        {"kind": "letter", "item": "1"},
        {"item": "1"},
    ],
)
def test_an_unknown_item_is_not_found_and_nothing_changes(member1, catalog, evidence, data):
    stage = catalog.reply.stages.get(order=1)
    assert member1.post(ACCEPT, {**data, "stage": stage.pk}).status_code == 404
    assert member1.post(DISMISS, data).status_code == 404
    assert member1.get(ACCEPT).status_code == 405
    assert not DiaryEntry.objects.exists() and not DismissedSuggestion.objects.exists()


def test_accepting_twice_from_the_same_form_logs_once_and_a_cited_item_is_refused(
    member1, org, catalog, evidence
):
    reply = catalog.reply.stages.get(order=1)
    token = "7c0f3f52-1f7a-4c55-9a4e-3a0d7e9d2b11"
    accept(member1, "document", evidence.document.pk, reply, client_token=token)
    response = accept(member1, "document", evidence.document.pk, reply, client_token=token)
    assert errors(response) == [] and DiaryEntry.objects.count() == 1

    response = accept(member1, "document", evidence.document.pk, reply)  # another form: already cited
    assert errors(response) == ["Nhật ký đã có mục dẫn minh chứng này nên không còn gợi ý nữa."]
    assert DiaryEntry.objects.count() == 1


def test_the_day_page_runs_a_bounded_number_of_queries_with_30_documents(
    member1, org, evidence, django_assert_max_num_queries
):
    OutgoingDocument.objects.bulk_create(
        OutgoingDocument(
            agency=org.agency, source_id=f"EO-{n}", number=f"{n}/STC-NS", number_key=f"{n}/STC-NS",
            issued_on=MONDAY, drafter=org.member1,
        )
        for n in range(100, 130)
    )  # fmt: skip
    with django_assert_max_num_queries(33):
        response = member1.get(day_url(MONDAY))
    assert response.content.decode().count('data-testid="suggestion"') == 32  # 31 documents, 1 meeting


def test_accepting_and_dismissing_run_a_bounded_number_of_queries(
    member1, catalog, evidence, django_assert_max_num_queries
):
    reply = catalog.reply.stages.get(order=1)
    # The second-factor check reads the person's roles first (org/otp.py, SecondFactorMiddleware): +2.
    with django_assert_max_num_queries(28):
        response = member1.post(ACCEPT, {"kind": "document", "item": evidence.document.pk, "stage": reply.pk})
    assert response.status_code == 302 and DiaryEntry.objects.count() == 1
    with django_assert_max_num_queries(14):
        response = member1.post(DISMISS, {"kind": "meeting", "item": evidence.assignment.pk})
    assert response.status_code == 302 and DismissedSuggestion.objects.count() == 1


def test_the_day_panel_redrawn_by_htmx_keeps_the_suggestions(member1, evidence):
    # After an entry is added with htmx, the panel is redrawn: the suggestions come with it.
    response = member1.get(day_url(MONDAY), HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert 'id="day-panel"' in text and 'data-testid="day-suggestions"' in text and "12/STC-NS" in text

"""The leave register: which days count, who keeps whose leave, overlaps refused, every change audited and
the figures marked stale; the pages (list, add, delete, import) with their permissions and bad input."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from org import calendar, leave
from org.models import AuditEvent, CalendarOverride, Leave, LeaveKind, Notification, StalePerson
from org.tests.factories import MembershipFactory, UnitFactory
from worklog import selectors as worklog_selectors
from worklog import tasks as worklog_tasks
from worklog.tests.factories import DiaryEntryFactory

pytestmark = pytest.mark.django_db

D = datetime.date
MARCH = D(2026, 3, 1)


def record(org, person, start, end, *, by=None, kind=LeaveKind.ANNUAL, note=""):
    return leave.leave_record(
        by=by or org.hr, agency=org.agency, entry=leave.LeaveInput(person, start, end, kind, note)
    )


# Which days count ---------------------------------------------------------------------------------


def test_only_the_agency_s_working_days_of_a_leave_count(org):
    # Thursday 30/04/2026 and Friday 01/05 are holidays; 02–03/05 a weekend: a leave over them takes
    # only Wednesday 29/04 and Monday 04/05.
    record(org, org.member1, D(2026, 4, 29), D(2026, 5, 4))
    CalendarOverride.objects.create(agency=org.agency, date=D(2026, 5, 4), is_working_day=False, reason="Bão")

    days = leave.leave_days([org.member1.pk, org.member2.pk], D(2026, 4, 1), D(2026, 5, 31))

    assert days == {org.member1.pk: {D(2026, 4, 29)}}
    april = len(calendar.working_days(org.agency, D(2026, 4, 1), D(2026, 4, 30)))
    assert leave.days_worked(org.member1, org.agency, D(2026, 4, 1), D(2026, 4, 30)) == april - 1
    assert leave.days_worked(org.member2, org.agency, D(2026, 4, 1), D(2026, 4, 30)) == april


def test_a_period_cuts_a_leave_that_runs_over_it(org):
    record(org, org.member1, D(2026, 3, 30), D(2026, 4, 3))

    assert leave.leave_days([org.member1.pk], MARCH, D(2026, 3, 31)) == {
        org.member1.pk: {D(2026, 3, 30), D(2026, 3, 31)}
    }
    assert leave.days_worked(org.member1.pk, org.agency, MARCH, D(2026, 3, 31)) == 22 - 2


# Writes --------------------------------------------------------------------------------------------


def test_an_overlapping_leave_of_the_same_person_is_refused_and_another_person_s_is_not(org):
    record(org, org.member1, D(2026, 3, 9), D(2026, 3, 13))

    with pytest.raises(ValidationError, match="13/03/2026"):
        record(org, org.member1, D(2026, 3, 13), D(2026, 3, 16))
    record(org, org.member1, D(2026, 3, 16), D(2026, 3, 16))
    record(org, org.member2, D(2026, 3, 9), D(2026, 3, 13))

    assert Leave.objects.filter(person=org.member1).count() == 2


def test_a_leave_ending_before_it_starts_is_refused(org):
    with pytest.raises(ValidationError):
        record(org, org.member1, D(2026, 3, 13), D(2026, 3, 9))
    assert not Leave.objects.exists()


def test_hr_keeps_everyone_s_leave_a_unit_head_their_members_and_nobody_else_any(org):
    record(org, org.head1, D(2026, 3, 2), D(2026, 3, 2), by=org.hr)
    record(org, org.member1, D(2026, 3, 3), D(2026, 3, 3), by=org.head1)
    for by, person in [
        (org.head1, org.head1),  # not their own
        (org.head1, org.hr),  # not another unit's
        (org.member1, org.member2),
        (org.leader_b, org.member1),
    ]:
        with pytest.raises(PermissionDenied):
            record(org, person, D(2026, 3, 4), D(2026, 3, 4), by=by)
    with pytest.raises(PermissionDenied):
        leave.leave_record(
            by=org.hr, agency=org.other_agency, entry=leave.LeaveInput(org.member_b, MARCH, MARCH)
        )
    assert Leave.objects.count() == 2


def test_recording_and_deleting_are_audited_and_mark_the_person_s_months_stale(org):
    made = record(org, org.member1, D(2026, 3, 30), D(2026, 4, 2), note="Phép năm")

    assert set(StalePerson.objects.values_list("month", "person")) == {
        (MARCH, org.member1.pk),
        (D(2026, 4, 1), org.member1.pk),
    }
    StalePerson.objects.all().delete()
    pk = made.pk
    leave.leave_delete(by=org.head1, leave=made)

    assert not Leave.objects.exists()
    assert set(StalePerson.objects.values_list("person", flat=True)) == {org.member1.pk}
    events = AuditEvent.objects.filter(object_type="leave", object_id=pk).order_by("pk")
    assert [(e.action, e.actor) for e in events] == [("leave.recorded", org.hr), ("leave.deleted", org.head1)]
    assert events[0].after["note"] == "Phép năm" and events[0].person == org.member1


# Reminders and "who logged nothing" ----------------------------------------------------------------


def test_nobody_on_leave_is_reminded_or_listed_for_a_leave_day(org, diary, eager_celery):
    monday = D(2026, 3, 9)
    record(org, org.member2, monday, monday)
    record(org, org.hr, D(2026, 3, 2), D(2026, 3, 6))

    worklog_tasks.remind_missing_entries(on="2026-03-10")  # about Monday 09/03

    reminded = set(
        Notification.objects.filter(key__startswith="missing-entry").values_list(
            "recipient__username", flat=True
        )
    )
    assert "member2" not in reminded and "member1" in reminded

    for day in (D(2026, 3, 2), D(2026, 3, 3), D(2026, 3, 4), D(2026, 3, 5)):
        DiaryEntryFactory(person=org.member2, unit=org.unit1, stage=diary.study, date=day)
    missing = {m.person.username: m.days for m in worklog_selectors.missing_days(org.head1, D(2026, 3, 10))}
    assert missing["member2"] == [D(2026, 3, 6)]  # Monday 09/03 was leave
    missing_hr = {
        m.person.username: m.days for m in worklog_selectors.missing_days(org.head2, D(2026, 3, 10))
    }
    assert missing_hr["hr"] == [monday]  # the week before was leave


# Pages ---------------------------------------------------------------------------------------------


def as_user(client, user):
    client.force_login(user)
    return client


def test_outsiders_get_403_on_every_page_of_the_register(client, org):
    made = record(org, org.member1, D(2026, 3, 9), D(2026, 3, 9))
    as_user(client, org.member1)
    for url in (reverse("org:leave"), reverse("org:leave_create"), reverse("org:leave_import")):
        assert client.get(url).status_code == 403
    assert client.get(reverse("org:leave_delete", args=[made.pk])).status_code == 403
    assert client.post(reverse("org:leave_delete", args=[made.pk])).status_code == 403
    # The head of another unit neither.
    as_user(client, org.head2)
    assert client.post(reverse("org:leave_delete", args=[made.pk])).status_code == 403
    assert Leave.objects.filter(pk=made.pk).exists()
    client.logout()
    assert client.get(reverse("org:leave")).status_code == 302  # to the login page


def test_the_month_s_list_filters_and_pages_in_a_fixed_number_of_queries(
    client, org, django_assert_max_num_queries
):
    unit = UnitFactory(agency=org.agency, code="KT", name="Phòng Kế toán")
    people = [MembershipFactory(unit=unit, person__username=f"nv{i:02}").person for i in range(60)]
    Leave.objects.bulk_create(
        [Leave(person=p, agency=org.agency, start=D(2026, 3, 10), end=D(2026, 3, 11)) for p in people]
        + [
            Leave(
                person=org.member1,
                agency=org.agency,
                start=D(2026, 3, 2),
                end=D(2026, 3, 2),
                kind=LeaveKind.SICK,
            )
        ]
    )
    as_user(client, org.hr)

    with django_assert_max_num_queries(15):
        first = client.get(reverse("org:leave"), {"month": "2026-03"})
    with django_assert_max_num_queries(15):
        second = client.get(reverse("org:leave"), {"month": "2026-03", "page": 2})
    sick = client.get(reverse("org:leave"), {"month": "2026-03", "kind": LeaveKind.SICK})
    april = client.get(reverse("org:leave"), {"month": "2026-04"})

    assert first.status_code == 200 and len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.count == 61
    assert len(second.context["page"].object_list) == 11
    assert [lv.person for lv in sick.context["page"].object_list] == [org.member1]
    assert not april.context["page"].object_list
    # The head of unit 1 sees their members' leave only.
    as_user(client, org.head1)
    mine = client.get(reverse("org:leave"), {"month": "2026-03"})
    assert [lv.person for lv in mine.context["page"].object_list] == [org.member1]


def test_a_bad_month_filter_shows_this_month_with_a_message(client, org):
    response = as_user(client, org.hr).get(reverse("org:leave"), {"month": "2026-13", "kind": "holiday"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_hr_records_a_leave_by_the_form_and_bad_input_changes_nothing(client, org):
    as_user(client, org.hr)
    url = reverse("org:leave_create") + "?agency=STC"
    ok = client.post(
        url,
        {"person": org.member1.pk, "start": "09/03/2026", "end": "10/03/2026", "kind": "sick", "note": "Sốt"},
    )
    assert ok.status_code == 302
    made = Leave.objects.get()
    assert (made.start, made.end, made.kind, made.created_by) == (
        D(2026, 3, 9),
        D(2026, 3, 10),
        "sick",
        org.hr,
    )

    for data in (
        {"person": org.member1.pk, "start": "10/03/2026", "end": "11/03/2026", "kind": "annual"},  # overlaps
        {"person": org.member1.pk, "start": "20/03/2026", "end": "19/03/2026", "kind": "annual"},
        {"person": org.member1.pk, "start": "31/02/2026", "end": "x", "kind": "annual"},
        {"person": org.member1.pk, "start": "20/03/2026", "end": "20/03/2026", "kind": "business_trip"},
        {"person": org.member_b.pk, "start": "20/03/2026", "end": "20/03/2026", "kind": "annual"},
    ):
        response = client.post(url, data)
        assert response.status_code == 200
        assert response.context["form"].errors
    assert Leave.objects.count() == 1


def test_the_unit_head_deletes_a_member_s_leave_after_confirming(client, org):
    made = record(org, org.member1, D(2026, 3, 9), D(2026, 3, 9))
    as_user(client, org.head1)
    url = reverse("org:leave_delete", args=[made.pk])

    confirm = client.get(url)
    assert confirm.status_code == 200 and "09/03/2026" in confirm.content.decode()
    assert Leave.objects.exists()
    assert client.post(url).status_code == 302
    assert not Leave.objects.exists()
    assert client.get(url).status_code == 404


def upload(rows, name="nghi-phep.csv", header=("Tên đăng nhập", "Từ ngày", "Đến ngày", "Loại", "Ghi chú")):
    lines = [",".join(header)] + [",".join(row) for row in rows]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode("utf-8"), content_type="text/csv")


def test_an_import_records_every_row_or_none_with_each_bad_row_named(client, org):
    as_user(client, org.hr)
    url = reverse("org:leave_import") + "?agency=STC"
    bad = client.post(
        url,
        {
            "file": upload(
                [
                    ("member1", "09/03/2026", "10/03/2026", "nghỉ phép", ""),
                    ("nobody", "09/03/2026", "10/03/2026", "", ""),
                    ("member2", "2026/03/09", "10/03/2026", "nghỉ ốm", ""),
                    ("member2", "11/03/2026", "12/03/2026", "công tác", ""),
                    ("member1", "10/03/2026", "10/03/2026", "", "trùng"),
                    ("member_b", "10/03/2026", "10/03/2026", "", ""),
                ]
            )
        },
    )
    assert bad.status_code == 200
    text = bad.content.decode()
    for expected in ("nobody", "2026/03/09", "công tác"):
        assert expected in text
    assert not Leave.objects.exists()

    # The overlap inside the file and the other agency's person are found once the cells are good.
    second = client.post(
        url,
        {
            "file": upload(
                [
                    ("member1", "09/03/2026", "10/03/2026", "nghỉ phép", ""),
                    ("MEMBER1", "10/03/2026", "10/03/2026", "", "trùng"),
                    ("member_b", "10/03/2026", "10/03/2026", "", ""),
                ]
            )
        },
    )
    messages = [p.message for p in second.context["problems"]]
    assert any(m.startswith(("Row 3", "Dòng 3")) for m in messages), messages
    assert any(m.startswith(("Row 4", "Dòng 4")) for m in messages), messages
    assert not Leave.objects.exists()

    good = client.post(
        url,
        {
            "file": upload(
                [
                    ("member1", "09/03/2026", "10/03/2026", "nghỉ phép", ""),
                    ("member2", "11/03/2026", "11/03/2026", "ốm", ""),
                ],
            )
        },
    )
    assert good.status_code == 302
    assert set(Leave.objects.values_list("person__username", "kind")) == {
        ("member1", "annual"),
        ("member2", "sick"),
    }
    assert AuditEvent.objects.filter(action="leave.imported").count() == 2


def test_an_english_header_and_an_xlsx_file_are_read_too(client, org):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["username", "from", "to", "kind", "note"])
    sheet.append(["member1", datetime.datetime(2026, 3, 9), "10/03/2026", "annual", ""])
    content = io.BytesIO()
    book.save(content)
    as_user(client, org.hr)

    response = client.post(
        reverse("org:leave_import") + "?agency=STC",
        {"file": SimpleUploadedFile("leave.xlsx", content.getvalue())},
    )

    assert response.status_code == 302
    assert Leave.objects.get().start == D(2026, 3, 9)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("leave.pdf", b"%PDF-1.4"),
        ("leave.csv", b""),
        ("leave.xlsx", b"PK\x03\x04 not a zip"),
        ("leave.csv", b"a,b\n1,2\n"),
    ],
)
def test_a_file_that_is_not_a_leave_table_is_refused_with_a_message(client, org, name, content):
    as_user(client, org.hr)
    response = client.post(
        reverse("org:leave_import") + "?agency=STC", {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    assert response.context["problems"] or response.context["form"].errors
    assert not Leave.objects.exists()


def test_the_form_the_deletion_and_the_import_run_a_bounded_number_of_queries(
    client, org, django_assert_max_num_queries
):
    as_user(client, org.hr)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("org:leave_create")).status_code == 200
    with django_assert_max_num_queries(30):
        client.post(
            reverse("org:leave_create"),
            {"person": org.member1.pk, "start": "09/03/2026", "end": "09/03/2026", "kind": "annual"},
        )
    made = Leave.objects.get()
    with django_assert_max_num_queries(15):
        assert client.get(reverse("org:leave_delete", args=[made.pk])).status_code == 200
    rows = [
        (f"member{n % 2 + 1}", f"{d:02}/04/2026", f"{d:02}/04/2026", "", "")
        for n, d in enumerate(range(1, 29))
    ]
    with django_assert_max_num_queries(40):  # the same for 28 rows as for 2
        assert client.post(reverse("org:leave_import"), {"file": upload(rows)}).status_code == 302
    assert Leave.objects.count() == 1 + 28

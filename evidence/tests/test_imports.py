"""Importing E-Office exports: every problem named with its row and column, all or nothing,
idempotent by source id, and the diaries checked again afterwards."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from catalog.tests.factories import StageFactory, StandardTaskFactory
from evidence import imports
from evidence.imports import CALENDAR_HEADERS, DOCUMENT_HEADERS, ImportKind
from evidence.models import CalendarAssignment, EntryFlag, FlagKind, OutgoingDocument
from evidence.services import check_entries
from org.models import AuditEvent
from worklog.models import EntryStatus
from worklog.tests.factories import DiaryEntryFactory

pytestmark = pytest.mark.usefixtures("frozen_now")

MONDAY = datetime.date(2026, 3, 9)
DOCUMENTS = [
    ["VB-001", "12/STC-NS", "09/03/2026", "V/v hướng dẫn lập dự toán", "member1", "NS"],
    ["VB-002", "13/STC-NS", datetime.datetime(2026, 3, 9), "", "", ""],
    ["VB-003", "5/BC-STC", "2026-03-06", "Báo cáo tháng 2", "", "Văn phòng Sở"],
]
CALENDAR = [
    ["LCT-001", "09/03/2026", "08:00", "11:00", "Họp", "Họp giao ban tuần", "head1; member1"],
    ["LCT-002", datetime.datetime(2026, 3, 10), datetime.time(13, 30), "", "Đi cơ sở", "Kiểm tra", "member2"],
]  # fmt: skip


def xlsx(rows, headers) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, headers, *, delimiter=",", bom=True) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def documents_file(rows=DOCUMENTS) -> bytes:
    return xlsx(rows, DOCUMENT_HEADERS)


def calendar_file(rows=CALENDAR) -> bytes:
    return xlsx(rows, CALENDAR_HEADERS)


def run(org, kind, content, filename="e-office.xlsx"):
    return imports.import_file(agency=org.agency, kind=kind, filename=filename, content=content, by=org.hr)


def evidence_state() -> tuple:
    """Everything a refused import must leave as it was."""
    documents = OutgoingDocument.objects.order_by("source_id").values_list(
        "agency_id", "source_id", "number", "issued_on", "summary", "drafter_id", "drafting_unit_id"
    )
    assignments = CalendarAssignment.objects.order_by("source_id")
    return (
        tuple(documents),
        tuple(
            (a.source_id, a.date, a.start_time, a.end_time, a.kind, a.title,
             tuple(sorted(a.participants.values_list("username", flat=True))))
            for a in assignments
        ),
    )  # fmt: skip


def where(result) -> set[tuple]:
    return {(p.row, p.column) for p in result.problems}


# --- Good files ------------------------------------------------------------------------------------------


def test_a_documents_file_is_imported_with_drafters_and_units(org):
    result = run(org, ImportKind.DOCUMENTS, documents_file())

    assert result.ok, result.problems
    assert result.counts() == {"rows": 3, "created": 3, "updated": 0, "unchanged": 0}
    first, second, third = OutgoingDocument.objects.filter(agency=org.agency).order_by("source_id")
    assert (first.number, first.number_key, first.issued_on) == ("12/STC-NS", "12/STC-NS", MONDAY)
    assert (first.drafter, first.drafting_unit, first.summary) == (
        org.member1,
        org.unit1,
        "V/v hướng dẫn lập dự toán",
    )
    assert (second.issued_on, second.drafter, second.drafting_unit) == (MONDAY, None, None)
    assert (third.issued_on, third.drafting_unit) == (datetime.date(2026, 3, 6), org.unit2)  # unit by name


def test_a_calendar_file_is_imported_with_its_participants(org):
    result = run(org, ImportKind.CALENDAR, calendar_file())

    assert result.ok, result.problems
    assert result.counts() == {"rows": 2, "created": 2, "updated": 0, "unchanged": 0}
    assert evidence_state()[1] == (
        ("LCT-001", MONDAY, datetime.time(8), datetime.time(11), "meeting", "Họp giao ban tuần",
         ("head1", "member1")),
        ("LCT-002", datetime.date(2026, 3, 10), datetime.time(13, 30), None, "field_visit", "Kiểm tra",
         ("member2",)),
    )  # fmt: skip


def test_a_utf8_csv_with_semicolons_reads_like_the_spreadsheet(org):
    rows = [["LCT-001", "09/03/2026", "8h00", "11:00", "họp", "Họp giao ban tuần", "member1, head1"],
            ["LCT-002", "10/03/2026", "13:30", "", "Đi cơ sở", "Kiểm tra dự án", "MEMBER2"]]  # fmt: skip

    result = run(org, ImportKind.CALENDAR, csv_bytes(rows, CALENDAR_HEADERS, delimiter=";"), "lich.csv")

    assert result.ok, result.problems
    assert [row[-1] for row in evidence_state()[1]] == [("head1", "member1"), ("member2",)]


def test_optional_columns_may_be_left_out(org):
    rows = [["LCT-001", "09/03/2026", "Họp giao ban tuần", "member1"]]
    headers = ["Mã nguồn", "Ngày", "Nội dung", "Người tham dự"]

    result = run(org, ImportKind.CALENDAR, csv_bytes(rows, headers, bom=False), "lich.csv")

    assert result.ok, result.problems
    assert CalendarAssignment.objects.get().kind == "meeting"  # an empty kind is a meeting


# --- Idempotent by source id -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [ImportKind.DOCUMENTS, ImportKind.CALENDAR])
def test_importing_the_same_file_again_changes_nothing(org, kind):
    content = documents_file() if kind == ImportKind.DOCUMENTS else calendar_file()
    first = run(org, kind, content)
    before = evidence_state()

    again = run(org, kind, content)

    assert again.ok
    assert (again.created, again.updated, again.unchanged) == (0, 0, first.created)
    assert evidence_state() == before


def test_a_changed_document_is_updated_in_place(org):
    run(org, ImportKind.DOCUMENTS, documents_file())
    pk = OutgoingDocument.objects.get(source_id="VB-002").pk
    rows = [list(row) for row in DOCUMENTS]
    rows[1][1:] = ["13 / stc-ns", "10/03/2026", "Đã sửa trích yếu", "member2", "NS"]

    result = run(org, ImportKind.DOCUMENTS, documents_file(rows))

    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    document = OutgoingDocument.objects.get(source_id="VB-002")
    assert document.pk == pk
    assert (document.number_key, document.issued_on, document.summary) == (
        "13/STC-NS",
        datetime.date(2026, 3, 10),
        "Đã sửa trích yếu",
    )
    assert (document.drafter, document.drafting_unit) == (org.member2, org.unit1)
    assert OutgoingDocument.objects.count() == 3


def test_reimporting_an_assignment_replaces_its_participants(org):
    run(org, ImportKind.CALENDAR, calendar_file())
    rows = [list(row) for row in CALENDAR]
    rows[0][-1] = "member2;head1"

    result = run(org, ImportKind.CALENDAR, calendar_file(rows))

    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assignment = CalendarAssignment.objects.get(source_id="LCT-001")
    assert sorted(assignment.participants.values_list("username", flat=True)) == ["head1", "member2"]
    assert CalendarAssignment.objects.count() == 2


def test_the_same_source_id_in_another_agency_is_another_document(org):
    run(org, ImportKind.DOCUMENTS, documents_file([["VB-001", "1/SXD-VP", "09/03/2026", "", "", ""]]))
    imports.import_file(
        agency=org.other_agency,
        kind=ImportKind.DOCUMENTS,
        filename="sxd.xlsx",
        content=documents_file([["VB-001", "1/SXD-VP", "09/03/2026", "", "member_b", "QLXD"]]),
        by=None,
    )

    assert OutgoingDocument.objects.filter(source_id="VB-001").count() == 2


def test_an_import_takes_the_same_number_of_queries_whatever_its_size(org):
    def queries(rows):
        with CaptureQueriesContext(connection) as captured:
            assert run(org, ImportKind.CALENDAR, calendar_file(rows)).ok
        return len(captured)

    small = [["S-1", "09/03/2026", "", "", "Họp", "Họp", "member1"]]
    large = [[f"L-{n}", "09/03/2026", "", "", "Họp", f"Họp {n}", "member1;member2"] for n in range(60)]

    assert queries(large) == queries(small)


def test_the_import_is_in_the_audit_trail(org):
    result = run(org, ImportKind.DOCUMENTS, documents_file())

    event = AuditEvent.objects.get(action="evidence.imported")
    assert (event.actor, event.agency) == (org.hr, org.agency)
    assert event.after == {"kind": "documents", "file": "e-office.xlsx", **result.counts()}


# --- Row problems: all or nothing ------------------------------------------------------------------------

GOOD_DOCUMENT = ["VB-100", "100/STC-NS", "09/03/2026", "Trích yếu", "member1", "NS"]
GOOD_MEETING = ["LCT-100", "09/03/2026", "08:00", "10:00", "Họp", "Họp giao ban", "member1"]


@pytest.mark.parametrize(
    ("change", "column"),
    [
        ({0: ""}, "Mã nguồn"),
        ({0: "x" * 101}, "Mã nguồn"),
        ({1: ""}, "Số ký hiệu"),
        ({1: "1/" + "X" * 100}, "Số ký hiệu"),
        ({2: ""}, "Ngày ban hành"),
        ({2: "31/02/2026"}, "Ngày ban hành"),
        ({2: "hôm qua"}, "Ngày ban hành"),
        ({2: "09/03/1926"}, "Ngày ban hành"),
        ({3: "x" * 2001}, "Trích yếu"),
        ({4: "nobody"}, "Người soạn thảo"),
        ({4: "member_b"}, "Người soạn thảo"),  # a person of another agency
        ({5: "QLXD"}, "Đơn vị soạn thảo"),  # a unit of another agency
        ({5: "Phòng không có"}, "Đơn vị soạn thảo"),
    ],
)
def test_a_bad_document_cell_is_named_by_row_and_column_and_nothing_is_written(org, change, column):
    run(org, ImportKind.DOCUMENTS, documents_file([DOCUMENTS[0]]))
    before = evidence_state()
    bad = [change.get(i, cell) for i, cell in enumerate(GOOD_DOCUMENT)]

    result = run(org, ImportKind.DOCUMENTS, documents_file([[*DOCUMENTS[1]], bad]))

    assert where(result) == {(3, column)}
    assert (result.created, result.updated) == (0, 0)
    assert evidence_state() == before


@pytest.mark.parametrize(
    ("change", "column"),
    [
        ({1: ""}, "Ngày"),
        ({1: "2026/03/09"}, "Ngày"),
        ({2: "25:00"}, "Từ giờ"),
        ({2: "sáng"}, "Từ giờ"),
        ({3: "8:60"}, "Đến giờ"),
        ({2: "14:00", 3: "09:00"}, "Đến giờ"),  # ends before it starts
        ({4: "Ăn trưa"}, "Loại"),
        ({5: ""}, "Nội dung"),
        ({5: "x" * 501}, "Nội dung"),
        ({6: ""}, "Người tham dự"),
        ({6: " ; , "}, "Người tham dự"),
        ({6: "member1; nobody"}, "Người tham dự"),
        ({6: "member_b"}, "Người tham dự"),
    ],
)
def test_a_bad_calendar_cell_is_named_by_row_and_column_and_nothing_is_written(org, change, column):
    bad = [change.get(i, cell) for i, cell in enumerate(GOOD_MEETING)]

    result = run(org, ImportKind.CALENDAR, calendar_file([CALENDAR[0], CALENDAR[1], bad]))

    assert where(result) == {(4, column)}
    assert not CalendarAssignment.objects.exists()


def test_every_problem_of_a_file_is_listed_at_once(org):
    rows = [
        DOCUMENTS[0],
        ["VB-001", "14/STC-NS", "09/03/2026", "", "", ""],  # the same source id as row 2
        ["", "", "", "", "nobody", "QLXD"],
        [None] * 6,  # empty rows are skipped but keep their number
        ["VB-009", "15/STC-NS", "32/13/2026", "", "", ""],
    ]

    result = run(org, ImportKind.DOCUMENTS, documents_file(rows))

    assert where(result) == {
        (3, "Mã nguồn"),
        (4, "Mã nguồn"),
        (4, "Số ký hiệu"),
        (4, "Ngày ban hành"),
        (4, "Người soạn thảo"),
        (4, "Đơn vị soạn thảo"),
        (6, "Ngày ban hành"),
    }
    assert not OutgoingDocument.objects.exists()


def test_problems_read_in_the_interface_language(org):
    rows = [DOCUMENTS[0], ["VB-001", "14/STC-NS", "09/03/2026", "", "", ""]]

    with translation.override("en"):
        result = run(org, ImportKind.DOCUMENTS, documents_file(rows))

    assert [p.message for p in result.problems] == ["The source id VB-001 already appears in row 2."]


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("cong-van.pdf", b"%PDF-1.4 something"),
        ("cong-van.xlsx", b""),
        ("cong-van.xlsx", b"\x00\x01garbage\xff" * 50),
        ("cong-van.csv", "Số,Ngày\n1/STC,09/03/2026\n".encode()),  # wrong headers
        ("cong-van.csv", "Mã nguồn,Số ký hiệu,Ngày ban hành\nVB-1,1/STC-NS,09/03/2026\n".encode("utf-16")),
        ("cong-van.csv", "Mã nguồn,Số ký hiệu,Ngày ban hành\n".encode()),  # headers only
    ],
)
def test_a_file_that_cannot_be_read_is_refused_as_a_whole(org, filename, content):
    result = run(org, ImportKind.DOCUMENTS, content, filename)

    assert len(result.problems) == 1
    assert result.problems[0].row is None
    assert not OutgoingDocument.objects.exists()


def test_a_file_above_the_size_limit_is_refused(org, settings):
    settings.CATALOG_IMPORT_MAX_BYTES = 1000

    result = run(org, ImportKind.DOCUMENTS, documents_file())

    assert [(p.row, p.column) for p in result.problems] == [(None, None)]
    assert not OutgoingDocument.objects.exists()


def test_a_missing_column_is_named(org):
    with translation.override("en"):
        result = run(
            org, ImportKind.CALENDAR, csv_bytes([["X", "09/03/2026"]], ["Mã nguồn", "Ngày"]), "l.csv"
        )

    assert "Nội dung, Người tham dự" in result.problems[0].message


# --- The cross-check runs again --------------------------------------------------------------------------


def submitted(person, unit, stage, day, evidence):
    return DiaryEntryFactory(
        person=person,
        unit=unit,
        stage=stage,
        date=day,
        quantity=Decimal(1),
        status=EntryStatus.SUBMITTED,
        evidence_ref=evidence,
    )


def test_a_flag_disappears_when_the_missing_document_is_imported_later(
    org, diary, eager_celery, django_capture_on_commit_callbacks
):
    entry = submitted(org.member1, org.unit1, diary.budget_intake, MONDAY, "12/STC-NS")
    check_entries([entry])
    flag = EntryFlag.objects.open().get(entry=entry)
    assert flag.kind == FlagKind.DOCUMENT_MISSING

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run(org, ImportKind.DOCUMENTS, documents_file([DOCUMENTS[0]]))

    assert len(callbacks) >= 1
    assert not EntryFlag.objects.open().filter(entry=entry).exists()
    flag.refresh_from_db()
    assert flag.resolved_at is not None


def test_a_meeting_flag_disappears_when_the_calendar_is_imported(
    org, catalog, eager_celery, django_capture_on_commit_callbacks
):
    task = StandardTaskFactory(
        version=catalog.version, code="A.02", evidence_kind="meeting", output_unit="cuộc họp"
    )
    stage = StageFactory(task=task, order=1, norm_minutes=120)
    entry = submitted(org.member1, org.unit1, stage, MONDAY, "Lịch công tác tuần 11, ngày 09/03/2026")
    check_entries([entry])
    assert EntryFlag.objects.open().get(entry=entry).kind == FlagKind.NOT_ASSIGNED

    with django_capture_on_commit_callbacks(execute=True):
        run(org, ImportKind.CALENDAR, calendar_file())

    assert not EntryFlag.objects.open().filter(entry=entry).exists()


def test_an_import_that_changes_nothing_or_fails_starts_no_check(org, django_capture_on_commit_callbacks):
    run(org, ImportKind.DOCUMENTS, documents_file())

    with django_capture_on_commit_callbacks() as callbacks:
        run(org, ImportKind.DOCUMENTS, documents_file())
        run(org, ImportKind.DOCUMENTS, documents_file([["", "", "", "", "", ""]]))

    assert callbacks == []


# --- Commands --------------------------------------------------------------------------------------------


def test_the_documents_command_imports_and_prints_the_counts(org, tmp_path):
    path = tmp_path / "cong-van-di.xlsx"
    path.write_bytes(documents_file())
    out = io.StringIO()

    call_command("import_documents", str(path), agency="stc", stdout=out)

    assert "3 rows, 3 created, 0 updated, 0 unchanged" in out.getvalue()
    assert OutgoingDocument.objects.filter(agency=org.agency).count() == 3


def test_the_calendar_command_imports_a_csv(org, tmp_path):
    path = tmp_path / "lich.csv"
    path.write_bytes(csv_bytes(CALENDAR[:1], CALENDAR_HEADERS))
    out = io.StringIO()

    call_command("import_calendar", str(path), agency="STC", stdout=out)

    assert "1 rows, 1 created" in out.getvalue()


def test_a_command_with_problems_lists_them_and_writes_nothing(org, tmp_path):
    path = tmp_path / "lich.xlsx"
    path.write_bytes(calendar_file([CALENDAR[0], ["LCT-001", "09/03/2026", "", "", "", "Họp", "nobody"]]))
    err = io.StringIO()

    with pytest.raises(CommandError, match="2 problem"):
        call_command("import_calendar", str(path), agency="STC", stderr=err)

    assert "row 3, Mã nguồn: " in err.getvalue()
    assert "row 3, Người tham dự: " in err.getvalue()
    assert not CalendarAssignment.objects.exists()


def test_a_command_refuses_an_unknown_agency_or_file(org, tmp_path):
    with pytest.raises(CommandError, match="No agency"):
        call_command("import_documents", str(tmp_path / "x.xlsx"), agency="XYZ")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_documents", str(tmp_path / "missing.xlsx"), agency="STC")

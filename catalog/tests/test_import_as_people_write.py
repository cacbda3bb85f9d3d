"""Catalog files as Vietnamese offices write them (issue 17 item 5): title rows above the header, the
usual spellings of each value; and files that would exhaust the server refused quickly (issue 19)."""

import io
import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation

from catalog import spreadsheets
from catalog.models import EvidenceKind, ImportStatus
from evidence import imports as evidence_imports
from evidence.models import OutgoingDocument

from .fixtures import catalog_state
from .test_import import GOOD_ROWS, HEADERS, check, draft_tasks, import_ok, xlsx

DOCS = Path(__file__).resolve().parents[2] / "docs" / "catalog-format.md"


def with_titles(rows, headers=HEADERS) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["UBND TỈNH KHÁNH HÒA"])
    sheet.append(["SỞ TÀI CHÍNH"])
    sheet.append([])
    sheet.append(["DANH MỤC CÔNG VIỆC VÀ ĐỊNH MỨC THỜI GIAN"])
    sheet.append(["(Kèm theo Quyết định số 125/QĐ-STC ngày 02/01/2026)"])
    sheet.append([])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_catalog_with_title_rows_above_the_header_is_imported(org, catalog):
    import_ok(org, with_titles(GOOD_ROWS))

    assert set(draft_tasks(org)) == {"C.01", "B.02"}


def test_problems_of_a_file_with_title_rows_name_the_rows_as_the_spreadsheet_shows_them(org, catalog):
    bad = [*GOOD_ROWS[:2], ["B.02", "Họp", "E", 1, "Dự họp", 120, "cuộc họp", "Cuộc họp", ""]]

    record = check(org, with_titles(bad))

    assert [(p["row"], p["column"]) for p in record.problems] == [(10, spreadsheets.GROUP)]


def test_a_csv_with_a_title_line_and_semicolons_is_imported(org, catalog):
    lines = ["DANH MỤC CÔNG VIỆC;;;;;;;;", ";;;;;;;;", ";".join(HEADERS)]
    lines += [";".join(f'"{cell}"' for cell in row) for row in GOOD_ROWS]

    import_ok(org, ("\r\n".join(lines) + "\r\n").encode("utf-8-sig"), filename="danh-muc.csv")

    assert draft_tasks(org)["C.01"].stages.count() == 2


EVIDENCE_WRITTEN = {
    "Cuộc họp": EvidenceKind.MEETING,
    "cuộc họp, đi cơ sở": EvidenceKind.MEETING,
    "Hội họp": EvidenceKind.MEETING,
    "CUỘC HỌP - ĐI CƠ SỞ": EvidenceKind.MEETING,
    "cuoc hop": EvidenceKind.MEETING,
    "Đi cơ sở": EvidenceKind.MEETING,
    "Văn bản": EvidenceKind.DOCUMENT,
    "văn bản đi": EvidenceKind.DOCUMENT,
    "Công văn": EvidenceKind.DOCUMENT,
    "  công   văn đi ": EvidenceKind.DOCUMENT,
    "không": EvidenceKind.NONE,
    "Không có": EvidenceKind.NONE,
    "KHONG": EvidenceKind.NONE,
    "-": EvidenceKind.NONE,
    "": EvidenceKind.NONE,
}


@pytest.mark.parametrize("written", EVIDENCE_WRITTEN)
def test_usual_spellings_of_the_evidence_kind_are_understood(org, catalog, written):
    row = ["C.01", "Thẩm định dự toán ngân sách", "C", 1, "Tiếp nhận", 60, "hồ sơ", written, ""]

    import_ok(org, xlsx([row]))

    assert draft_tasks(org)["C.01"].evidence_kind == EVIDENCE_WRITTEN[written]


GROUP_WRITTEN = {
    "A": "A",
    "a": "A",
    "Nhóm A": "A",
    "nhóm  a": "A",
    "NHOM B": "B",
    "C · Chuyên môn đặc thù": "C",
    "C - chuyên môn đặc thù": "C",
    "Chuyên môn đặc thù": "C",
    "d.": "D",
    "Khác": "D",
}


@pytest.mark.parametrize("written", GROUP_WRITTEN)
def test_usual_spellings_of_the_group_are_understood(org, catalog, written):
    row = ["C.01", "Thẩm định dự toán ngân sách", written, 1, "Tiếp nhận", 60, "hồ sơ", "Không", ""]

    import_ok(org, xlsx([row]))

    assert draft_tasks(org)["C.01"].group == GROUP_WRITTEN[written]


@pytest.mark.parametrize(
    ("column", "written"),
    [
        (spreadsheets.GROUP, "E"),
        (spreadsheets.GROUP, "Nhóm AB"),
        (spreadsheets.GROUP, "A1"),
        (spreadsheets.EVIDENCE, "Ảnh chụp"),
        (spreadsheets.EVIDENCE, "?"),
        (spreadsheets.EVIDENCE, "họp và văn bản"),
    ],
)
def test_a_value_that_is_no_spelling_of_the_vocabulary_is_still_a_problem(org, catalog, column, written):
    row = dict(
        zip(HEADERS, ["C.01", "Thẩm định", "C", 1, "Tiếp nhận", 60, "hồ sơ", "Không", ""], strict=True)
    )
    row[column] = written

    record = check(org, xlsx([list(row.values())]))

    assert record.status == ImportStatus.REJECTED
    assert [p["column"] for p in record.problems] == [column]


def test_the_format_document_lists_every_accepted_spelling():
    text = DOCS.read_text()

    for words in (*spreadsheets.EVIDENCE_SPELLINGS.values(), *spreadsheets.GROUP_SPELLINGS.values()):
        for word in words:
            assert f"`{word}`" in text, word


def test_a_long_value_is_quoted_cut_in_its_message(org, catalog):
    row = ["C.01", "Thẩm định", "C", 1, "Tiếp nhận", "một " * 5_000, "hồ sơ", "Không", ""]

    record = check(org, xlsx([row]))

    assert len(record.problems[0]["message"]) < 200


# Files that would exhaust the server ----------------------------------------------------------------


def _rewrite_sheet(content: bytes, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(
                info.filename, change(data) if info.filename == "xl/worksheets/sheet1.xml" else data
            )
    return out.getvalue()


def _declaring_xfd(content: bytes) -> bytes:
    """Whole-row formatting as Excel writes it: the sheet declares A1:XFD1048576."""
    return _rewrite_sheet(
        content, lambda xml: re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:XFD1048576"/>', xml)
    )


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """An .xlsx of 0.6 MB whose sheet inflates to 600 MB."""
    source = zipfile.ZipFile(io.BytesIO(xlsx(GOOD_ROWS)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info.filename, source.read(info.filename))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            for _ in range(600):
                sheet.write(b" " * 1_048_576)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def test_a_catalog_declaring_xfd_is_imported_quickly(org, catalog):
    content = _declaring_xfd(xlsx(GOOD_ROWS))
    started = time.monotonic()

    import_ok(org, content)

    assert time.monotonic() - started < 10
    assert set(draft_tasks(org)) == {"C.01", "B.02"}


def test_a_catalog_zip_bomb_is_refused_in_vietnamese_quickly_and_changes_nothing(org, catalog, zip_bomb):
    before = catalog_state(org.agency)
    started = time.monotonic()

    with translation.override("vi"):
        record = check(org, zip_bomb)

    assert time.monotonic() - started < 3
    assert record.status == ImportStatus.REJECTED
    assert "giải nén" in record.problems[0]["message"]
    assert catalog_state(org.agency) == before


def _documents(rows) -> bytes:
    return xlsx(rows, headers=evidence_imports.DOCUMENT_HEADERS)


def _import_documents(org, content):
    return evidence_imports.import_file(
        agency=org.agency,
        kind=evidence_imports.ImportKind.DOCUMENTS,
        filename="cong-van-di.xlsx",
        content=content,
        by=org.hr,
    )


def test_an_evidence_file_declaring_xfd_is_imported_quickly(org):
    content = _declaring_xfd(_documents([["VB-1", "12/STC-NS", "05/11/2026", "V/v quyết toán", "", ""]]))
    started = time.monotonic()

    result = _import_documents(org, content)

    assert time.monotonic() - started < 10
    assert result.ok, result.problems
    assert OutgoingDocument.objects.filter(agency=org.agency, source_id="VB-1").exists()


def test_an_evidence_zip_bomb_is_refused_in_vietnamese_quickly_and_imports_nothing(org, zip_bomb):
    started = time.monotonic()

    with translation.override("vi"):
        result = _import_documents(org, zip_bomb)

    assert time.monotonic() - started < 3
    assert not result.ok and "giải nén" in result.problems[0].message
    assert not OutgoingDocument.objects.filter(agency=org.agency).exists()


def test_an_evidence_file_with_title_rows_is_imported(org):
    content = with_titles(
        [["VB-2", "13/STC-NS", "06/11/2026", "V/v dự toán", "", ""]],
        headers=evidence_imports.DOCUMENT_HEADERS,
    )

    assert _import_documents(org, content).ok

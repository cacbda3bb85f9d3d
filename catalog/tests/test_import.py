"""Importing catalog and declared-task spreadsheets: all or nothing, every problem listed."""

import io
import unicodedata

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from catalog import imports, selectors, spreadsheets
from catalog.models import ImportKind, ImportStatus

from .fixtures import catalog_state, task_fingerprint

HEADERS = spreadsheets.CATALOG_HEADERS
GOOD_ROWS = [
    [
        "C.01",
        "Thẩm định dự toán ngân sách",
        "C",
        1,
        "Tiếp nhận, kiểm tra hồ sơ",
        60,
        "hồ sơ",
        "Công văn đi",
        "Mô tả.",
    ],
    ["C.01", "Thẩm định dự toán ngân sách", "C", 2, "Thẩm định chi tiết", 240, "hồ sơ", "Công văn đi", ""],
    [
        "B.02",
        "Tham dự họp theo phân công",
        "B",
        1,
        "Dự họp",
        120,
        "cuộc họp",
        "Cuộc họp, đi cơ sở",
        "Dự họp.",
    ],
]


def xlsx(rows, headers=HEADERS) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, headers=HEADERS, *, bom=True, delimiter=",") -> bytes:
    lines = [delimiter.join(headers)] + [delimiter.join(f'"{c}"' for c in row) for row in rows]
    text = "\r\n".join(lines) + "\r\n"
    return text.encode("utf-8-sig" if bom else "utf-8")


def check(org, content, filename="danh-muc.xlsx", kind=ImportKind.CATALOG):
    return imports.check(
        agency=org.agency, kind=kind, filename=filename, content=content, by=org.catalog_manager
    )


def import_ok(org, content, filename="danh-muc.xlsx", kind=ImportKind.CATALOG):
    record = check(org, content, filename, kind)
    assert record.status == ImportStatus.PREVIEWED, record.problems
    return imports.apply(record=record, by=org.catalog_manager)


def draft_tasks(org):
    return {t.code: t for t in selectors.tasks_of(selectors.draft_of(org.agency))}


def test_a_good_file_replaces_the_drafts_tasks_and_keeps_merges_by_code(org, catalog):
    import_ok(org, xlsx(GOOD_ROWS))

    tasks = draft_tasks(org)
    assert set(tasks) == {"C.01", "B.02"}
    assert [(s.order, s.norm_minutes) for s in tasks["C.01"].stages.all()] == [(1, 60), (2, 240)]
    assert tasks["B.02"].evidence_kind == "meeting"
    assert tasks["C.01"].declared_tasks.count() == 2  # the merges of C.01 survived
    assert catalog.version.tasks.count() == 2  # the published version is untouched


def test_vietnamese_in_nfd_is_stored_in_nfc(org, catalog):
    rows = [[unicodedata.normalize("NFD", c) if isinstance(c, str) else c for c in row] for row in GOOD_ROWS]

    import_ok(org, xlsx(rows))

    assert draft_tasks(org)["C.01"].name == "Thẩm định dự toán ngân sách"
    assert unicodedata.is_normalized("NFC", draft_tasks(org)["C.01"].stages.get(order=2).name)


def test_surrounding_spaces_and_empty_rows_are_ignored(org, catalog):
    rows = [
        [
            "  C.01 ",
            "  Thẩm định   dự toán ngân sách ",
            " C ",
            " 1 ",
            " Tiếp nhận ",
            " 60 ",
            " hồ sơ ",
            " Không ",
            "",
        ],
        [None] * 9,
        ["", "", "", "", "", "", "", "", ""],
        ["C.01", "Thẩm định dự toán ngân sách", "C", 2, "Thẩm định", 240, "hồ sơ", "Không", ""],
    ]

    import_ok(org, xlsx(rows))

    task = draft_tasks(org)["C.01"]
    assert task.name == "Thẩm định dự toán ngân sách"
    assert list(task.stages.values_list("name", "norm_minutes")) == [("Tiếp nhận", 60), ("Thẩm định", 240)]


@pytest.mark.parametrize("bom", [True, False])
def test_a_utf8_csv_with_or_without_bom_is_read(org, catalog, bom):
    import_ok(org, csv_bytes(GOOD_ROWS, bom=bom), filename="danh-muc.csv")

    assert draft_tasks(org)["B.02"].name == "Tham dự họp theo phân công"


def test_a_csv_with_semicolons_is_read(org, catalog):
    import_ok(org, csv_bytes(GOOD_ROWS, delimiter=";"), filename="danh-muc.csv")

    assert set(draft_tasks(org)) == {"C.01", "B.02"}


BAD_ROWS = {
    "duplicate stage": (
        [
            *GOOD_ROWS,
            ["C.01", "Thẩm định dự toán ngân sách", "C", 2, "Lặp lại", 30, "hồ sơ", "Công văn đi", ""],
        ],
        4 + 1,
        spreadsheets.STAGE_ORDER,
    ),
    "norm zero": (
        [
            GOOD_ROWS[0],
            ["C.01", "Thẩm định dự toán ngân sách", "C", 2, "Thẩm định", 0, "hồ sơ", "Công văn đi", ""],
        ],
        3,
        spreadsheets.NORM,
    ),
    "norm text": (
        [["C.01", "Thẩm định dự toán ngân sách", "C", 1, "Tiếp nhận", "một giờ", "hồ sơ", "Công văn đi", ""]],
        2,
        spreadsheets.NORM,
    ),
    "bad group": (
        [["C.01", "Thẩm định dự toán ngân sách", "E", 1, "Tiếp nhận", 60, "hồ sơ", "Công văn đi", ""]],
        2,
        spreadsheets.GROUP,
    ),
    "unknown evidence": (
        [["C.01", "Thẩm định dự toán ngân sách", "C", 1, "Tiếp nhận", 60, "hồ sơ", "Ảnh chụp", ""]],
        2,
        spreadsheets.EVIDENCE,
    ),
    "conflicting name": (
        [GOOD_ROWS[0], ["C.01", "Tên khác", "C", 2, "Thẩm định", 240, "hồ sơ", "Công văn đi", ""]],
        3,
        spreadsheets.NAME,
    ),
    "empty code": (
        [["", "Thẩm định dự toán ngân sách", "C", 1, "Tiếp nhận", 60, "hồ sơ", "Công văn đi", ""]],
        2,
        spreadsheets.CODE,
    ),
}


@pytest.mark.parametrize("case", BAD_ROWS)
def test_a_bad_row_is_reported_by_row_and_column_and_nothing_changes(org, catalog, case):
    rows, row_number, column = BAD_ROWS[case]
    before = catalog_state(org.agency)

    record = check(org, xlsx(rows))

    assert record.status == ImportStatus.REJECTED
    assert {"row": row_number, "column": column} in [
        {"row": p["row"], "column": p["column"]} for p in record.problems
    ]
    assert all(p["message"] for p in record.problems)
    assert catalog_state(org.agency) == before


def test_every_problem_of_a_file_is_listed_at_once(org, catalog):
    rows = [
        ["C.01", "Thẩm định", "C", 1, "Tiếp nhận", 0, "hồ sơ", "Công văn đi", ""],
        ["C.02", "Thẩm tra", "X", 1, "Tiếp nhận", "abc", "hồ sơ", "Công văn đi", ""],
    ]

    record = check(org, xlsx(rows))

    assert len(record.problems) == 3


def test_a_missing_column_is_named(org, catalog):
    headers = [h for h in HEADERS if h != spreadsheets.NORM]
    before = catalog_state(org.agency)

    record = check(org, xlsx([row[:5] + row[6:] for row in GOOD_ROWS], headers=headers))

    assert record.status == ImportStatus.REJECTED
    assert spreadsheets.NORM in record.problems[0]["message"]
    assert catalog_state(org.agency) == before


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "anh.csv"),
        (b"this is not a zip file at all", "danh-muc.xlsx"),
        (b"PK\x03\x04 broken zip", "danh-muc.xlsx"),
        ("Mã công việc;Tên công việc".encode("cp1252", errors="replace"), "ansi.csv"),
        (b"%PDF-1.4 not a spreadsheet", "danh-muc.pdf"),
        (b"", "empty.xlsx"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_gets_a_message(org, catalog, content, filename):
    before = catalog_state(org.agency)

    record = check(org, content, filename)

    assert record.status == ImportStatus.REJECTED
    assert record.problems[0]["row"] is None and record.problems[0]["message"]
    assert catalog_state(org.agency) == before


def test_a_file_over_the_size_limit_is_refused(org, catalog, settings):
    settings.CATALOG_IMPORT_MAX_BYTES = 1000

    record = check(org, xlsx(GOOD_ROWS * 10))

    assert record.status == ImportStatus.REJECTED
    assert "MB" in record.problems[0]["message"]


def test_a_file_checked_twice_is_applied_once(org, catalog):
    record = check(org, xlsx(GOOD_ROWS))
    imports.apply(record=record, by=org.catalog_manager)
    after_first = catalog_state(org.agency)

    with pytest.raises(ValidationError, match="đã được xử lý"):
        imports.apply(record=record, by=org.catalog_manager)

    assert catalog_state(org.agency) == after_first
    record.refresh_from_db()
    assert record.status == ImportStatus.APPLIED


@pytest.mark.dates
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_round_trips_to_an_identical_catalog(org, catalog, fmt, tmp_path):
    out = tmp_path / f"catalog.{fmt}"
    published = [task_fingerprint(t) for t in selectors.tasks_of(catalog.version)]
    call_command("export_catalog", agency=org.agency.code, out=out, stdout=io.StringIO())

    call_command("import_catalog", str(out), agency=org.agency.code, stdout=io.StringIO())

    assert [task_fingerprint(t) for t in selectors.tasks_of(selectors.draft_of(org.agency))] == published


def test_the_command_lists_each_problem_and_exits_non_zero(org, catalog, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx(BAD_ROWS["norm zero"][0] + BAD_ROWS["norm text"][0]))
    before = catalog_state(org.agency)
    err = io.StringIO()

    with pytest.raises(CommandError, match="3 problem"):  # zero norm; text norm; stage 1 twice
        call_command("import_catalog", str(bad), agency=org.agency.code, stderr=err)

    assert "row 3" in err.getvalue() and "row 4" in err.getvalue()
    assert catalog_state(org.agency) == before


def test_the_command_refuses_an_unknown_agency(db, tmp_path):
    with pytest.raises(CommandError, match="No agency"):
        call_command("import_catalog", str(tmp_path / "x.xlsx"), agency="XYZ")


DECLARED = spreadsheets.DECLARED_HEADERS


def test_declared_tasks_are_imported_once_with_their_unit_and_code(org, catalog):
    rows = [
        ["Thẩm định dự toán Sở Du lịch", "NS", "C.01"],
        ["Trả lời kiến nghị cử tri Vạn Ninh", "Văn phòng Sở", ""],
    ]
    content = xlsx(rows, headers=DECLARED)

    import_ok(org, content, kind=ImportKind.DECLARED)
    second = check(org, content, kind=ImportKind.DECLARED)

    assert second.summary["existing"] == 2
    imports.apply(record=second, by=org.catalog_manager)
    assert org.agency.declared_tasks.count() == 7
    added = org.agency.declared_tasks.get(text="Thẩm định dự toán Sở Du lịch")
    assert (added.unit, added.standard_task.code, added.standard_task.version.is_draft) == (
        org.unit1,
        "C.01",
        True,
    )


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (["Việc gì đó", "Phòng không tồn tại", ""], spreadsheets.DECLARED_UNIT),
        (["Việc gì đó", "NS", "Z.99"], spreadsheets.DECLARED_CODE),
        (["", "NS", ""], spreadsheets.DECLARED_TEXT),
        (["Việc của đơn vị khác", "QLXD", ""], spreadsheets.DECLARED_UNIT),
    ],
)
def test_a_bad_declared_row_is_reported_and_nothing_changes(org, catalog, row, column):
    before = catalog_state(org.agency)

    record = check(org, xlsx([["Việc đúng", "NS", ""], row], headers=DECLARED), kind=ImportKind.DECLARED)

    assert record.status == ImportStatus.REJECTED
    assert [(p["row"], p["column"]) for p in record.problems] == [(3, column)]
    assert catalog_state(org.agency) == before


def test_duplicate_declared_rows_in_one_file_are_reported(org, catalog):
    rows = [["Việc A", "NS", ""], ["  việc  a ", "NS", ""]]

    record = check(org, xlsx(rows, headers=DECLARED), kind=ImportKind.DECLARED)

    assert [p["row"] for p in record.problems] == [3]

"""Reading spreadsheets as people write them, within bounds whatever the file declares (issues 17, 19)."""

import io
import re
import time
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.utils import translation

from kpi_portal import spreadsheets
from kpi_portal.spreadsheets import SpreadsheetError, count_rows, quote, read_table

HEADERS = ["Mã", "Tên", "Số lượng", "Ghi chú"]
OPTIONAL = {"Ghi chú"}
DATA = [["A.1", "Việc một", 3, ""], ["A.2", "Việc hai", 5, "x"]]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite_sheet(content: bytes, change) -> bytes:
    """The same .xlsx with its first sheet's XML changed by hand (what openpyxl would not write)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(
                info.filename, change(data) if info.filename == "xl/worksheets/sheet1.xml" else data
            )
    return out.getvalue()


def declaring_xfd(content: bytes) -> bytes:
    return rewrite_sheet(
        content, lambda xml: re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:XFD1048576"/>', xml)
    )


def with_row(content: bytes, number: int, column: str = "XFD") -> bytes:
    cell = f'<row r="{number}"><c r="{column}{number}" t="inlineStr"><is><t>x</t></is></c></row>'.encode()
    return rewrite_sheet(content, lambda xml: xml.replace(b"</sheetData>", cell + b"</sheetData>"))


def read(content: bytes, filename: str = "file.xlsx", **kwargs):
    return read_table(content, filename, headers=HEADERS, optional=OPTIONAL, **kwargs)


def measured(action):
    """What ``action`` returned or raised, with its time in seconds and its peak of memory in MB."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        result = action()
    except SpreadsheetError as error:
        result = error
    finally:
        peak = tracemalloc.get_traced_memory()[1] / 1_048_576
        tracemalloc.stop()
    return result, time.monotonic() - started, peak


# The header row -------------------------------------------------------------------------------------


def test_the_header_row_is_found_below_title_rows_and_rows_keep_their_numbers():
    rows = [
        ["DANH MỤC CÔNG VIỆC CỦA SỞ TÀI CHÍNH"],
        ["(Kèm theo Quyết định số 12/QĐ-STC)"],
        [],
        HEADERS,
        *DATA,
    ]

    found = read(xlsx(rows))

    assert [(row.number, row.cells["Mã"], row.cells["Số lượng"]) for row in found] == [
        (5, "A.1", 3),
        (6, "A.2", 5),
    ]


def test_a_csv_with_title_lines_finds_its_header_and_its_separator():
    text = "DANH MỤC CÔNG VIỆC, NHIỆM VỤ\r\n\r\nMã;Tên;Số lượng;Ghi chú\r\nA.1;Việc một, có dấu phẩy;3;\r\n"

    found = read(text.encode("utf-8-sig"), "file.csv")

    assert [(row.number, row.cells["Tên"]) for row in found] == [(4, "Việc một, có dấu phẩy")]


def test_the_row_holding_most_headers_wins_over_a_title_that_names_one():
    rows = [["Mã", "DANH MỤC"], ["Tên", "Mã", "Số lượng"], *[[r[1], r[0], r[2]] for r in DATA]]

    found = read(xlsx(rows))

    assert [row.cells["Mã"] for row in found] == ["A.1", "A.2"]


def test_missing_columns_are_named_with_the_row_that_came_closest():
    rows = [["Báo cáo"], ["Mã", "Tên", "Ghi chú"], ["A.1", "Việc một", ""]]

    with pytest.raises(SpreadsheetError, match=r"row 2\): Số lượng\."):
        read(xlsx(rows))


def test_a_file_without_any_known_header_says_where_it_looked():
    with pytest.raises(SpreadsheetError, match="first 20 rows"):
        read(xlsx([["Tiêu đề"], ["một", "hai"]]))


def test_a_header_below_the_twentieth_row_is_not_looked_for():
    rows = [[f"Dòng tiêu đề {n}"] for n in range(20)] + [HEADERS, *DATA]

    with pytest.raises(SpreadsheetError, match="No header row"):
        read(xlsx(rows))


# Bounds ---------------------------------------------------------------------------------------------


def test_a_sheet_declaring_a1_to_xfd1048576_is_read_at_its_header_width_quickly():
    content = declaring_xfd(xlsx([HEADERS, *DATA]))

    found, seconds, peak = measured(lambda: read(content))

    assert [row.cells["Mã"] for row in found] == ["A.1", "A.2"]
    assert seconds < 5 and peak < 50, (seconds, peak)


def test_a_sheet_declaring_xfd_without_headers_is_refused_with_a_message_quickly():
    content = declaring_xfd(xlsx([["Bảng kê"], ["một", "hai"]]))

    refused, seconds, peak = measured(lambda: read(content))

    assert isinstance(refused, SpreadsheetError) and "No header row" in str(refused)
    assert seconds < 5 and peak < 50, (seconds, peak)


def test_a_stray_cell_in_the_last_cell_of_the_sheet_neither_pads_rows_nor_counts_as_data():
    content = with_row(declaring_xfd(xlsx([HEADERS, *DATA])), 1_048_576)

    found, seconds, _peak = measured(lambda: read(content))

    assert [row.number for row in found] == [2, 3]
    assert seconds < 20, seconds  # a million skipped rows, under the memory tracer


def test_a_row_numbered_past_the_last_row_of_excel_is_refused():
    content = with_row(xlsx([HEADERS, *DATA]), 99_999_999, column="A")

    refused, seconds, _peak = measured(lambda: read(content))

    assert isinstance(refused, SpreadsheetError) and "not a readable spreadsheet" in str(refused)
    assert seconds < 20, seconds


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """A workbook of 0.6 MB whose sheet inflates to 600 MB (of spaces between its XML tags)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx([HEADERS, *DATA])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info.filename, source.read(info.filename))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            spaces = b" " * 1_048_576
            for _ in range(600):
                sheet.write(spaces)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_inflated(zip_bomb):
    assert len(zip_bomb) < 1_048_576

    refused, seconds, peak = measured(lambda: read(zip_bomb))

    assert isinstance(refused, SpreadsheetError) and "unpacks to more than 256 MB" in str(refused)
    assert seconds < 2 and peak < 20, (seconds, peak)


def test_more_data_rows_than_allowed_are_refused_while_reading():
    rows = [HEADERS, *[[f"A.{n}", "Việc", n, ""] for n in range(30)]]

    with pytest.raises(SpreadsheetError, match="more than 20 rows"):
        read(xlsx(rows), max_rows=20)


def test_progress_is_told_every_thousand_rows():
    seen = []

    read(xlsx([HEADERS, *[[f"A.{n}", "Việc", n, ""] for n in range(2_500)]]), progress=seen.append)

    assert seen == [1_000, 2_000]


def test_a_long_cell_value_is_cut_when_a_message_quotes_it():
    assert quote("x" * 10_000) == "x" * (spreadsheets.QUOTE_MAX - 1) + "…"
    assert quote("  ngắn  ") == "ngắn"


def test_count_rows_estimates_without_reading_and_is_zero_for_a_damaged_file(zip_bomb):
    assert count_rows(xlsx([HEADERS, *DATA, [], ["A.3"]]), "file.xlsx") == 4  # the empty row is not written
    assert count_rows("Mã;Tên\r\nA.1;x\r\nA.2;y\r\n".encode(), "file.csv") == 4
    assert count_rows(b"PK\x03\x04 broken", "file.xlsx") == 0
    assert count_rows(zip_bomb, "file.xlsx") == 0

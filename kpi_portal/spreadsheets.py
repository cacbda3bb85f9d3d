"""Reading and writing spreadsheets (XLSX and CSV), for every import and export of the project.

All or nothing starts here: ``read_table`` refuses a file it cannot read as a whole
(``SpreadsheetError``) and hands rows, numbered as the spreadsheet program shows
them, to the caller who checks each cell (``Problem``). Exports defuse cells that a
spreadsheet program would run as formulas (CSV injection).
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import openpyxl
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

MAX_ROWS = 10_000


class SpreadsheetError(Exception):
    """The file as a whole cannot be read: wrong type, too big, a column missing…"""


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass(frozen=True)
class Row:
    number: int  # as the spreadsheet program shows it, the header being row 1 (or later)
    cells: dict[str, object]


def loose_key(text: str) -> str:
    """A header or vocabulary word compared loosely: NFC, spaces folded, case ignored."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def clean(value: object, *, multiline: bool = False) -> str:
    """A cell as text: NFC, no surrounding spaces; runs of spaces folded unless ``multiline``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value))
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]  # written by to_csv to defuse a formula
    if multiline:
        lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")]
        return "\n".join(lines).strip()
    return " ".join(text.split())


def read_table(content: bytes, filename: str, *, headers: Sequence[str], optional: set[str]) -> list[Row]:
    """Rows of the first sheet of an XLSX file or of a CSV file, keyed by known header."""
    limit = settings.CATALOG_IMPORT_MAX_BYTES
    if len(content) > limit:
        raise SpreadsheetError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {
                "size": number_format(len(content) / 1_048_576, 1),
                "limit": number_format(limit / 1_048_576, 1),
            }
        )
    if not content.strip():
        raise SpreadsheetError(_("The file is empty."))
    name = filename.lower()
    raw_rows: Sequence[tuple[int, Sequence[object]]]
    if content.startswith(b"PK\x03\x04") or name.endswith((".xlsx", ".xlsm")):
        raw_rows = _xlsx_rows(content)
    elif name.endswith((".csv", ".txt")):
        raw_rows = _csv_rows(content)
    else:
        raise SpreadsheetError(_("Only .xlsx and .csv files can be imported."))

    first = next(((n, row) for n, row in raw_rows if any(clean(cell) for cell in row)), None)
    if first is None:
        raise SpreadsheetError(_("The file has no header row."))
    header_at, header = first
    wanted = {loose_key(h): h for h in headers}
    position: dict[str, int] = {}
    for index, cell in enumerate(header):
        column = wanted.get(loose_key(clean(cell)))
        if column is not None and column not in position:
            position[column] = index
    missing = [h for h in headers if h not in position and h not in optional]
    if missing:
        raise SpreadsheetError(
            _("Missing column(s): %(columns)s. The first row must hold the headers: %(headers)s.")
            % {"columns": ", ".join(missing), "headers": ", ".join(headers)}
        )

    rows: list[Row] = []
    for number, cells in raw_rows:
        if number <= header_at:
            continue
        values = {column: cells[i] if i < len(cells) else None for column, i in position.items()}
        if not any(clean(v) for v in values.values()):
            continue  # empty rows are allowed anywhere
        rows.append(Row(number, values))
        if len(rows) > MAX_ROWS:
            raise SpreadsheetError(_("The file has more than %(max)s rows.") % {"max": MAX_ROWS})
    if not rows:
        raise SpreadsheetError(_("The file has headers but no data rows."))
    return rows


def _xlsx_rows(content: bytes) -> list[tuple[int, tuple]]:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = [(n, row) for n, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
        workbook.close()
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError, IndexError):
        raise SpreadsheetError(
            _(
                "The file is not a readable spreadsheet. "
                "Save it from your spreadsheet program as .xlsx or as CSV UTF-8."
            )
        ) from None
    return rows


def _csv_rows(content: bytes) -> list[tuple[int, list[str]]]:
    try:
        text = content.decode("utf-8-sig")  # with or without the BOM Excel writes
    except UnicodeDecodeError:
        raise SpreadsheetError(
            _("The CSV file is not in UTF-8. In Excel choose “Save as” → “CSV UTF-8 (Comma delimited)”.")
        ) from None
    if "\x00" in text:
        raise SpreadsheetError(_("The file is not a readable spreadsheet."))
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    try:
        return [(n, row) for n, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1)]
    except csv.Error:
        raise SpreadsheetError(_("The CSV file is malformed (unbalanced quotes?).")) from None


# A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def to_xlsx(headers: Sequence[str], rows: Iterable[Sequence[object]], *, title: str) -> bytes:
    """An XLSX sheet; text that looks like a formula is stored as text, never as a formula."""
    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = title[:31]
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
        for cell, value in zip(sheet[sheet.max_row], row, strict=False):
            if _is_formula_like(value):
                cell.data_type = "s"
            elif isinstance(value, Decimal):
                cell.number_format = _decimals_format(value)
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(60, len(header) + 4))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _decimals_format(value: Decimal) -> str:
    """The number format that shows a Decimal with its own decimals (8.10 → "0.00", 105 → "0")."""
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return "0." + "0" * places if places else "0"


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, Decimal | float):
        return str(value).replace(".", CSV_DECIMAL_SEPARATOR)
    # The apostrophe makes a spreadsheet program show the text instead of running it; ``clean`` drops it.
    return f"'{value}" if _is_formula_like(value) else value


# A CSV for a spreadsheet program set to Vietnamese (Windows' regional format vi-VN: list separator ";",
# decimal symbol ","), which opens it in columns with numbers it can add up. Reading accepts ",", ";"
# and tabs alike (``_csv_rows``), so a file exported here comes back in.
CSV_DELIMITER = ";"
CSV_DECIMAL_SEPARATOR = ","


def to_csv(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with a BOM, so that Excel shows the Vietnamese letters right; semicolons between cells and
    decimal commas, as Excel in Vietnamese expects; formulas are defused."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")

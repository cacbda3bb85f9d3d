"""Reading and writing spreadsheets (XLSX and CSV), for every import and export of the project.

All or nothing starts here: ``read_table`` refuses a file it cannot read as a whole
(``SpreadsheetError``) and hands rows, numbered as the spreadsheet program shows
them, to the caller who checks each cell (``Problem``). Exports defuse cells that a
spreadsheet program would run as formulas (CSV injection).

The reader is bounded whatever the file declares (issue 19): an .xlsx file's parts are
measured before they are inflated, rows are read one at a time and cut to the header's
width (a sheet may declare A1:XFD1048576 through whole-row formatting), the number of
rows is capped while reading, and cell values quoted in messages are cut (``quote``).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.etree.ElementTree import ParseError

import openpyxl
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

# Data rows read by default (an import checked while the user waits); the catalog's background import
# asks for more.
MAX_ROWS = 10_000
# The last row of a sheet in Excel. openpyxl makes up the empty rows a sheet skips: a row numbered past
# this (only a forged file has one) would make it make up billions.
MAX_SHEET_ROWS = 1_048_576
# The header row is looked for among the first rows (title rows such as “DANH MỤC CÔNG VIỆC…”, a
# date and a blank row often sit above it) and the first columns.
HEADER_SEARCH_ROWS = 20
MAX_COLUMNS = 100
# An .xlsx file is a zip: its parts are measured before anything is inflated (a 3 MB zip can inflate
# to gigabytes). 100 000 catalog rows inflate to about 70 MB of sheet XML when text is written inline.
XLSX_MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
XLSX_MAX_PARTS = 1_000
# A cell value quoted in a message is cut to this many characters.
QUOTE_MAX = 80
# ``read_table`` reports its progress every this many rows.
PROGRESS_EVERY = 1_000

Progress = Callable[[int], None]


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


def quote(value: object) -> str:
    """A cell value as a message quotes it: cleaned, and cut to ``QUOTE_MAX`` characters."""
    text = clean(value)
    return text if len(text) <= QUOTE_MAX else text[: QUOTE_MAX - 1] + "…"


def _unreadable() -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "The file is not a readable spreadsheet. "
            "Save it from your spreadsheet program as .xlsx or as CSV UTF-8."
        )
    )


def _check_size(content: bytes) -> None:
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


def _is_xlsx(content: bytes, filename: str) -> bool:
    return content.startswith(b"PK\x03\x04") or filename.lower().endswith((".xlsx", ".xlsm"))


def _is_csv(filename: str) -> bool:
    return filename.lower().endswith((".csv", ".txt"))


def read_table(
    content: bytes,
    filename: str,
    *,
    headers: Sequence[str],
    optional: set[str],
    max_rows: int = MAX_ROWS,
    progress: Progress | None = None,
) -> list[Row]:
    """Rows of the first sheet of an XLSX file or of a CSV file, keyed by known header.

    The header row is the row among the first ``HEADER_SEARCH_ROWS`` that holds the most known
    headers; rows above it (titles) are ignored, and so are the columns right of the last known
    header. A file with more than ``max_rows`` data rows is refused. ``progress`` is called with the
    number of rows read so far, every ``PROGRESS_EVERY`` rows.
    """
    _check_size(content)
    sheet: _Sheet
    if _is_xlsx(content, filename):
        sheet = _XlsxSheet(content)
    elif _is_csv(filename):
        sheet = _CsvSheet(content)
    else:
        raise SpreadsheetError(_("Only .xlsx and .csv files can be imported."))
    try:
        header_at, position = _find_header(
            sheet.rows(first=1, last=HEADER_SEARCH_ROWS, width=MAX_COLUMNS), headers, optional
        )
        width = max(position.values()) + 1
        rows: list[Row] = []
        for number, cells in sheet.rows(first=header_at + 1, last=None, width=width):
            if number > MAX_SHEET_ROWS:
                raise _unreadable()
            if all(cell is None or cell == "" for cell in cells):
                continue  # the quick way past the empty rows of a sheet formatted down to its last row
            values = {column: cells[i] if i < len(cells) else None for column, i in position.items()}
            if not any(clean(v) for v in values.values()):
                continue  # empty rows are allowed anywhere
            rows.append(Row(number, values))
            if len(rows) > max_rows:
                raise _too_many_rows(max_rows)
            if progress is not None and len(rows) % PROGRESS_EVERY == 0:
                progress(len(rows))
    finally:
        sheet.close()
    if not rows:
        raise SpreadsheetError(_("The file has headers but no data rows."))
    return rows


def _too_many_rows(max_rows: int) -> SpreadsheetError:
    return SpreadsheetError(
        _("The file has more than %(max)s rows.") % {"max": number_format(max_rows, force_grouping=True)}
    )


def _find_header(
    head: Iterable[tuple[int, Sequence[object]]], headers: Sequence[str], optional: set[str]
) -> tuple[int, dict[str, int]]:
    """The header row's number and the position of each known header in it: the first row holding
    the most known headers, matched loosely (``loose_key``)."""
    wanted = {loose_key(h): h for h in headers}
    best_at, best = 0, dict[str, int]()
    for number, cells in head:
        position: dict[str, int] = {}
        for index, cell in enumerate(cells):
            column = wanted.get(loose_key(clean(cell)))
            if column is not None and column not in position:
                position[column] = index
        if len(position) > len(best):
            best_at, best = number, position
    if not best:
        raise SpreadsheetError(
            _("No header row found in the first %(rows)s rows. The header row must hold: %(headers)s.")
            % {"rows": HEADER_SEARCH_ROWS, "headers": ", ".join(headers)}
        )
    missing = [h for h in headers if h not in best and h not in optional]
    if missing:
        raise SpreadsheetError(
            _(
                "Missing column(s) in the header row (row %(row)s): %(columns)s. "
                "The header row must hold: %(headers)s."
            )
            % {"row": best_at, "columns": ", ".join(missing), "headers": ", ".join(headers)}
        )
    return best_at, best


class _Sheet:
    def rows(self, *, first: int, last: int | None, width: int) -> Iterator[tuple[int, Sequence[object]]]:
        """Rows ``first`` to ``last`` (None: to the end), numbered, at most ``width`` cells each."""
        raise NotImplementedError

    def close(self) -> None:
        """Let go of the file."""


def _check_zip(content: bytes) -> None:
    """Refuse a zip whose parts would inflate past ``XLSX_MAX_UNCOMPRESSED_BYTES`` (a zip bomb), before
    inflating anything. ``zipfile`` never inflates a part past the size its directory declares."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _unreadable() from None
    if len(parts) > XLSX_MAX_PARTS or sum(part.file_size for part in parts) > XLSX_MAX_UNCOMPRESSED_BYTES:
        raise SpreadsheetError(
            _(
                "The file unpacks to more than %(limit)s MB, more than any spreadsheet the portal imports. "
                "Save it again from your spreadsheet program with the data only."
            )
            % {"limit": number_format(XLSX_MAX_UNCOMPRESSED_BYTES / 1_048_576, 0)}
        )


# What openpyxl may raise on a damaged or hostile file.
_XLSX_ERRORS = (
    zipfile.BadZipFile,
    InvalidFileException,
    KeyError,
    OSError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    ParseError,
    EOFError,
)


class _XlsxSheet(_Sheet):
    def __init__(self, content: bytes):
        _check_zip(content)
        try:
            self.workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            self.sheet = self.workbook.worksheets[0]
            # The declared dimension is not trusted: too small, rows past it would be lost; too large
            # (A1:XFD1048576), every row would be padded to it.
            self.sheet.reset_dimensions()
        except _XLSX_ERRORS:
            raise _unreadable() from None

    def rows(self, *, first: int, last: int | None, width: int) -> Iterator[tuple[int, Sequence[object]]]:
        cells = self.sheet.iter_rows(min_row=first, max_row=last, max_col=width, values_only=True)
        try:
            yield from enumerate(cells, start=first)
        except _XLSX_ERRORS:
            raise _unreadable() from None

    def close(self) -> None:
        self.workbook.close()


class _CsvSheet(_Sheet):
    def __init__(self, content: bytes):
        try:
            self.text = content.decode("utf-8-sig")  # with or without the BOM Excel writes
        except UnicodeDecodeError:
            raise SpreadsheetError(
                _("The CSV file is not in UTF-8. In Excel choose “Save as” → “CSV UTF-8 (Comma delimited)”.")
            ) from None
        if "\x00" in self.text:
            raise _unreadable()
        # The separator most used in the first rows: the title rows above the header may have none.
        head = "\n".join(self.text.split("\n", HEADER_SEARCH_ROWS)[:HEADER_SEARCH_ROWS])
        self.delimiter = max(",;\t", key=head.count)

    def rows(self, *, first: int, last: int | None, width: int) -> Iterator[tuple[int, Sequence[object]]]:
        reader = csv.reader(io.StringIO(self.text), delimiter=self.delimiter)
        try:
            for number, cells in enumerate(reader, start=1):
                if last is not None and number > last:
                    return
                if number >= first:
                    yield number, cells[:width]
        except csv.Error:
            raise SpreadsheetError(_("The CSV file is malformed (unbalanced quotes?).")) from None


_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")


def count_rows(content: bytes, filename: str) -> int:
    """About how many rows the file has, without reading them: to choose between checking it now and
    in a background job. A file that cannot be read counts 0 (``read_table`` then says why)."""
    if _is_csv(filename) and not content.startswith(b"PK\x03\x04"):
        return content.count(b"\n") + 1
    if not _is_xlsx(content, filename):
        return 0
    try:
        _check_zip(content)
        reader = ExcelReader(io.BytesIO(content), read_only=True)
        try:
            reader.read_manifest()
            reader.read_workbook()
            _sheet, rel = next(iter(reader.parser.find_sheets()))
            count = 0
            with reader.archive.open(rel.target.lstrip("/")) as part:
                # A tag cut between two chunks is missed: this is an estimate.
                while chunk := part.read(1_048_576):
                    count += len(_ROW_TAG.findall(chunk))
            return count
        finally:
            reader.archive.close()
    except (SpreadsheetError, StopIteration, *_XLSX_ERRORS):
        return 0


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

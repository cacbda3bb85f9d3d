"""The figures export shows the digits the page shows, column by column, in CSV and in XLSX.

The page writes a decimal comma (8,39), the spreadsheet a number (8.39): the digits must be the same,
rounded by the one rule (half up, ``kpi_portal.standards.rounded``), never half even (8,385 → 8,38).
"""

import csv
import io
from decimal import Decimal as D
from html.parser import HTMLParser

import openpyxl
import pytest
from django.urls import reverse

from evaluation.models import Rating
from reports.models import PersonMonth
from reports.services import month_compute
from reports.views import export_rows

from .fixtures import APRIL

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

# Page column (in the people table) → export column, for every stored figure and what is derived from it.
FIGURES = {
    "approved hours": (2, 5),
    "hours a day": (3, 6),
    "share of 8 hours": (4, 7),
    "own estimate a day": (5, 8),
    "score": (8, 14),
}


class _PeopleTable(HTMLParser):
    """The cells of the page's people table, row by row, as the reader sees them."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_table = self._in_cell = False

    def handle_starttag(self, tag, attrs):
        if tag == "table" and ("data-testid", "people") in attrs:
            self._in_table = True
        elif self._in_table and tag == "tr":
            self.rows.append([])
        elif self._in_table and tag == "td":
            self._in_cell = True
            self.rows[-1].append("")

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_table = False
        elif tag == "td":
            self._in_cell = False

    def handle_data(self, data):
        if self._in_table and self._in_cell:
            self.rows[-1][-1] += data


def page_figure(cell: str) -> str:
    """A page cell's number as a spreadsheet writes it: "8,39" → "8.39", "Tốt (89,99)" → "89.99"."""
    text = cell.strip()
    if "(" in text:
        text = text[text.rindex("(") + 1 : text.rindex(")")]
    return text.removesuffix("%").strip().replace(".", "").replace(",", ".")


def xlsx_figure(cell) -> str:
    """An XLSX number as the spreadsheet program shows it, with the cell's number format."""
    places = len(cell.number_format.partition(".")[2])
    return f"{D(str(cell.value)):.{places}f}"


@pytest.fixture
def figures(org, april):
    """April's figures, with member1's month at the edges a half-even rounding gets wrong."""
    month_compute(agency=org.agency, month=APRIL)
    # 10,565.10 minutes over 21 days: 8,385 h a day (half even: 8,38), 176,085 h, 104,8125 % of 8 h.
    PersonMonth.objects.filter(agency=org.agency, month=APRIL, person=org.member1).update(
        approved_minutes=D("10565.10"), estimate_minutes=5283, score=D("89.99"), rating=Rating.GOOD
    )
    PersonMonth.objects.filter(agency=org.agency, month=APRIL, person=org.member2).update(
        score=D("70.10"),
        rating=Rating.GOOD,  # a trailing zero the spreadsheet must keep: 70,10
    )


def test_the_export_rounds_half_up_like_the_pages(org, figures):
    row = PersonMonth.objects.select_related("person", "unit").get(person=org.member1, month=APRIL)

    (cells,) = export_rows([row])

    assert cells[5] == D("176.1")  # approved standard hours, one decimal as on the page
    assert cells[6] == D("8.39")  # standard hours a day: 8,385
    assert cells[7] == D("105")  # share of 8 hours: 104,8125 %
    assert cells[14] == D("89.99")


def test_every_figure_of_the_csv_and_xlsx_exports_reads_as_on_the_page(client, org, figures):
    client.force_login(org.hr)
    filters = {"month": "2025-04", "unit": org.unit1.pk}
    page = client.get(reverse("reports:agency", args=[org.agency.code]), filters)
    table = _PeopleTable()
    table.feed(page.content.decode())
    on_page = {cells[0].strip(): cells for cells in table.rows if cells}  # the header row has none
    exported = client.get(reverse("reports:export", args=[org.agency.code, "csv"]), filters)
    csv_rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))[1:]
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("reports:export", args=[org.agency.code, "xlsx"]), filters).content)
    ).active
    xlsx_rows = list(sheet.iter_rows(min_row=2))
    assert len(csv_rows) == len(xlsx_rows) == len(on_page) == 3

    for csv_row, xlsx_row in zip(csv_rows, xlsx_rows, strict=True):
        page_row = on_page[csv_row[1]]
        for figure, (page_column, export_column) in FIGURES.items():
            if figure == "score" and not csv_row[export_column]:
                continue  # not rated: the page says "not final", the export leaves the cell empty
            shown = page_figure(page_row[page_column])
            # Decimal commas, as Excel in Vietnamese reads them.
            assert csv_row[export_column] == shown.replace(".", ","), (csv_row[1], figure)
            assert xlsx_figure(xlsx_row[export_column]) == shown, (csv_row[1], figure)

    member1 = next(r for r in csv_rows if r[2] == "member1")
    assert (member1[5], member1[6], member1[7], member1[14]) == ("176,1", "8,39", "105", "89,99")
    member2 = next(r for r in csv_rows if r[2] == "member2")
    assert member2[14] == "70,10"

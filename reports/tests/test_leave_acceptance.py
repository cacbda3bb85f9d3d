"""Issue 14's acceptance: two leave days in a 22-day month → hours a day divide by 20 on every page,
export, API and PDF (and the capacity of the explained score is 20 days × 8 h).

member1 logs 5,5 approved standard hours on each of the 20 days they worked in March 2026 (22 working
days) and is on leave the other two: 110 h ÷ 20 = 5,50 h a day, where dividing by the working days
would show 110 ÷ 22 = 5,00.
"""

import csv
import datetime
import io
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from api.services import api_client_create
from evaluation import services as evaluation_services
from org import calendar, leave
from org.models import LeaveKind
from reports import pdf
from reports.services import month_compute
from worklog.models import EntryStatus
from worklog.tests.factories import DiaryEntryFactory

from .test_pdf import text_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("capacity_basis")]

MARCH = datetime.date(2026, 3, 1)
NAME = "Nguyễn Thị Ánh Tuyết"


@pytest.fixture
def march_with_leave(org, diary):
    with time_machine.travel(
        datetime.datetime(2026, 4, 15, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False
    ):
        org.member1.full_name = NAME
        org.member1.save(update_fields=["full_name"])
        days = calendar.working_days(org.agency, MARCH, datetime.date(2026, 3, 31))
        assert len(days) == 22
        on_leave = days[9:11]  # Friday 13/03 and Monday 16/03
        for day in days:
            if day not in on_leave:
                DiaryEntryFactory(
                    person=org.member1, unit=org.unit1, stage=diary.budget_intake, date=day,
                    quantity=Decimal("5.5"), status=EntryStatus.APPROVED, evidence_ref="15/STC-NS",
                )  # fmt: skip
        leave.leave_record(
            by=org.hr,
            agency=org.agency,
            entry=leave.LeaveInput(org.member1, on_leave[0], on_leave[1], LeaveKind.ANNUAL),
        )
        month_compute(agency=org.agency, month=MARCH)
        yield


def _row_of(html: str, name: str) -> str:
    rows = [r for r in re.findall(r"<tr.*?</tr>", html, re.S) if name in r]
    assert rows, f"{name} is not in the page"
    return re.sub(r"\s+", " ", rows[0])


def test_two_leave_days_in_a_22_day_month_divide_hours_a_day_by_20_everywhere(
    client, org, march_with_leave, tmp_path
):
    # The agency dashboard (HR) and the unit dashboard (the head).
    client.force_login(org.hr)
    agency_page = client.get(reverse("reports:agency", args=[org.agency.code]), {"month": "2026-03"})
    member_row = _row_of(agency_page.content.decode(), NAME)
    assert "5,50" in member_row and "5,00" not in member_row
    client.force_login(org.head1)
    unit_page = client.get(reverse("reports:unit", args=[org.unit1.pk]), {"month": "2026-03"})
    assert "5,50" in _row_of(unit_page.content.decode(), NAME)

    # The person's own page.
    client.force_login(org.member1)
    mine = client.get(reverse("reports:me"), {"month": "2026-03"}).content.decode()
    assert re.search(r'data-testid="my-hours-per-day">5,50<', mine)

    # The exports, CSV and XLSX: 20 days worked, 5.50 hours a day.
    client.force_login(org.hr)
    export = reverse("reports:export", args=[org.agency.code, "csv"])
    rows = list(
        csv.reader(
            io.StringIO(client.get(export, {"month": "2026-03"}).content.decode("utf-8-sig")), delimiter=";"
        )
    )
    member = next(r for r in rows if "member1" in r)
    assert (member[3], member[6]) == ("20", "5,50")  # decimal commas, as Excel in Vietnamese reads them
    book = openpyxl.load_workbook(
        io.BytesIO(
            client.get(
                reverse("reports:export", args=[org.agency.code, "xlsx"]), {"month": "2026-03"}
            ).content
        )
    )
    cells = next(r for r in book.active.iter_rows(values_only=True) if "member1" in r)
    assert (cells[3], Decimal(str(cells[6]))) == (20, Decimal("5.5"))

    # The API.
    _record, key = api_client_create(agency=org.agency, name="E-Office STC")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    figures = api.get("/api/v1/figures/", {"month": "2026-03"}).json()["results"]
    member = next(r for r in figures if r["person"] == "member1")
    assert (member["working_days"], member["hours_per_day"]) == (20, 5.5)

    # The PDFs: the agency's monthly report and the person's sheet.
    with time_machine.travel(
        datetime.datetime(2026, 4, 15, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False
    ):
        monthly = text_of(pdf.monthly_pdf(org.agency, MARCH), tmp_path)
        sheet = text_of(pdf.person_sheet_pdf(org.member1, org.agency, MARCH), tmp_path)
    lines = [line for line in monthly.splitlines() if NAME in line]
    assert any("5,50" in line for line in lines) and not any("5,00" in line for line in lines), lines
    assert "5,50" in sheet and "5,00" not in sheet

    # The explained score measures the month against the 20 days worked × 8 h = 160 h.
    with time_machine.travel(
        datetime.datetime(2026, 4, 15, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False
    ):
        evaluation = evaluation_services.evaluation_open(person=org.member1, month=MARCH)
        client.force_login(org.head1)
        explained = client.get(reverse("evaluation:detail", args=[evaluation.pk]))
    assert explained.context["live"].working_days == 20
    assert explained.context["live"].expected_minutes == 20 * 8 * 60
    assert "160" in explained.content.decode()


def test_a_leave_recorded_or_deleted_after_the_month_was_computed_is_picked_up_by_the_sweep(org, diary):
    from reports import tasks
    from reports.models import PersonMonth

    month_compute(agency=org.agency, month=MARCH)
    assert PersonMonth.objects.get(person=org.member2, month=MARCH).working_days == 22

    made = leave.leave_record(
        by=org.head1,
        agency=org.agency,
        entry=leave.LeaveInput(org.member2, datetime.date(2026, 3, 2), datetime.date(2026, 3, 8)),
    )
    tasks.sweep_stale_months()
    assert PersonMonth.objects.get(person=org.member2, month=MARCH).working_days == 22 - 5
    assert PersonMonth.objects.get(person=org.member1, month=MARCH).working_days == 22

    leave.leave_delete(by=org.hr, leave=made)
    tasks.sweep_stale_months()
    assert PersonMonth.objects.get(person=org.member2, month=MARCH).working_days == 22

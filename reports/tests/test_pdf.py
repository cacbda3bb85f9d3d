"""The PDF reports as their readers see them: the text pdftotext finds in them, figures with a decimal comma.

The scene, March 2026 of agency A (22 working days; January 21, February 15: 58 in the quarter):
member1 logs 5,5 standard hours on every working day (121 h), member2 eleven days of 4 h (44 h),
head1 11 h a day (242 h: an anomaly). Nine people count in the headcount. One of member1's entries
has no evidence.
"""

import datetime
import shutil
import subprocess
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from conftest import require
from evaluation.models import EvaluationStatus, MonthlyEvaluation, Rating
from org import calendar
from reports import pdf
from reports.models import MonthRun
from worklog.models import EntryStatus
from worklog.tests.factories import DiaryEntryFactory

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 1)
Q1 = datetime.date(2026, 1, 1)
AFTER_Q1 = datetime.datetime(2026, 4, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
NAMES = {
    "member1": "Nguyễn Thị Ánh Tuyết",
    "member2": "Trần Văn Bình",
    "head1": "Phạm Thị Diệu Linh",
    "leader": "Võ Đình Nghị",
}


@pytest.fixture
def after_q1():
    with time_machine.travel(AFTER_Q1, tick=False):
        yield


@pytest.fixture
def march(org, diary, after_q1):
    for role, name in NAMES.items():
        person = getattr(org, role)
        person.full_name = name
        person.save(update_fields=["full_name"])
    days = calendar.working_days(org.agency, MARCH, datetime.date(2026, 3, 31))
    assert len(days) == 22

    def log(person, stage, day, quantity, evidence="15/STC-NS"):
        DiaryEntryFactory(
            person=person, unit=org.unit1, stage=stage, date=day, quantity=Decimal(quantity),
            status=EntryStatus.APPROVED, evidence_ref=evidence,
        )  # fmt: skip

    for index, day in enumerate(days):
        log(org.member1, diary.budget_intake, day, "5.5", evidence="" if index == 3 else "15/STC-NS")
        log(org.head1, diary.budget_review, day, "2.75")
    for day in days[:11]:
        log(org.member2, diary.budget_review, day, "1")
    MonthlyEvaluation.objects.create(
        person=org.member1, agency=org.agency, unit=org.unit1, month=MARCH, working_days=22,
        status=EvaluationStatus.FINAL, total_score=Decimal("85.50"), rating=Rating.GOOD,
        scored_by=org.head1, finalised_by=org.leader,
    )  # fmt: skip
    return days


def text_of(content: bytes, tmp_path) -> str:
    require(shutil.which("pdftotext") is not None, "poppler-utils (pdftotext) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def on_one_line(text: str, needle: str, *figures: str) -> bool:
    """Some line of the PDF shows ``needle`` and every one of ``figures`` (a table row, in -layout mode)."""
    lines = [line for line in text.splitlines() if needle in line]
    assert lines, f"{needle!r} is not in the PDF"
    return any(all(figure in line for figure in figures) for line in lines)


def test_the_monthly_report_prints_units_and_people_with_a_decimal_comma(org, march, tmp_path):
    text = text_of(pdf.monthly_pdf(org.agency, MARCH), tmp_path)

    assert "Sở Tài chính tỉnh Khánh Hòa" in text
    assert on_one_line(text, NAMES["member1"], "5,50")  # 121 h ÷ 22 working days
    assert on_one_line(text, NAMES["member2"], "2,00")  # 44 h ÷ 22
    assert on_one_line(text, NAMES["head1"], "11,00")
    assert on_one_line(text, "NS · Phòng Quản lý Ngân sách", "6,17")  # 407 h ÷ 22 ÷ 3 people
    # The agency's total row of the units table: 407 h ÷ 22 ÷ 9 people.
    assert on_one_line(text, "Sở Tài chính tỉnh Khánh Hòa  ", "407,0", "2,06")
    assert on_one_line(text, NAMES["member1"], "85,50")
    assert str(Rating.GOOD.label) in text  # final: the rating is printed


def test_the_quarterly_report_adds_the_months_up_over_the_quarters_working_days(org, march, tmp_path):
    text = text_of(pdf.quarterly_pdf(org.agency, Q1), tmp_path)

    assert "Sở Tài chính tỉnh Khánh Hòa" in text
    assert "III/2026" not in text and "I/2026" in text
    assert "01/01/2026" in text and "31/03/2026" in text
    assert on_one_line(text, NAMES["member1"], "121,0", "2,09")  # 121 h ÷ 58 working days of the quarter
    # The agency: 407 h ÷ (58 days × 9 people); staffing need 407 ÷ (8 × 58).
    assert on_one_line(text, "Sở Tài chính tỉnh Khánh Hòa  ", " 9 ", "407,0", "0,78", "0,9")


def test_the_quarterly_report_lists_the_anomalies(org, march, tmp_path):
    text = text_of(pdf.quarterly_pdf(org.agency, Q1), tmp_path)

    anomalies = text[text.index("11,00") - 400 : text.index("11,00") + 200]
    assert NAMES["head1"] in anomalies  # 11 standard hours a day in March
    missing_day = march[3].strftime("%d/%m/%Y")
    assert on_one_line(text, missing_day, NAMES["member1"], "C.01")  # the entry without its evidence


def test_months_never_computed_are_computed_first_and_the_progress_is_reported(org, march):
    steps = []

    content = pdf.quarterly_pdf(org.agency, Q1, lambda percent, step: steps.append((percent, step)))

    assert content.startswith(b"%PDF")
    assert set(MonthRun.objects.filter(agency=org.agency).values_list("month", flat=True)) == {
        datetime.date(2026, 1, 1),
        datetime.date(2026, 2, 1),
        MARCH,
    }
    percents = [percent for percent, _step in steps]
    assert percents == sorted(percents) and percents[0] < 50 < percents[-1] < 100
    assert all(step for _percent, step in steps)


def test_the_person_sheet_shows_days_hours_evaluation_and_both_signatures(org, march, tmp_path):
    text = text_of(pdf.person_sheet_pdf(org.member1, org.agency, MARCH), tmp_path)

    assert NAMES["member1"] in text
    # The issuing authority of the official form, then the unit's line names the agency in full.
    assert "UBND TỈNH KHÁNH HÒA" in text and "SỞ TÀI CHÍNH" in text and "Sở Tài chính tỉnh Khánh Hòa" in text
    assert "5,50" in text and "121,0" in text
    assert on_one_line(text, march[0].strftime("%d/%m/%Y"), "5,50")  # each day: 5,5 approved hours
    assert "85,50" in text and str(Rating.GOOD.label) in text
    assert NAMES["head1"] in text  # the supervisor signs beside the person


def test_the_fonts_are_embedded_so_vietnamese_reads_the_same_everywhere(org, march, tmp_path):
    require(shutil.which("pdffonts") is not None, "poppler-utils (pdffonts) is not installed")
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf.person_sheet_pdf(org.member1, org.agency, MARCH))

    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    noto = [line for line in fonts.splitlines() if "NotoSans" in line.replace("-", "")]
    assert noto and all(" yes " in line for line in noto)


def test_the_quarterly_report_command_writes_the_pdf(org, march, tmp_path):
    out = tmp_path / "q1.pdf"

    call_command("quarterly_report", agency="STC", quarter="2026-Q1", out=str(out), quiet=True)

    assert on_one_line(text_of(out.read_bytes(), tmp_path), NAMES["member1"], "2,09")


def test_the_monthly_report_command_writes_the_pdf(org, march, tmp_path):
    out = tmp_path / "march.pdf"

    call_command("monthly_report", "--agency", "STC", "--month", "2026-03", "--out", str(out), "--quiet")

    assert on_one_line(text_of(out.read_bytes(), tmp_path), NAMES["member1"], "5,50")


@pytest.mark.parametrize(
    "command, args, message",
    [
        ("quarterly_report", {"agency": "NOPE", "quarter": "2026-Q1"}, "No agency with the code 'NOPE'"),
        ("quarterly_report", {"agency": "STC", "quarter": "2026-Q5"}, "not '2026-Q5'"),
        ("quarterly_report", {"agency": "STC", "quarter": "2026-07"}, "not '2026-07'"),
        # has not begun on 15/04/2026
        ("quarterly_report", {"agency": "STC", "quarter": "2026-Q3"}, "quarter 2026-Q3 has not begun"),
        ("monthly_report", {"agency": "STC", "month": "2026-13"}, "not '2026-13'"),
        ("monthly_report", {"agency": "STC", "month": "03/2026"}, "not '03/2026'"),
        ("monthly_report", {"agency": "STC", "month": "2026-05"}, "month 2026-05 has not begun"),
    ],
)
def test_the_commands_refuse_bad_input_without_writing(org, after_q1, tmp_path, command, args, message):
    out = tmp_path / "x.pdf"

    with pytest.raises(CommandError, match=message):
        call_command(command, out=str(out), quiet=True, **args)

    assert not out.exists()

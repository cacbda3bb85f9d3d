"""The PDFs as official documents (Decree 30/2020/NĐ-CP) and the anomalies the province looks for (issue 16).

Read as their readers see them, through pdftotext, like ``test_pdf``. The quarter scene, Q1 2026 of
agency A (58 working days): member1 logs 8,6 standard hours on every working day and estimates 5 h of
each; member2 logs 6 h and estimates 6 h of every other entry, leaving the other estimates out
(so their figures show 348 h against 174 h estimated, but the entries with an estimate match); one of
member2's entries has an open evidence flag and one of
member1's a cleared one.
"""

import datetime
import re
import shutil
import subprocess
import zlib
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import gettext

from conftest import require
from evidence.models import EntryFlag, FlagKind
from kpi_portal import standards
from org import calendar
from org.models import Agency, Province, User
from reports import pdf
from reports.models import PersonMonth
from reports.tests import test_pdf as scene
from reports.tests.test_pdf import MARCH, NAMES, Q1, on_one_line, text_of
from worklog.models import EntryStatus
from worklog.tests.factories import DiaryEntryFactory

MOTTO = "Độc lập - Tự do - Hạnh phúc"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"

# test_pdf's scene: March 2026 of agency A, the clock on 15/04/2026.
after_q1 = scene.after_q1
march = scene.march


def section(text: str, start: str, end: str) -> str:
    """The text between two headings of the anomalies section (each found by its beginning)."""
    first = text.index(start)
    return text[first : text.index(end, first)]


def heading(msgid: str, **values) -> str:
    """The first words of a heading as the report prints it, in the language of the test."""
    return (gettext(msgid) % values)[:18]


ABOVE_NORM = "a. Average above %(hours)s standard hours a working day (the norm)"
UNIT_MEDIAN = (
    "b. Above %(percent)s %% of their unit's median standard hours a day (units of %(people)s people or more)"
)
OPEN_FLAGS = (
    "c. Entries with an open evidence flag (neither cleared by the reviewer nor resolved by new evidence)"
)
ESTIMATE = (
    "d. Approved standard hours above %(percent)s %% of the person's own estimate and at least %(hours)s"
    " hours above it (approved entries with an estimate)"
)
MISSING = "e. Submitted or approved entries without the evidence their task asks for"


def headings() -> tuple[str, str, str, str, str]:
    return (
        heading(ABOVE_NORM, hours="8"),
        heading(UNIT_MEDIAN, percent="125", people="3"),
        heading(OPEN_FLAGS),
        heading(ESTIMATE, percent="150", hours="8"),
        heading(MISSING),
    )


# The form of the document ---------------------------------------------------------------------------


def test_the_thresholds_are_the_rules_modules():
    assert standards.ANOMALY_HOURS_A_DAY == Decimal(8) == standards.DAILY_NORM_HOURS
    assert Decimal("1.25") == standards.ANOMALY_UNIT_MEDIAN_FACTOR
    assert standards.ANOMALY_UNIT_MEDIAN_MIN_PEOPLE == 3
    assert Decimal("1.5") == standards.ANOMALY_ESTIMATE_FACTOR
    assert standards.ANOMALY_ESTIMATE_MIN_EXCESS_MINUTES == 8 * 60


@pytest.mark.parametrize(
    "day, written",
    [
        (datetime.date(2026, 12, 7), "ngày 07 tháng 12 năm 2026"),
        (datetime.date(2026, 2, 5), "ngày 05 tháng 02 năm 2026"),  # months 1 and 2 take a zero
        (datetime.date(2026, 1, 31), "ngày 31 tháng 01 năm 2026"),
        (datetime.date(2026, 3, 15), "ngày 15 tháng 3 năm 2026"),  # from March on, none
    ],
)
def test_the_date_is_written_as_decree_30_says(day, written):
    assert pdf.official_date(day) == written


def test_the_issuer_comes_from_the_organisation_tree():
    khanh_hoa = Province(code="KHA", name="Tỉnh Khánh Hòa")

    issuer = pdf.issuer(Agency(code="STC", name="Sở Tài chính tỉnh Khánh Hòa", province=khanh_hoa))
    assert issuer == pdf.Issuer(
        authority="UBND TỈNH KHÁNH HÒA", name="SỞ TÀI CHÍNH", code="STC", place="Khánh Hòa"
    )
    # A name without the province keeps all its words; a city's place drops "Thành phố".
    assert pdf.issuer(Agency(code="SXD", name="Sở Xây dựng", province=khanh_hoa)).name == "SỞ XÂY DỰNG"
    hanoi = pdf.issuer(Agency(code="STC", name="Sở Tài chính", province=Province(name="Thành phố Hà Nội")))
    assert (hanoi.authority, hanoi.place) == ("UBND THÀNH PHỐ HÀ NỘI", "Hà Nội")


def test_the_signer_signs_with_the_title_of_their_post():
    agency = Agency(code="STC", name="Sở Tài chính tỉnh Khánh Hòa")

    assert pdf.signer_title(agency, User(position="Giám đốc Sở")) == "GIÁM ĐỐC"
    assert pdf.signer_title(agency, User(position="Chánh Văn phòng")) == "CHÁNH VĂN PHÒNG"
    assert pdf.signer_title(agency, None) == gettext("Head of the agency").upper()
    assert pdf.initials("Nguyễn Thị Ánh Tuyết") == "NTAT" and pdf.initials("Đặng Hải") == "DH"


@pytest.mark.django_db
def test_the_monthly_report_is_an_official_document(org, march, tmp_path):
    require(shutil.which("pdfinfo") is not None, "poppler-utils (pdfinfo) is not installed")
    org.leader.position = "Giám đốc Sở"
    org.leader.save(update_fields=["position"])
    org.hr.full_name = "Lê Thị Hồng"
    org.hr.save(update_fields=["full_name"])

    content = pdf.monthly_pdf(org.agency, MARCH, prepared_by=org.hr)
    text = text_of(content, tmp_path)

    assert NATION in text and MOTTO in text
    assert on_one_line(text, "UBND TỈNH KHÁNH HÒA", NATION)  # the issuer left, the nation right
    assert on_one_line(text, "SỞ TÀI CHÍNH", MOTTO)
    assert re.search(r"Số:\s+/BC-STC", text)  # a blank for the records office to fill in
    assert "Khánh Hòa, ngày 15 tháng 4 năm 2026" in text  # printed on 15/04/2026 (after_q1)
    assert "TẠM TÍNH" not in text  # March has closed
    assert "BÁO CÁO" in text
    # The end: recipients on the left, the head of the agency signing on the right.
    recipients = gettext("Recipients:")
    assert on_one_line(text, recipients, "GIÁM ĐỐC")
    end = text[text.index(recipients) :]
    assert f"- {gettext('Department of Home Affairs')};" in end
    assert f"- {gettext('Filed: %(places)s') % {'places': 'VT, VP, LTH'}}." in end  # HR's unit and initials
    assert NAMES["leader"] in end
    # The file's metadata: title, author (the agency), language.
    info = subprocess.run(["pdfinfo", str(tmp_path / "report.pdf")], capture_output=True, text=True).stdout
    assert re.search(r"^Title:\s+.*03/2026 — Sở Tài chính tỉnh Khánh Hòa$", info, re.M)
    assert re.search(r"^Author:\s+Sở Tài chính tỉnh Khánh Hòa$", info, re.M)
    assert b"/Lang (vi)" in b"".join(_streams(content))


def _streams(content: bytes):
    """The PDF's objects, those in compressed object streams included."""
    yield content
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", content, re.S):
        try:
            yield zlib.decompress(match.group(1))
        except zlib.error:
            continue


@pytest.mark.django_db
def test_the_quarterly_report_and_the_person_sheet_share_the_form(org, march, tmp_path):
    quarterly = text_of(pdf.quarterly_pdf(org.agency, Q1), tmp_path)
    sheet = text_of(pdf.person_sheet_pdf(org.member1, org.agency, MARCH), tmp_path)

    for text in (quarterly, sheet):
        assert NATION in text and MOTTO in text and "UBND TỈNH KHÁNH HÒA" in text and "SỞ TÀI CHÍNH" in text
        assert "Khánh Hòa, ngày 15 tháng 4 năm 2026" in text
    assert re.search(r"Số:\s+/BC-STC", quarterly)
    assert "/BC-" not in sheet  # a form signed by the person and the supervisor, not an issued report
    assert gettext("Recipients:") in quarterly and gettext("Recipients:") not in sheet
    assert on_one_line(sheet, NAMES["member1"], NAMES["head1"])  # both sign, side by side


# The anomalies -------------------------------------------------------------------------------------


@pytest.fixture
def quarter(org, diary, after_q1):
    for role, name in NAMES.items():
        person = getattr(org, role)
        person.full_name = name
        person.save(update_fields=["full_name"])
    days = calendar.working_days(org.agency, Q1, datetime.date(2026, 3, 31))
    assert len(days) == 58
    first = {}
    for person, hours, estimate in ((org.member1, "8.6", 300), (org.member2, "6", 360)):
        for index, day in enumerate(days):
            # member2 leaves every other estimate out: their figures count 6 h against 3 h estimated.
            left_out = person == org.member2 and index % 2
            entry = DiaryEntryFactory(
                person=person, unit=org.unit1, stage=diary.study, date=day, quantity=Decimal(hours),
                estimate_minutes=None if left_out else estimate, status=EntryStatus.APPROVED,
            )  # fmt: skip
            first.setdefault(person.pk, entry)
    EntryFlag.objects.create(
        entry=first[org.member2.pk], kind=FlagKind.NOT_ASSIGNED, detail="Không có lịch họp"
    )
    EntryFlag.objects.create(
        entry=first[org.member1.pk], kind=FlagKind.DAY_FAR_ABOVE, detail="8,6 giờ",
        cleared_at=timezone.now(), cleared_by=org.head1, cleared_reason="Đã kiểm tra",
    )  # fmt: skip
    return days


@pytest.mark.django_db
def test_the_quarterly_report_lists_who_averaged_above_eight_hours_and_not_the_others(org, quarter, tmp_path):
    text = text_of(pdf.quarterly_pdf(org.agency, Q1), tmp_path)
    a, b, c, d, e = headings()

    above_norm = section(text, a, b)
    # 8,6 h × 58 days ÷ 58 working days, on all 58 days above 8 h; over the quarter, not month by month.
    assert on_one_line(above_norm, NAMES["member1"], "8,60", "58")
    assert above_norm.count(NAMES["member1"]) == 1
    assert NAMES["member2"] not in above_norm  # 6 h a day

    # The unit's median is member2's 6,00 (head1 logged nothing): 8,60 is 143 % of it.
    unit_median = section(text, b, c)
    assert on_one_line(unit_median, NAMES["member1"], "8,60", "6,00", "143")
    assert NAMES["member2"] not in unit_median

    open_flags = section(text, c, d)
    assert on_one_line(open_flags, quarter[0].strftime("%d/%m/%Y"), NAMES["member2"])
    assert "Không có lịch họp" in open_flags  # the flag's detail, after its kind
    assert NAMES["member1"] not in open_flags  # that flag was cleared

    # 498,8 approved standard hours against 290 estimated: 172 %. member2's entries with an estimate
    # match it (their figures, 348 h against 174 h, count the entries without one as 0).
    estimate = section(text, d, e)
    assert on_one_line(estimate, NAMES["member1"], "498,8", "290,0", "172")
    assert NAMES["member2"] not in estimate


@pytest.mark.django_db
def test_the_monthly_report_lists_the_months_anomalies_under_their_thresholds(org, quarter, tmp_path):
    text = text_of(pdf.monthly_pdf(org.agency, MARCH), tmp_path)
    a, b, c, d, _e = headings()

    assert gettext("3. Anomalies to look into") in text
    above_norm = section(text, a, b)
    assert on_one_line(above_norm, NAMES["member1"], "8,60", "22")  # March: 22 working days, all above 8 h
    assert NAMES["member2"] not in above_norm
    assert gettext("None found.") in section(text, c, d)  # the open flag is January's


@pytest.mark.django_db
def test_a_person_is_listed_for_a_month_when_the_quarter_is_below_the_norm(org, march):
    months = pdf.quarter_months(Q1)
    pdf.months_ready(org.agency, months, pdf._silent, 0, 1)
    people = pdf.period_people(org.agency, months)

    found = pdf.above_norm([row for p in people for row in p.months.values()], people)

    # head1: 11 h a day in March, 4,17 over the quarter: listed for March, once.
    assert [(month, row.person.full_name) for month, row in found] == [(MARCH, NAMES["head1"])]


@pytest.mark.django_db
def test_a_unit_too_small_has_no_median_to_compare_with(org, diary, after_q1):
    rows = [
        _row(org, org.member1, Decimal(10 * 60 * 22)),
        _row(org, org.member2, Decimal(2 * 60 * 22)),
    ]
    assert pdf.above_unit_median(rows) == []

    rows.append(_row(org, org.head1, Decimal(4 * 60 * 22)))
    assert [o.row.person for o in pdf.above_unit_median(rows)] == [org.member1]  # 10 > 1,25 × 4


def _row(org, person, minutes):
    return PersonMonth(
        agency=org.agency,
        month=MARCH,
        person=person,
        unit=org.unit1,
        working_days=22,
        approved_minutes=minutes,
    )


def test_a_report_of_a_month_still_open_says_it_is_provisional(org, march, tmp_path):
    import time_machine

    # Friday 27/03/2026: March's last working day (Tuesday 31/03) is still to come.
    with time_machine.travel(datetime.datetime(2026, 3, 27, 9, tzinfo=datetime.UTC), tick=False):
        monthly = text_of(pdf.monthly_pdf(org.agency, MARCH), tmp_path)
        quarterly = text_of(pdf.quarterly_pdf(org.agency, Q1), tmp_path)

    assert "TẠM TÍNH: 03/2026 chưa khóa sổ" in monthly
    assert "TẠM TÍNH: 03/2026 chưa khóa sổ" in quarterly  # January and February have closed

"""A year of the demo in Chromium, in Vietnamese: tochuc opens the annual list, giamdoc decides the
year's ratings as the reviewers proposed them within each group's quota, one person appeals, and the
annual PDF lists them.

The year is the one the demo's proposals are for (the one whose final months the demo holds: 2026 on
every day CI runs it). Should today be past that year's deadline (17/02/2027), the test takes place on
the deadline's morning, when the leader decides.
"""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess

import pytest
import time_machine
from django.db.models import F
from playwright.sync_api import expect

from conftest import require
from evaluation import annual, scoring
from evaluation.models import AnnualAppeal, AnnualRating, AnnualStatus, AppealStatus, Rating
from org import selectors as org_selectors
from org.models import Agency

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

APPEAL_REASON = "Đề nghị xem xét lại: tháng 12 tôi chủ trì quyết toán ngân sách nhưng chưa được tính"
SCREENSHOTS = "/tmp/annual-{}.png"


@pytest.fixture
def year_of_the_demo(demo):
    """The demo's year to rate, and a clock on a day when it may still be decided."""
    agency = Agency.objects.get(code="STC")
    years = set(AnnualRating.objects.filter(agency=agency).values_list("year", flat=True))
    assert len(years) == 1, f"the demo proposes one year, not {sorted(years)}"
    year = years.pop()
    deadline = annual.deadline(agency, year)
    if org_selectors.today() <= deadline:
        yield year
        return
    morning = datetime.datetime.combine(deadline, datetime.time(8), datetime.UTC)
    with time_machine.travel(morning, tick=True):
        yield year


def pdf_text(path) -> str:
    require(shutil.which("pdftotext") is not None, "poppler-utils (pdftotext) is not installed")
    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_giamdoc_decides_the_year_within_the_quota_one_person_appeals_and_the_pdf_lists_them(
    open_as, year_of_the_demo, tmp_path, eager_celery, settings
):
    year = year_of_the_demo
    agency = Agency.objects.get(code="STC")
    ratings = AnnualRating.objects.filter(agency=agency, year=year)
    assert ratings.filter(status=AnnualStatus.PROPOSED).count() > 10

    # HR opens the year's list from the annual ratings page and filters the leaders.
    tochuc = open_as("tochuc")
    tochuc.goto("/review/annual/")
    tochuc.get_by_role("link", name="Xếp loại cuối năm của STC").click()
    expect(tochuc.get_by_role("heading", name=f"Xếp loại chất lượng năm {year}")).to_be_visible()
    expect(tochuc.get_by_test_id("annual-row")).to_have_count(ratings.count())
    expect(tochuc.get_by_test_id("annual-decide")).to_have_count(0)  # HR reads; the leader decides
    tochuc.get_by_label("Nhóm vị trí tương đồng").select_option(label="Lãnh đạo, quản lý")
    tochuc.get_by_role("button", name="Lọc").click()
    expect(tochuc.get_by_test_id("annual-row")).to_have_count(ratings.filter(group=annual.LEADERS).count())

    # giamdoc ticks every proposal (his own is not his to decide) and decides them as proposed.
    giamdoc = open_as("giamdoc")
    giamdoc.goto(f"/review/agencies/STC/annual/?year={year}")
    boxes = giamdoc.locator("input[name=annual]")
    to_decide = boxes.count()
    assert to_decide == ratings.exclude(person__username="giamdoc").count()
    for n in range(to_decide):
        boxes.nth(n).check()
    giamdoc.get_by_test_id("annual-decide").click()
    expect(giamdoc.locator(".alert-success")).to_contain_text(
        f"{to_decide} xếp loại cuối năm đã được quyết định"
    )
    giamdoc.screenshot(path=SCREENSHOTS.format("decided"), full_page=True)

    decided = ratings.filter(status=AnnualStatus.DECIDED)
    assert decided.count() == to_decide
    assert not decided.exclude(decided_rating=F("proposed_rating")).exists()
    for group in {r.group for r in decided}:
        in_group = decided.filter(group=group)
        good = in_group.filter(decided_rating=Rating.GOOD).count()
        excellent = in_group.filter(decided_rating=Rating.EXCELLENT).count()
        assert excellent <= scoring.excellent_allowed(good, 20), (group, excellent, good)

    # One person appeals their decided rating.
    person = (
        decided.exclude(person__username__in=["giamdoc", "tochuc"]).order_by("average_score").first().person
    )
    assert person is not None
    tab = open_as(person.username)
    tab.goto("/review/annual/")
    tab.get_by_test_id("own-annual").get_by_role("link", name=str(year)).click()
    tab.get_by_label("Lý do khiếu nại").fill(APPEAL_REASON)
    tab.get_by_test_id("annual-appeal-submit").click()
    expect(tab.get_by_test_id("annual-appeal-status")).to_have_text("Chờ giải quyết")
    appeal = AnnualAppeal.objects.get(annual_rating__person=person, annual_rating__year=year)
    assert (appeal.status, appeal.reason) == (AppealStatus.PENDING, APPEAL_REASON)

    # The annual PDF lists them, with the appeal: asked for by a POST, prepared as a background job
    # (run in-process here), followed on the job's page and downloaded from it.
    settings.MEDIA_ROOT = tmp_path / "media"
    tochuc.goto(f"/review/agencies/STC/annual/?year={year}")
    tochuc.get_by_test_id("annual-pdf").click()
    row = tochuc.get_by_test_id("job")
    expect(row).to_have_attribute("data-status", "done", timeout=60_000)
    expect(row.get_by_test_id("job-period")).to_have_text(str(year))
    with tochuc.expect_download() as download:
        row.get_by_test_id("download").click()
    assert download.value.suggested_filename == f"xep-loai-nam-{year}-stc.pdf"
    path = tmp_path / "annual.pdf"
    download.value.save_as(path)
    text = re.sub(r"\s+", " ", pdf_text(path))
    assert f"năm {year}" in text
    for rating in decided.select_related("person")[:5]:
        assert rating.person.full_name in text
    assert person.full_name in text and "Chờ giải quyết" in text

"""The handbook of any version in Chromium: staff pick a version published for a later date and hand its
PDF out before that day; the catalog manager reads the draft, watermarked, and its PDF. The PDFs are
prepared by a real Celery worker while the page polls."""

import datetime
import shutil
import subprocess

import pytest
from django.db.models import Max
from playwright.sync_api import expect

from catalog import services
from catalog.models import CatalogVersion, HandbookFile
from conftest import require
from org import selectors as org_selectors
from org.models import Agency, User

from .factories import CatalogVersionFactory, StageFactory, StandardTaskFactory

pytestmark = [pytest.mark.browser, pytest.mark.dates, pytest.mark.django_db(transaction=True)]

FUTURE_TASK = "Kiểm kê, sắp xếp tài sản công sau hợp nhất tỉnh"
DRAFT_TASK = "Rà soát quy chế chi tiêu nội bộ năm sau"


def pdf_text(path) -> str:
    """The PDF's text, whitespace collapsed (``-raw`` keeps the diagonal watermark's letters together)."""
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


def download(tab, tmp_path, name: str) -> str:
    """Wait for the worker to prepare the PDF (the page polls), download it, and read it."""
    link = tab.get_by_role("link", name="Tải về bản PDF")
    expect(link).to_be_visible(timeout=60_000)
    with tab.expect_download() as started:
        link.click()
    path = tmp_path / name
    started.value.save_as(path)
    return pdf_text(path)


def test_staff_hand_out_a_future_version_and_only_the_manager_reads_the_draft(
    open_as, demo, celery_worker_on_redis, tmp_path, settings
):
    require(shutil.which("pdftotext") is not None, "poppler-utils (pdftotext) is not installed")
    settings.MEDIA_ROOT = tmp_path / "media"
    agency = Agency.objects.get(code="STC")
    # A version published today to be in force in 20 days (made directly: publishing has its own tests).
    later = org_selectors.today() + datetime.timedelta(days=20)
    number = CatalogVersion.objects.filter(agency=agency).aggregate(Max("number"))["number__max"] + 1
    future = CatalogVersionFactory(agency=agency, number=number, effective_from=later)
    StageFactory(task=StandardTaskFactory(version=future, code="C.61", name=FUTURE_TASK), order=1)
    draft = services.draft_open(agency=agency, by=User.objects.get(username="danhmuc"))
    StageFactory(task=StandardTaskFactory(version=draft, code="C.62", name=DRAFT_TASK), order=1)
    day = later.strftime("%d/%m/%Y")

    canbo = open_as("canbo")
    canbo.get_by_role("link", name="Danh mục công việc").first.click()
    canbo.get_by_role("link", name="Cẩm nang KPI", exact=True).click()
    chooser = canbo.get_by_label("Phiên bản danh mục")
    expect(chooser).to_contain_text(f"v{future.number} · hiệu lực từ {day} (chưa có hiệu lực)")
    expect(chooser).not_to_contain_text("Dự thảo")
    chooser.select_option(label=f"v{future.number} · hiệu lực từ {day} (chưa có hiệu lực)")
    canbo.get_by_role("button", name="Xem").click()
    expect(canbo.get_by_test_id("version-note")).to_contain_text(f"Hiệu lực từ {day}.")
    expect(canbo.get_by_role("heading", name=f"C.61 · {FUTURE_TASK}")).to_be_visible()
    text = download(canbo, tmp_path, "future.pdf")
    assert f"Hiệu lực từ {day}" in text and FUTURE_TASK in text and "DỰ THẢO" not in text
    assert canbo.goto("/catalog/STC/handbook/?version=draft").status == 404

    danhmuc = open_as("danhmuc")
    danhmuc.goto("/catalog/STC/handbook/")
    expect(danhmuc.get_by_label("Phiên bản danh mục")).to_have_value("draft")
    expect(danhmuc.get_by_test_id("draft-watermark")).to_have_text("DỰ THẢO")
    expect(danhmuc.get_by_test_id("version-note")).to_contain_text("Dự thảo, chưa có hiệu lực")
    text = download(danhmuc, tmp_path, "draft.pdf")
    assert "DỰ THẢO" in text and "Dự thảo, chưa có hiệu lực" in text and DRAFT_TASK in text
    assert HandbookFile.objects.filter(version=future).count() == 1  # rendered once, then stored

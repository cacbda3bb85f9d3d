"""A large catalog file in Chromium: checked by the worker while the page shows its progress, then
imported the same way, without reloading the page by hand."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from .test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STC_CATALOG = Path(__file__).resolve().parents[2] / "demo" / "data" / "STC-danh-muc.xlsx"


def test_danhmuc_imports_a_large_catalog_watching_its_progress(page, demo, celery_worker_on_redis, settings):
    settings.CATALOG_IMPORT_BACKGROUND_ROWS = 20  # the demo's catalog (166 stages) is then a large file
    log_in(page, "danhmuc")
    page.get_by_role("link", name="Danh mục công việc").first.click()
    page.get_by_role("link", name="Nhập từ tệp").first.click()

    page.get_by_label("Tệp").set_input_files(STC_CATALOG)
    page.get_by_role("button", name="Kiểm tra tệp").click()

    # The page polls the job and shows the summary once the worker has checked the file.
    expect(page.get_by_text("Tệp không có lỗi.")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("50 công việc chuẩn với 166 giai đoạn.")).to_be_visible()
    page.get_by_role("button", name="Nhập vào bản nháp").click()
    expect(page.get_by_test_id("import-status")).to_be_visible()
    expect(page.get_by_text("Đã nhập lúc", exact=False)).to_be_visible(timeout=90_000)

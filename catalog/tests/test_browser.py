"""The catalog manager's journey in Chromium: merge, add stages, publish, download the handbook."""

import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from catalog.models import CatalogVersion, VersionStatus
from conftest import require
from org.tests.sign_in import log_in as sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_TASK = "Sắp xếp, xử lý tài sản công sau hợp nhất tỉnh"


def log_in(page, username):
    sign_in(page, username)
    expect(page.get_by_role("heading", name="Xin chào", exact=False)).to_be_visible()


def test_danhmuc_merges_three_declared_tasks_adds_stages_publishes_and_gets_the_handbook(
    page, demo, tmp_path, celery_worker_on_redis
):
    require(shutil.which("pdftotext") is not None, "poppler-utils (pdftotext) is not installed")
    log_in(page, "danhmuc")

    page.get_by_role("link", name="Danh mục công việc").first.click()
    expect(page.get_by_test_id("catalog-summary")).to_contain_text(
        "284 đầu việc kê khai → 50 công việc chuẩn"
    )
    page.get_by_role("link", name="Đầu việc kê khai").first.click()
    page.get_by_label("Đã gộp").select_option("no")
    page.get_by_role("button", name="Lọc").click()
    for text in (
        "Rà soát, sắp xếp tài sản công sau hợp nhất",
        "Tổng hợp nhà, đất dôi dư",
        "Bàn giao hồ sơ tài sản công",
    ):
        page.get_by_label(text, exact=False).check()
    page.get_by_label("Mã công việc mới").fill("C.51")
    page.get_by_label("Tên công việc mới").fill(NEW_TASK)
    page.get_by_label("Đơn vị sản phẩm").fill("hồ sơ")
    page.get_by_role("button", name="Tạo công việc và gộp").click()

    expect(page.get_by_text("Đã gộp 3 đầu việc kê khai", exact=False)).to_be_visible()
    rows = page.get_by_test_id("stage-row")
    rows.nth(0).get_by_label("Tên giai đoạn").fill("Rà soát, tổng hợp hồ sơ tài sản")
    rows.nth(0).get_by_label("Định mức (phút)").fill("240")
    rows.nth(1).get_by_label("Tên giai đoạn").fill("Lập phương án sắp xếp, trình phê duyệt")
    rows.nth(1).get_by_label("Định mức (phút)").fill("480")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", name=f"C.51 · {NEW_TASK}")).to_be_visible()
    expect(page.get_by_role("cell", name="480")).to_be_visible()

    # The catalog manager submits the draft; the director publishes it.
    page.get_by_role("link", name="Danh mục công việc").first.click()
    page.get_by_role("link", name="Trình phê duyệt…").click()
    expect(page.get_by_text("C.51", exact=False).first).to_be_visible()
    page.get_by_role("button", name="Trình phê duyệt", exact=True).click()
    expect(page.get_by_text("Đã trình thủ trưởng phê duyệt phiên bản 2", exact=False)).to_be_visible()
    assert CatalogVersion.objects.get(agency__code="STC", number=2).status == VersionStatus.SUBMITTED

    page.context.clear_cookies()
    log_in(page, "giamdoc")
    page.get_by_role("link", name="Danh mục công việc").first.click()
    page.get_by_role("link", name="Xem xét và phê duyệt…").click()
    expect(page.get_by_text("C.51", exact=False).first).to_be_visible()
    page.get_by_role("button", name="Phê duyệt và ban hành").click()
    expect(page.get_by_text("Đã ban hành phiên bản 2", exact=False)).to_be_visible()
    published = CatalogVersion.objects.get(agency__code="STC", number=2)
    assert (published.status, published.published_by.username) == (VersionStatus.PUBLISHED, "giamdoc")
    expect(page.get_by_test_id("catalog-summary")).to_contain_text(
        "284 đầu việc kê khai → 51 công việc chuẩn"
    )

    # The handbook of the new version: its PDF is prepared by the worker while the page polls, then
    # offered for download (seconds of WeasyPrint, more when the machine is busy).
    page.get_by_role("link", name="Cẩm nang KPI", exact=True).click()
    expect(page.get_by_label("Phiên bản danh mục")).to_contain_text("v2 · từ ngày")
    expect(page.get_by_role("heading", name=f"C.51 · {NEW_TASK}")).to_be_visible()
    expect(page.get_by_role("link", name="Tải về bản PDF")).to_be_visible(timeout=60_000)
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải về bản PDF").click()
    pdf = tmp_path / "cam-nang.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert NEW_TASK in " ".join(text.split())


def test_canbo_reads_the_handbook_but_cannot_edit(page, demo):
    log_in(page, "canbo")

    page.get_by_role("link", name="Danh mục công việc").first.click()
    expect(page.get_by_role("link", name="Đầu việc kê khai")).to_have_count(0)
    page.get_by_role("link", name="Cẩm nang KPI", exact=True).click()
    expect(page.get_by_role("link", name="C.14 · Thẩm tra quyết toán dự án hoàn thành")).to_be_visible()

    response = page.goto("/catalog/STC/declared/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Không có quyền truy cập")).to_be_visible()

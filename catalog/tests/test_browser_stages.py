"""The catalog manager edits a four-stage task in Chromium: exactly what was edited changes."""

import pytest
from playwright.sync_api import expect

from catalog import selectors
from catalog.models import Stage
from org.models import Agency

from .test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TASK = "C.01"


def draft_stages():
    draft = selectors.draft_of(Agency.objects.get(code="STC"))
    return list(
        Stage.objects.filter(task__version=draft, task__code=TASK)
        .order_by("order")
        .values_list("order", "name", "norm_minutes")
    )


def open_task_form(page):
    page.get_by_role("link", name="Danh mục công việc").first.click()
    page.get_by_role("button", name="Mở bản nháp để sửa đổi").click()
    page.get_by_role("link", name="Công việc chuẩn").first.click()
    page.get_by_label("Tìm kiếm").fill(TASK)
    page.get_by_role("button", name="Lọc").click()
    page.get_by_role("link", name="Lập dự toán ngân sách địa phương", exact=False).first.click()
    page.get_by_role("link", name="Sửa công việc và giai đoạn").click()


def test_danhmuc_changes_one_norm_of_a_four_stage_task_and_the_other_stages_stay(page, demo):
    log_in(page, "danhmuc")
    open_task_form(page)
    before = draft_stages()
    assert len(before) == 4

    page.get_by_test_id("stage-row").nth(1).get_by_label("Định mức (phút)").fill("2700")
    page.get_by_role("button", name="Lưu", exact=True).click()

    expect(page.get_by_text("Đã lưu", exact=False)).to_be_visible()
    after = draft_stages()
    assert after == [before[0], (2, before[1][1], 2700), before[2], before[3]]

    page.get_by_role("link", name="Danh mục công việc").first.click()
    page.get_by_role("link", name="Lịch sử", exact=True).click()
    page.get_by_role("link", name="Giai đoạn và định mức").click()
    latest = page.get_by_role("row").nth(1)
    expect(latest).to_contain_text("sửa đổi")
    expect(latest).to_contain_text(f"giai đoạn 2 “{before[1][1]}”: 2700 phút")
    expect(page.get_by_role("row").nth(2)).not_to_contain_text("sửa đổi")
    draft = selectors.draft_of(Agency.objects.get(code="STC"))
    assert Stage.history.filter(task__version=draft, history_type="~").count() == 1


def test_danhmuc_removes_a_stage_only_after_confirming(page, demo):
    log_in(page, "danhmuc")
    open_task_form(page)
    before = draft_stages()

    page.get_by_label("Xóa giai đoạn 4").check()
    page.get_by_role("button", name="Lưu", exact=True).click()

    expect(page.get_by_test_id("stage-removal")).to_contain_text(before[3][1])
    assert draft_stages() == before
    page.get_by_role("button", name="Xóa 1 giai đoạn và lưu").click()

    expect(page.get_by_text("Đã lưu", exact=False)).to_be_visible()
    assert draft_stages() == before[:3]

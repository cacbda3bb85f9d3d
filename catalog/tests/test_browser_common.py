"""The province's common catalog in Chromium: the Department of Home Affairs publishes groups A, B
and D; STC's and SXD's staff then work with them beside their own group C."""

import pytest
from playwright.sync_api import expect

from catalog import selectors
from catalog.models import VersionStatus
from org.models import Agency, Province
from org.selectors import today

from .test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_noivu_publishes_the_common_catalog_and_stc_and_sxd_work_with_it_beside_their_own(page, demo):
    log_in(page, "noivu")
    page.get_by_role("link", name="Danh mục công việc").first.click()
    page.get_by_role("link", name="Danh mục dùng chung của Tỉnh Khánh Hòa", exact=False).click()
    page.get_by_label("Bắt đầu từ nhóm A, B và D của").select_option("SNV")
    page.get_by_role("button", name="Mở bản nháp để sửa đổi").click()
    expect(page.get_by_test_id("draft-state")).to_be_visible()
    page.get_by_role("link", name="Ban hành…").click()
    page.get_by_label("Nội dung thay đổi").fill("Danh mục dùng chung nhóm A, B, D toàn tỉnh")
    page.get_by_role("button", name="Ban hành", exact=True).click()
    expect(page.get_by_text("Đã ban hành phiên bản 1", exact=False)).to_be_visible()

    province = Province.objects.get(code="KHA")
    common = selectors.latest_published(province)
    assert common.status == VersionStatus.PUBLISHED and common.published_by.username == "noivu"
    common_groups = set(common.tasks.values_list("group", flat=True))
    assert common_groups and common_groups <= {"A", "B", "D"}
    for code in ("STC", "SXD"):
        in_force = selectors.tasks_in_force(Agency.objects.get(code=code), today())
        groups = {(t.group, t.version.agency_id is None) for t in in_force.select_related("version")}
        # The common groups come from the province; group C is each agency's own.
        assert groups == {(group, True) for group in common_groups} | {("C", False)}, code

    page.context.clear_cookies()
    log_in(page, "canbo")
    page.get_by_role("link", name="Danh mục công việc").first.click()
    expect(page.get_by_test_id("common-catalog-note")).to_contain_text("danh mục dùng chung của tỉnh")
    page.get_by_role("link", name="Công việc chuẩn").first.click()
    page.get_by_label("Nhóm").select_option("B")
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_text("danh mục dùng chung").first).to_be_visible()
    page.get_by_label("Nhóm").select_option("C")
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_text("Thẩm tra quyết toán dự án hoàn thành", exact=False).first).to_be_visible()

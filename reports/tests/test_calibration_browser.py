"""The catalog manager calibrates a norm in Chromium: the demo's proposals, one click into the draft."""

import pytest
from playwright.sync_api import expect

from catalog import selectors as catalog_selectors
from catalog.models import Stage
from org import selectors as org_selectors
from org.models import Agency
from org.tests.sign_in import log_in
from reports import calibration

from .test_calibration import make_a_proposal_if_none

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_danhmuc_accepts_the_first_proposal_into_the_draft_with_one_click(page, demo):
    today = org_selectors.today()
    make_a_proposal_if_none(Agency.objects.get(code="STC"), calibration.default_period(today), today)
    log_in(page, "danhmuc")
    expect(page.get_by_role("heading", name="Xin chào", exact=False)).to_be_visible()

    page.goto("/reports/calibration/STC/")
    expect(page.get_by_role("heading", name="Hiệu chỉnh định mức")).to_be_visible()
    first = page.get_by_test_id("proposals").locator("tbody tr").first
    code, order = first.get_attribute("data-testid").removeprefix("stage-").rsplit("-", 1)
    button = first.get_by_test_id("accept")
    expect(button).to_contain_text("vào dự thảo")
    new_norm = int(button.inner_text().split("→")[1].split()[0])
    button.click()

    expect(page.get_by_text("Dự thảo đặt định mức", exact=False)).to_be_visible()
    expect(page.get_by_test_id(f"stage-{code}-{order}").get_by_test_id("accepted")).to_be_visible()
    draft = catalog_selectors.draft_of(Agency.objects.get(code="STC"))
    assert Stage.objects.get(task__version=draft, task__code=code, order=int(order)).norm_minutes == new_norm

    # The chart of the stage: the distribution against the norm, drawn on the server.
    page.get_by_role("link", name=f"{code} · giai đoạn {order}").click()
    expect(page.get_by_test_id("chart").locator("svg")).to_be_visible()

"""The review queue in Chromium: nothing is ticked, a flagged entry cannot be ticked, a day is chosen
with its own control, and after approving it the reviewer is still at the same person."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from catalog import selectors as catalog_selectors
from catalog.models import Stage
from evidence.models import EntryFlag, FlagKind
from org import calendar
from org import selectors as org_selectors
from org.models import Agency, User
from worklog.models import DiaryEntry, EntryStatus
from worklog.tests.factories import DiaryEntryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene(demo):
    """canbo's waiting work is two days: two entries on the first, on the second one entry and one
    with an open "no such document" flag."""
    agency = Agency.objects.get(code="STC")
    canbo = User.objects.get(username="canbo")
    today = org_selectors.today()
    first, second = calendar.working_days(agency, today - datetime.timedelta(days=40), today)[-3:-1]
    DiaryEntry.objects.filter(person=canbo, status=EntryStatus.SUBMITTED).delete()
    DiaryEntry.objects.filter(person=canbo, date__in=[first, second]).delete()
    unit = canbo.memberships.get(end__isnull=True).unit

    def entry(day, order, quantity):
        stage = Stage.objects.get(
            task__version=catalog_selectors.version_on(agency, day), task__code="B.08", order=order
        )
        return DiaryEntryFactory(
            person=canbo, unit=unit, stage=stage, date=day, quantity=Decimal(quantity),
            status=EntryStatus.SUBMITTED, evidence_ref="125/STC-NS",
        )  # fmt: skip

    flagged = entry(second, 2, "2")
    EntryFlag.objects.create(
        entry=flagged, kind=FlagKind.DOCUMENT_MISSING, detail="Không có văn bản 125/STC-NS"
    )
    return {
        "canbo": canbo,
        "first": first,
        "second": second,
        "day_one": [entry(first, 1, "4"), entry(first, 2, "1")],
        "waiting": entry(second, 1, "3"),
        "flagged": flagged,
    }


def day_box(tab, day: datetime.date):
    return tab.get_by_test_id("queue-day").filter(has_text=f"{day:%d/%m/%Y}")


def test_truongphong_approves_one_day_of_canbo_and_cannot_tick_a_flagged_entry(open_as, scene):
    canbo, flagged, waiting = scene["canbo"], scene["flagged"], scene["waiting"]
    boss = open_as("truongphong")
    boss.goto("/review/")
    expect(boss.locator("input[name=entry]").first).to_be_visible()
    expect(boss.locator("input[name=entry]:checked")).to_have_count(0)
    expect(boss.get_by_test_id("approve")).to_be_disabled()
    expect(boss.get_by_test_id("selected-count")).to_have_text("Đã chọn 0 mục")

    boss.locator("select[name=person]").select_option(str(canbo.pk))
    boss.locator("form[method=get] button[type=submit]").click()
    expect(boss.get_by_test_id("queue-person")).to_have_text(canbo.full_name)
    expect(boss.get_by_test_id("queue-entry")).to_have_count(4)
    expect(boss.locator(f"#approve-{flagged.pk}")).to_be_disabled()
    expect(boss.locator(f"#entry-{flagged.pk}")).to_contain_text("Có cảnh báo minh chứng chưa xử lý")

    # The flagged entry's day: its control ticks only what may be approved.
    second = day_box(boss, scene["second"]).get_by_test_id("select-day")
    second.check()
    expect(boss.get_by_test_id("selected-count")).to_have_text("Đã chọn 1 mục")
    expect(boss.locator(f"#approve-{waiting.pk}")).to_be_checked()
    expect(boss.locator(f"#approve-{flagged.pk}")).not_to_be_checked()
    second.uncheck()
    boss.get_by_test_id("select-person").check()
    expect(boss.get_by_test_id("selected-count")).to_have_text("Đã chọn 3 mục")
    boss.get_by_test_id("select-person").uncheck()
    expect(boss.get_by_test_id("selected-count")).to_have_text("Đã chọn 0 mục")
    expect(boss.get_by_test_id("approve")).to_be_disabled()

    before = dict(DiaryEntry.objects.values_list("pk", "version"))
    day_box(boss, scene["first"]).get_by_test_id("select-day").check()
    expect(boss.get_by_test_id("selected-count")).to_have_text("Đã chọn 2 mục")
    boss.get_by_test_id("approve").click()
    expect(boss.locator("[role=alert].alert-success")).to_have_text("Đã duyệt 2 nhật ký.")

    # The reviewer stays at canbo, with the day still waiting.
    expect(boss.get_by_test_id("queue-person")).to_have_text(canbo.full_name)
    expect(boss.get_by_test_id("queue-entry")).to_have_count(2)
    expect(boss.locator(f"#entry-{waiting.pk}")).to_be_visible()
    expect(boss.locator("input[name=entry]:checked")).to_have_count(0)
    boss.screenshot(path="/tmp/review-one-day.png", full_page=True)

    day_one = {e.pk for e in scene["day_one"]}
    after = dict(DiaryEntry.objects.values_list("pk", "version"))
    assert {pk for pk in after if after[pk] != before.get(pk)} == day_one
    assert set(DiaryEntry.objects.filter(pk__in=day_one).values_list("status", "reviewed_by__username")) == {
        (EntryStatus.APPROVED, "truongphong")
    }
    assert DiaryEntry.objects.get(pk=flagged.pk).status == EntryStatus.SUBMITTED
    assert DiaryEntry.objects.get(pk=waiting.pk).status == EntryStatus.SUBMITTED

    # Returning the flagged entry happens in place: the reviewer stays where they were.
    boss.locator(f"#entry-{flagged.pk}").get_by_test_id("return").click()
    boss.locator(f"#return-{flagged.pk}").get_by_label("Lý do trả lại").fill("Không có văn bản 125/STC-NS")
    boss.evaluate("window.__stayed = true")  # gone if the page reloaded
    boss.locator(f"#return-{flagged.pk}").get_by_test_id("return-submit").click()
    expect(boss.get_by_test_id("returned")).to_contain_text("Không có văn bản 125/STC-NS")
    expect(boss.locator(f"#entry-{flagged.pk}")).to_have_count(0)
    expect(boss.locator(f"#entry-{waiting.pk}")).to_be_visible()
    assert boss.evaluate("window.__stayed === true")
    returned = DiaryEntry.objects.get(pk=flagged.pk)
    assert (returned.status, returned.return_reason) == (EntryStatus.RETURNED, "Không có văn bản 125/STC-NS")

"""Flags in Chromium: canbo sees a flag on her entry and justifies it; truongphong sees it, with its
reason and the justification, in the review queue, and clears it with a reason."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from catalog import selectors as catalog_selectors
from catalog.models import Stage
from evidence import services
from evidence.models import EntryFlag, FlagKind
from org import calendar
from org import selectors as org_selectors
from org.models import Agency, User
from worklog.models import DiaryEntry, EntryStatus
from worklog.tests.factories import DiaryEntryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NUMBER = "99999/STC-NS"
JUSTIFICATION = "Văn bản do Văn phòng Sở phát hành, số chưa cập nhật lên E-Office"
CLEAR_REASON = "Đã đối chiếu sổ văn bản giấy: văn bản có thật"


@pytest.fixture
def flagged(demo):
    """The demo, and one submitted entry of canbo citing a document E-Office does not have."""
    agency = Agency.objects.get(code="STC")
    canbo = User.objects.get(username="canbo")
    today = org_selectors.today()
    # The last working day before today in this month (the month still open), or today on its first.
    earlier = [d for d in calendar.working_days(agency, today.replace(day=1), today) if d < today]
    day = earlier[-1] if earlier else today
    # Only this entry waits for review on that day, so the queue shows it alone.
    DiaryEntry.objects.filter(person=canbo, date=day).delete()
    stage = Stage.objects.get(
        task__version=catalog_selectors.version_on(agency, day), task__code="B.08", order=1
    )
    stage.task.evidence_kind = "document"
    stage.task.save()
    entry = DiaryEntryFactory(
        person=canbo, unit=canbo.memberships.get(end__isnull=True).unit, stage=stage, date=day,
        quantity=Decimal(1), status=EntryStatus.SUBMITTED, evidence_ref=NUMBER,
    )  # fmt: skip
    services.check_entries([entry])
    return EntryFlag.objects.get(entry=entry, kind=FlagKind.DOCUMENT_MISSING)


def test_canbo_justifies_a_flag_and_truongphong_clears_it_with_a_reason(open_as, flagged):
    entry = flagged.entry
    tab = open_as("canbo")
    tab.goto(f"/diary/day/{entry.date.isoformat()}/")
    flag = tab.get_by_test_id("flag")
    expect(flag).to_contain_text(NUMBER)
    flag.get_by_test_id("justification").fill(JUSTIFICATION)
    flag.get_by_test_id("justify").click()
    expect(tab.get_by_test_id("justification")).to_have_value(JUSTIFICATION)
    tab.context.close()
    flagged.refresh_from_db()
    assert flagged.justification == JUSTIFICATION

    tab = open_as("truongphong")
    canbo = User.objects.get(username="canbo")
    tab.goto(f"/review/?person={canbo.pk}&flagged=on")
    row = tab.locator(f"#entry-{entry.pk}")
    flag = row.get_by_test_id("flag")
    expect(flag).to_contain_text(NUMBER)
    expect(flag.get_by_test_id("flag-justification")).to_contain_text(JUSTIFICATION)
    flag.locator("summary").click()
    flag.get_by_test_id("clear-reason").fill(CLEAR_REASON)
    flag.get_by_test_id("clear-flag").click()
    expect(tab.locator(f"#entry-{entry.pk}").get_by_test_id("flag")).to_have_count(0)
    tab.screenshot(path="/tmp/flag-cleared.png", full_page=True)
    tab.context.close()

    flagged.refresh_from_db()
    assert (flagged.cleared_by.username, flagged.cleared_reason) == ("truongphong", CLEAR_REASON)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED  # clearing a flag is not approving the entry

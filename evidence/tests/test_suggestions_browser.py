"""Suggestions from E-Office in Chromium: E-Office records a document canbo drafted on a working day
of the demo; her day page offers it under "Gợi ý từ E-Office"; one click logs it with its number."""

import pytest
from playwright.sync_api import expect

from catalog.models import EvidenceKind, Stage
from evidence.models import OutgoingDocument
from org import calendar
from org import selectors as org_selectors
from org.models import Agency, User
from worklog.models import DiaryEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NUMBER = "8888/STC-NS"
SUMMARY = "Về việc thẩm định dự toán bổ sung kinh phí năm 2026"


@pytest.fixture
def drafted(demo):
    """The demo, and a document canbo drafted on the last working day before today (today on the 1st)."""
    agency = Agency.objects.get(code="STC")
    canbo = User.objects.get(username="canbo")
    today = org_selectors.today()
    earlier = [d for d in calendar.working_days(agency, today.replace(day=1), today) if d < today]
    day = earlier[-1] if earlier else today
    membership = canbo.memberships.get(end__isnull=True)
    # Room in the day: whatever the demo logged that day could leave less than the entry under the
    # daily cap (12 h), depending on the day the suite runs.
    DiaryEntry.objects.filter(person=canbo, date=day).delete()
    return OutgoingDocument.objects.create(
        agency=agency, source_id="VBDI-TEST-8888", number=NUMBER, issued_on=day, summary=SUMMARY,
        drafter=canbo, drafting_unit=membership.unit,
    )  # fmt: skip


def test_canbo_logs_a_drafted_document_from_the_suggestions_in_one_click(open_as, drafted):
    day = drafted.issued_on
    tab = open_as("canbo")
    tab.goto(f"/diary/day/{day.isoformat()}/")
    section = tab.get_by_test_id("day-suggestions")
    expect(section.get_by_role("heading")).to_have_text("Gợi ý từ E-Office")
    suggestion = section.get_by_test_id("suggestion").filter(has_text=NUMBER)
    expect(suggestion).to_contain_text(SUMMARY)
    expect(suggestion).to_contain_text("Công văn đi")
    picker = suggestion.get_by_label("Công việc và giai đoạn")
    offered = [int(v) for v in picker.locator("option").evaluate_all("els => els.map(e => e.value)") if v]
    stages = Stage.objects.select_related("task").filter(pk__in=offered)
    # Documents are offered document stages.
    assert {s.task.evidence_kind for s in stages} == {EvidenceKind.DOCUMENT}
    # One of a day's size (some stages are weeks of work for one product).
    stage = stages.filter(norm_minutes__lte=120).order_by("norm_minutes", "pk").first()
    assert stage is not None
    picker.select_option(str(stage.pk))

    section.screenshot(path="/tmp/day-suggestions.png")
    suggestion.get_by_role("button", name="Ghi vào nhật ký").click()

    expect(
        tab.get_by_role("alert").filter(has_text=f"Đã ghi nhật ký với minh chứng {NUMBER}.")
    ).to_be_visible()
    expect(tab.get_by_test_id("suggestion").filter(has_text=NUMBER)).to_have_count(0)
    expect(tab.get_by_test_id("entry").filter(has_text=NUMBER)).to_have_count(1)
    tab.screenshot(path="/tmp/day-suggestion-logged.png", full_page=True)

    entry = DiaryEntry.objects.get(person__username="canbo", evidence_ref=NUMBER)
    assert (entry.date, entry.stage, entry.quantity, entry.norm_minutes) == (
        day,
        stage,
        1,
        stage.norm_minutes,
    )
    assert entry.description == SUMMARY

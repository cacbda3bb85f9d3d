"""canbo logs a typical day of five entries from the week grid with the keyboard, on a desktop and on
a phone (issue 15's acceptance): at most 40 keystrokes and clicks, the totals those of the day page."""

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kpi_portal.tests.accessibility import assert_accessible
from org import calendar
from org import selectors as org_selectors
from org.models import Leave, User
from worklog import selectors
from worklog.models import DiaryEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
MAX_ACTIONS = 40
# Five entries of at most two hours each fit under the daily cap (12 hours).
MOST_MINUTES = 120


@pytest.fixture
def scene(demo):
    """canbo's latest working day of this week up to today, emptied (and not on leave)."""
    canbo = User.objects.get(username="canbo")
    today = org_selectors.today()
    agency = org_selectors.membership_on(canbo, today).unit.agency
    day = calendar.working_days(agency, selectors.monday_of(today), today)[-1]
    DiaryEntry.objects.filter(person=canbo, date=day).delete()
    Leave.objects.filter(person=canbo, start__lte=day, end__gte=day).delete()
    return {"canbo": canbo, "day": day, "agency": agency}


class Counter:
    """Every key press, fill and click the person makes."""

    def __init__(self, tab):
        self.tab = tab
        self.count = 0

    def click(self, locator):
        self.count += 1
        locator.click()

    def fill(self, locator, text: str):
        self.count += 1
        locator.fill(text)

    def press(self, key: str):
        self.count += 1
        self.tab.keyboard.press(key)


def hours(text: str) -> Decimal:
    """The first figure of a total ("5,5 / 8,0" or "5,5 giờ chuẩn trên 8") as a number."""
    found = re.search(r"\d+(?:,\d+)?", text)
    assert found, text
    return Decimal(found.group(0).replace(",", "."))


def one_decimal(minutes: Decimal) -> Decimal:
    return (minutes / 60).quantize(Decimal("0.1"), ROUND_HALF_UP)


def share(norm: int) -> tuple[str, Decimal]:
    """A quantity of the stage worth at most two hours, as typed ("1", "1/2", "1/4") and as saved."""
    parts = max(1, -(-norm // MOST_MINUTES))
    typed = "1" if parts == 1 else f"1/{parts}"
    return typed, (Decimal(1) / parts).quantize(Decimal("0.01"))


def grid_rows(tab, day: datetime.date) -> list[tuple[str, int]]:
    """The rows with a cell to type in on ``day``, top to bottom: (task code|stage order, norm)."""
    rows = tab.locator("tbody tr[data-row]")
    found = []
    for index in range(rows.count()):
        row = rows.nth(index)
        if row.locator(f'td[data-col="{day.isoformat()}"] input[data-week-input]').count():
            found.append((row.get_attribute("data-row"), int(row.get_attribute("data-norm"))))
    return found


def ensure_rows(tab, person: Counter, scene, wanted: int = 5) -> list[tuple[str, int]]:
    """The grid's first five rows; rows added from the catalog search when there are fewer."""
    rows = grid_rows(tab, scene["day"])
    if len(rows) >= wanted:
        return rows[:wanted]
    from catalog import selectors as catalog_selectors

    shown = {key for key, _norm in rows}
    candidates = [
        s
        for s in catalog_selectors.stages_in_force(scene["agency"], scene["day"]).order_by(
            "task__code", "order"
        )
        if f"{s.task.code}|{s.order}" not in shown
    ]
    for stage in candidates[: wanted - len(rows)]:
        person.click(tab.locator("#week-add-row input[type=search]"))
        person.fill(tab.locator("#week-add-row input[type=search]"), f"{stage.task.code} {stage.name}")
        tab.locator("#week-add").select_option(str(stage.pk))  # what the search picked, made sure of
        person.click(tab.get_by_role("button", name="Thêm vào bảng"))
        expect(tab.locator(f'tbody tr[data-row="{stage.task.code}|{stage.order}"]')).to_be_visible()
    return grid_rows(tab, scene["day"])[:wanted]


def cell(tab, row: str, day: datetime.date):
    return tab.locator(f'tr[data-row="{row}"] td[data-col="{day.isoformat()}"] input[data-week-input]')


def test_canbo_logs_a_day_of_five_entries_from_the_week_grid_with_the_keyboard(open_as, scene):
    day = scene["day"]
    tab = open_as("canbo")
    tab.set_viewport_size(DESKTOP)
    person = Counter(tab)
    person.count += 1  # opening the week
    tab.goto(reverse("worklog:week", args=[day]))
    expect(tab.locator("#week-add-row input[type=search]")).to_be_visible()  # the scripts have run
    rows = ensure_rows(tab, person, scene)
    assert len(rows) == 5

    person.click(cell(tab, rows[0][0], day))
    expected = Decimal(0)
    for row, norm in rows:
        expect(cell(tab, row, day)).to_be_focused()
        typed, quantity = share(norm)
        person.fill(cell(tab, row, day), typed)
        person.press("Enter")  # saves the cell and goes down to the next row
        expected += norm * quantity

    total = tab.locator(f"#day-total-{day.isoformat()}")
    expect(total).to_have_attribute("data-minutes", f"{expected:.2f}")
    assert person.count <= MAX_ACTIONS, f"{person.count} keystrokes and clicks"

    entries = DiaryEntry.objects.filter(person=scene["canbo"], date=day)
    assert entries.count() == 5
    logged = sorted(f"{e.task.code}|{e.stage.order}" for e in entries.select_related("task", "stage"))
    assert logged == sorted(key for key, _norm in rows)
    week_total = hours(total.inner_text())
    assert week_total == one_decimal(expected)

    tab.goto(reverse("worklog:day", args=[day]))
    assert hours(tab.get_by_test_id("day-total").inner_text()) == week_total

    tab.goto(reverse("worklog:week", args=[day]))
    expect(tab.locator("main h1")).to_be_visible()
    assert_accessible(tab)


def test_on_a_phone_the_grid_shows_one_day_at_a_time_without_scrolling_sideways(open_as, scene):
    day = scene["day"]
    tab = open_as("canbo")
    tab.set_viewport_size(PHONE)
    person = Counter(tab)
    person.count += 1
    tab.goto(reverse("worklog:week", args=[day]))
    label = tab.locator("[data-week-day-label]")
    expect(label).to_be_visible()
    # From today's column back to the day (the day is today unless today is a holiday).
    rows = ensure_rows(tab, person, scene)
    for _ in range((org_selectors.today() - day).days):
        if cell(tab, rows[0][0], day).is_visible():
            break
        person.click(tab.locator("[data-week-step='-1']"))
    expect(label).to_contain_text(day.strftime("%d/%m"))

    person.click(cell(tab, rows[0][0], day))
    expected = Decimal(0)
    for row, norm in rows:
        expect(cell(tab, row, day)).to_be_focused()
        typed, quantity = share(norm)
        person.fill(cell(tab, row, day), typed)
        person.press("Enter")
        expected += norm * quantity

    total = tab.locator(f"#day-total-{day.isoformat()}")
    expect(total).to_have_attribute("data-minutes", f"{expected:.2f}")
    assert person.count <= MAX_ACTIONS, f"{person.count} keystrokes and clicks"
    assert DiaryEntry.objects.filter(person=scene["canbo"], date=day).count() == 5

    # One day's column at a time, and nothing wider than the screen.
    visible = tab.locator("tbody tr[data-row] td[data-col]:visible")
    assert {visible.nth(i).get_attribute("data-col") for i in range(visible.count())} == {day.isoformat()}
    width = tab.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways: {width[0]}px in {width[1]}px"

    tab.goto(reverse("worklog:day", args=[day]))
    assert hours(tab.get_by_test_id("day-total").inner_text()) == one_decimal(expected)

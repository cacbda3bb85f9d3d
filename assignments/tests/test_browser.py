"""The assignment journey in Chromium (issue 13).

truongphong assigns canbo three products of C.04's first stage, due in five working days; canbo sees
the work on her home page, logs it from there, submits the day; truongphong approves it; canbo's
explained score of the month shows the assignment complete on time.
"""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from assignments.models import Assignment, AssignmentStatus
from catalog import selectors as catalog_selectors
from catalog.models import Stage
from evidence.models import EntryFlag, OutgoingDocument, normalise_number
from kpi_portal import periods
from org import calendar
from org import selectors as org_selectors
from org.models import Agency, User
from worklog import selectors as worklog_selectors
from worklog.models import DiaryEntry, EntryStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The outgoing document canbo cites: C.04 asks for one (công văn đi), and the evidence check raises a
# flag, which the reviewer cannot approve past, when E-Office has no such document by her or her unit.
DOCUMENT = "8804/STC-NS"
SOURCE = "Công văn 512/UBND-KT của UBND tỉnh"
DESCRIPTION = "Tiếp nhận, kiểm tra báo cáo quyết toán của ba đơn vị dự toán"


@pytest.fixture
def scene(demo):
    """The demo, with nothing of canbo's waiting for review nor logged today (the day she logs the work),
    and the outgoing document she cites in E-Office."""
    agency = Agency.objects.get(code="STC")
    canbo = User.objects.get(username="canbo")
    unit = canbo.memberships.get(end__isnull=True).unit
    today = org_selectors.today()
    ahead = calendar.working_days(agency, today, today + datetime.timedelta(days=20))
    after_today = [day for day in ahead if day > today]
    # The score is explained for the month the work is due in, and a month is evaluated only once it
    # has begun: when the fifth working day falls in next month, the work is due on this month's last day.
    due = min(after_today[4], periods.month_end(today))
    version = catalog_selectors.version_on(agency, today)
    stage = Stage.objects.select_related("task").get(task__version=version, task__code="C.04", order=1)

    # Whatever the demo left waiting would share the queue with the entry approved here, and the demo's
    # entries of today would share the day submitted.
    DiaryEntry.objects.filter(person=canbo, status=EntryStatus.SUBMITTED).delete()
    DiaryEntry.objects.filter(person=canbo, date=today).delete()
    OutgoingDocument.objects.filter(agency=agency, number_key=normalise_number(DOCUMENT)).delete()
    OutgoingDocument.objects.create(
        agency=agency, source_id="browser-test-c04", number=DOCUMENT, issued_on=today,
        summary="Thông báo thẩm định quyết toán ngân sách năm", drafter=canbo, drafting_unit=unit,
    )  # fmt: skip
    return {
        "canbo": canbo,
        "unit": unit,
        "truongphong": User.objects.get(username="truongphong"),
        "today": today,
        "due": due,
        "stage": stage,
        "assignments_before": set(Assignment.objects.values_list("pk", flat=True)),
    }


def success(tab):
    return tab.locator("[role=alert].alert-success")


def test_assigned_work_is_logged_approved_and_scored_complete_on_time(open_as, scene):
    canbo, stage, today, due = scene["canbo"], scene["stage"], scene["today"], scene["due"]

    # 1. truongphong assigns C.04 · 1 × 3 to canbo, due in five working days.
    boss = open_as("truongphong")
    boss.get_by_role("navigation").get_by_role("link", name="Giao việc", exact=True).click()
    expect(boss).to_have_url(re.compile(r"/assignments/$"))
    boss.locator("main").get_by_role("link", name="Giao việc mới", exact=True).first.click()
    expect(boss).to_have_url(re.compile(r"/assignments/new/$"))
    boss.get_by_label(f"{canbo.full_name} · {scene['unit'].name}", exact=True).check()
    boss.get_by_label("Nhiệm vụ hoặc giai đoạn").select_option(
        label=f"C.04 · 1. {stage.name} ({stage.norm_minutes}′)"
    )
    boss.get_by_label("Số sản phẩm giao").fill("3")
    boss.get_by_label("Hạn hoàn thành").fill(f"{due:%d/%m/%Y}")
    boss.get_by_label("Nguồn giao việc").fill(SOURCE)
    boss.get_by_role("button", name="Giao việc", exact=True).click()
    expect(success(boss)).to_have_text(f"Đã giao cho 1 người: {canbo.full_name}.")
    expect(boss).to_have_url(re.compile(r"/assignments/$"))

    assignment = Assignment.objects.exclude(pk__in=scene["assignments_before"]).get()
    # The demo's unit assigns hundreds of works (latest due first): truongphong looks at canbo's.
    boss.locator("form[method=get] select[name=person]").select_option(str(canbo.pk))
    boss.locator("form[method=get] button[type=submit]").click()
    expect(boss).to_have_url(re.compile(rf"[?&]person={canbo.pk}"))
    row = (
        boss.get_by_test_id("managed")
        .get_by_test_id("assignment")
        .filter(has=boss.locator(f"a[href='/assignments/{assignment.pk}/']"))
    )
    expect(row).to_contain_text(canbo.full_name)
    expect(row).to_contain_text("0 / 3")
    expect(row).to_contain_text(f"{due:%d/%m/%Y}")

    # 2. canbo finds it on her home page and logs the three products from there.
    person = open_as("canbo")
    person.goto("/")
    item = (
        person.get_by_test_id("home-assignments")
        .get_by_test_id("home-assignment")
        .filter(has=person.locator(f"a[href='/assignments/{assignment.pk}/']"))
    )
    expect(item).to_contain_text(f"C.04 {stage.task.name} · 1. {stage.name}")
    expect(item).to_contain_text(f"{due:%d/%m/%Y}")
    item.get_by_role("link", name="Ghi nhật ký cho việc này").click()
    expect(person).to_have_url(re.compile(rf"/diary/day/{today.isoformat()}/\?assignment={assignment.pk}"))

    form = person.locator("#add-entry form")
    # The form starts with the assignment, its stage and the products still expected.
    expect(form.get_by_label("Tính cho việc được giao")).to_have_value(str(assignment.pk))
    expect(form.locator("select[name=stage]")).to_have_value(str(stage.pk))
    expect(form.locator("input[name=quantity]")).to_have_value("3,00")
    form.locator("input[name=evidence_ref]").fill(DOCUMENT)
    form.locator("textarea[name=description]").fill(DESCRIPTION)
    form.get_by_role("button", name="Thêm", exact=True).click()
    entries = person.get_by_test_id("entry")
    expect(entries).to_have_count(1)
    expect(entries).to_have_attribute("data-status", "draft")
    expect(entries).to_contain_text(f"C.04 {stage.task.name}")
    hours = f"{Decimal(3 * stage.norm_minutes) / 60:.1f}".replace(".", ",")
    expect(person.get_by_test_id("day-total")).to_contain_text(hours)

    person.get_by_role("button", name="Nộp ngày này để duyệt").click()
    expect(success(person)).to_have_text("Đã nộp 1 nhật ký để duyệt.")
    expect(entries).to_have_attribute("data-status", "submitted")
    entry = DiaryEntry.objects.get(person=canbo, date=today)
    assert not EntryFlag.objects.open().filter(entry=entry).exists(), "the cited document should match"

    # 3. truongphong approves canbo's day in the review queue.
    boss.goto("/review/")
    boss.locator("select[name=person]").select_option(str(canbo.pk))
    boss.locator("form[method=get] button[type=submit]").click()
    expect(boss.get_by_test_id("queue-person")).to_have_text(canbo.full_name)
    expect(boss.get_by_test_id("queue-entry")).to_have_count(1)
    expect(boss.locator(f"#entry-{entry.pk}")).to_contain_text(DOCUMENT)
    expect(boss.get_by_test_id("approve")).to_be_disabled()
    boss.get_by_test_id("select-person").check()
    expect(boss.get_by_test_id("selected-count")).to_have_text("Đã chọn 1 mục")
    boss.get_by_test_id("approve").click()
    expect(success(boss)).to_have_text("Đã duyệt 1 nhật ký.")

    # 4. The work is no longer open on canbo's home page; her month's explained score shows it done on time.
    person.goto("/")
    link = f"a[href='/assignments/{assignment.pk}/']"
    expect(person.get_by_test_id("home-assignment").filter(has=person.locator(link))).to_have_count(0)
    person.goto("/review/evaluations/")
    person.get_by_role("link", name=f"Đánh giá tháng {due:%m/%Y}", exact=True).click()
    person.get_by_test_id("open-evaluation").click()
    expect(person).to_have_url(re.compile(r"/review/evaluations/\d+/$"))
    product = person.get_by_test_id("products").locator(
        f"[data-testid=product][data-assignment='{assignment.pk}']"
    )
    expect(product).to_contain_text(f"C.04 {stage.task.name}")
    expect(product).to_contain_text("3 / 3")
    expect(product).to_contain_text(f"{due:%d/%m/%Y}")
    expect(product.get_by_test_id("completion")).to_have_text(f"hoàn thành đúng hạn ({today:%d/%m/%Y})")
    person.screenshot(path="/tmp/assignment-explained.png", full_page=True)

    # What the pages said is what the database holds.
    assignment.refresh_from_db()
    assert (assignment.person, assignment.assigned_by, assignment.task, assignment.stage) == (
        canbo,
        scene["truongphong"],
        stage.task,
        stage,
    )
    assert (assignment.quantity, assignment.due_date, assignment.status) == (
        Decimal(3),
        due,
        AssignmentStatus.OPEN,
    )
    assert (assignment.norm_minutes, assignment.standard_minutes, assignment.source) == (
        stage.norm_minutes,
        3 * stage.norm_minutes,
        SOURCE,
    )
    logged = list(DiaryEntry.objects.filter(person=canbo, assignment=assignment))
    assert [(e.pk, e.stage, e.quantity, e.status, e.reviewed_by) for e in logged] == [
        (entry.pk, stage, Decimal(3), EntryStatus.APPROVED, scene["truongphong"])
    ]
    progress = worklog_selectors.assignment_progress([assignment])[assignment.pk]
    assert (progress.complete, progress.on_time, progress.completed_on) == (True, True, today)

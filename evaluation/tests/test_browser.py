"""The review-to-appeal journey in Chromium.

truongphong returns one of canbo's entries with a reason and approves the other two, ticked by hand, then
scores canbo's month; giamdoc finalises it; canbo reads the explained score and appeals; giamdoc amends the
general criteria and the rating changes.
"""

import re
from decimal import Decimal

import pytest
from django.utils import translation
from playwright.sync_api import expect

from catalog import selectors as catalog_selectors
from catalog.models import Stage
from evaluation import scoring
from evaluation.models import (
    Appeal,
    AppealStatus,
    CriteriaVersion,
    EvaluationStatus,
    MonthlyEvaluation,
    Rating,
    ScoringScheme,
    TaskBasis,
)
from kpi_portal import periods
from org import calendar
from org import selectors as org_selectors
from org.models import Agency, Notification, User
from worklog.models import DiaryEntry, EntryStatus
from worklog.tests.factories import DiaryEntryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RETURN_REASON = "Thiếu số văn bản làm minh chứng, đề nghị bổ sung"
APPEAL_REASON = "Tôi đã chủ động đề xuất cải tiến quy trình thẩm định dự toán trong tháng"
DECISION = "Chấp nhận khiếu nại: điều chỉnh điểm tiêu chí chung theo minh chứng bổ sung"
SCREENSHOTS = "/tmp/review-{}.png"


@pytest.fixture
def scene(demo):
    """The demo, with canbo's last month rebuilt: approved work on all but its last two working days
    (about 55 % of the month's capacity, so the task results leave room for the general criteria to
    change the rating), and three entries waiting for review on those two days."""
    agency = Agency.objects.get(code="STC")
    canbo = User.objects.get(username="canbo")
    today = org_selectors.today()
    month = periods.previous_month(today)
    month_end = periods.month_end(month)
    # Whatever the demo gave canbo that month (or left waiting elsewhere) would blur the queue and the score.
    DiaryEntry.objects.filter(person=canbo, date__range=(month, month_end)).delete()
    DiaryEntry.objects.filter(person=canbo, status=EntryStatus.SUBMITTED).delete()
    old = MonthlyEvaluation.objects.filter(person=canbo, month=month)
    Appeal.objects.filter(evaluation__in=old).delete()
    old.delete()
    # Measured on the capacity basis (8 h a working day): the demo's STC measures the work assigned,
    # which the assignment journey tests (assignments/tests/test_browser.py).
    ScoringScheme.objects.filter(agency=agency).update(task_basis=TaskBasis.CAPACITY)

    version = catalog_selectors.version_on(agency, month_end)
    stages = {
        (s.task.code, s.order): s
        for s in Stage.objects.filter(task__version=version, task__code__in=["B.08", "D.03"]).select_related(
            "task"
        )
    }
    working_days = calendar.working_days(agency, month, month_end)
    *earlier, first, last = working_days
    unit = canbo.memberships.get(end__isnull=True).unit

    def entry(stage, day, quantity, description, status=EntryStatus.SUBMITTED):
        return DiaryEntryFactory(
            person=canbo, unit=unit, stage=stage, date=day, quantity=Decimal(quantity),
            status=status, evidence_ref="125/STC-NS", description=description,
        )  # fmt: skip

    to_return = entry(stages[("D.03", 2)], first, "1", "Rà soát dự toán bổ sung của các huyện")
    to_approve = [
        entry(stages[("B.08", 1)], first, "6", "Tiếp nhận văn bản đến của phòng"),
        entry(stages[("B.08", 2)], last, "3", "Phân loại, chuyển xử lý văn bản đến"),
    ]
    routine = stages[("B.08", 1)]
    a_day = Decimal(len(working_days) * 480) * Decimal("0.55") / len(earlier)
    done = [
        entry(routine, day, (a_day / routine.norm_minutes).quantize(Decimal("0.01")), "Xử lý văn bản đến",
              status=EntryStatus.APPROVED)
        for day in earlier
    ]  # fmt: skip
    return {
        "agency": agency,
        "canbo": canbo,
        "truongphong": User.objects.get(username="truongphong"),
        "giamdoc": User.objects.get(username="giamdoc"),
        "month": month,
        "to_return": to_return,
        "to_approve": to_approve,
        "done": done,
        # The general criteria the month is scored on (Decree 335's three groups of 10 points in 2026).
        "criteria": list(CriteriaVersion.objects.in_force_on(month).criteria.all()),
    }


def number(text: str) -> Decimal:
    """A number as the pages write it (Vietnamese: decimal comma, dot between thousands)."""
    text = text.strip()
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    return Decimal(text)


def fill_criteria(form, criteria, points: str) -> None:
    for criterion in criteria:
        form.locator(f"input[name=points_{criterion.key}]").fill(points)


def rating_label(tab, rating: str) -> str:
    with translation.override(tab.locator("html").get_attribute("lang")):
        return str(Rating(rating).label)


def success(tab):
    return tab.locator("[role=alert].alert-success")


def test_review_score_finalise_and_appeal_change_the_rating(open_as, scene):
    canbo, to_return, to_approve = scene["canbo"], scene["to_return"], scene["to_approve"]
    month, criteria = scene["month"], scene["criteria"]
    count = len(criteria)
    month_url = f"/review/people/{canbo.pk}/{month:%Y-%m}/"

    # 1. truongphong returns one entry with a reason, then approves canbo's other entries in bulk.
    boss = open_as("truongphong")
    boss.goto("/review/")
    # The demo queue spans several pages (sorted by name): canbo is found through the person filter.
    expect(boss.locator(f"select[name=person] option[value='{canbo.pk}']")).to_have_text(canbo.full_name)
    boss.locator("select[name=person]").select_option(str(canbo.pk))
    boss.locator("form[method=get] button[type=submit]").click()
    expect(boss.get_by_test_id("queue-person")).to_have_count(1)
    expect(boss.get_by_test_id("queue-person")).to_have_text(canbo.full_name)
    for entry in [to_return, *to_approve]:
        expect(boss.locator(f"#entry-{entry.pk}")).to_be_visible()
    expect(boss.get_by_test_id("queue-entry")).to_have_count(3)

    boss.locator(f"#entry-{to_return.pk}").get_by_test_id("return").click()
    return_form = boss.locator(f"#return-{to_return.pk}")
    return_form.locator(f"textarea[name='return-{to_return.pk}-reason']").fill(RETURN_REASON)
    boss.screenshot(path=SCREENSHOTS.format("1-return-form"), full_page=True)
    return_form.get_by_test_id("return-submit").click()
    expect(boss.locator(f"#entry-{to_return.pk}")).to_have_count(0)  # returned in place
    expect(boss.get_by_test_id("returned")).to_contain_text(canbo.full_name)
    expect(boss.get_by_test_id("queue-entry")).to_have_count(2)

    # Nothing is ticked for the reviewer: they choose canbo's entries themselves.
    expect(boss.get_by_test_id("approve")).to_be_disabled()
    boss.get_by_test_id("select-person").check()
    expect(boss.get_by_test_id("selected-count")).to_have_text("Đã chọn 2 mục")
    boss.get_by_test_id("approve").click()
    expect(success(boss)).to_be_visible()
    expect(boss.get_by_test_id("queue-empty")).to_be_visible()
    expect(boss.get_by_test_id("queue-entry")).to_have_count(0)
    boss.goto("/review/")
    expect(boss.locator(f"select[name=person] option[value='{canbo.pk}']")).to_have_count(0)

    returned = DiaryEntry.objects.get(pk=to_return.pk)
    assert (returned.status, returned.return_reason, returned.reviewed_by) == (
        EntryStatus.RETURNED,
        RETURN_REASON,
        scene["truongphong"],
    )
    for entry in DiaryEntry.objects.filter(pk__in=[e.pk for e in to_approve]):
        assert (entry.status, entry.reviewed_by, entry.major_errors, entry.delays) == (
            EntryStatus.APPROVED,
            scene["truongphong"],
            0,
            0,
        )

    # 2. canbo reads the reason on her diary day, then assesses herself.
    person = open_as("canbo")
    person.goto(f"/diary/day/{to_return.date.isoformat()}/")
    expect(person.get_by_test_id("return-reason")).to_contain_text(RETURN_REASON)
    person.goto(month_url)
    # A GET never writes: the month's form is opened with a click the first time.
    person.get_by_test_id("open-evaluation").click()
    expect(person).to_have_url(re.compile(r"/review/evaluations/\d+/$"))
    evaluation_url = person.url
    evaluation = MonthlyEvaluation.objects.get(person=canbo, month=month)
    self_form = person.locator("#self-assessment form")
    fill_criteria(self_form, criteria, "5")
    self_form.locator("button[type=submit]").click()
    expect(success(person)).to_be_visible()
    # The self-assessment stays editable until the supervisor scores; the table shows it already.
    expect(person.get_by_test_id("criteria").locator("tbody tr td:nth-child(3)")).to_have_text(
        ["5,00"] * count
    )
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SELF_ASSESSED

    # 3. truongphong scores, so that amending the criteria to the maximum later changes the rating.
    boss.goto(month_url)
    expect(boss).to_have_url(evaluation_url)
    task_score = number(boss.get_by_test_id("task-score").inner_text())
    assert 20 <= task_score < 60, (
        f"the scene should leave room for a rating change, task results {task_score}"
    )
    best = scoring.rating_for(task_score + 30)
    given = next(p for p in range(9, -1, -1) if scoring.rating_for(task_score + count * p) != best)
    scoring_form = boss.locator("#scoring form")
    # The supervisor starts from the self-assessment.
    expect(scoring_form.locator(f"input[name=points_{criteria[0].key}]")).to_have_value("5,00")
    fill_criteria(scoring_form, criteria, str(given))
    scoring_form.get_by_test_id("score-submit").click()
    expect(success(boss)).to_be_visible()
    # The supervisor may score again until the leader finalises; the score is stored already.
    expect(boss.get_by_test_id("criteria").locator("tbody tr td:nth-child(4)")).to_have_text(
        [f"{given},00"] * count
    )
    assert number(boss.get_by_test_id("total-score").inner_text()) == task_score + count * given
    expect(boss.get_by_test_id("finalise")).to_have_count(0)  # the leader finalises, not the supervisor

    leader = open_as("giamdoc")
    leader.goto(evaluation_url)
    leader.get_by_test_id("finalise").click()
    expect(success(leader)).to_be_visible()
    expect(leader.get_by_test_id("finalise")).to_have_count(0)
    total_before = number(leader.get_by_test_id("total-score").inner_text())
    rating_before = leader.get_by_test_id("rating").inner_text().strip()
    assert total_before == task_score + count * given
    assert rating_before == rating_label(leader, scoring.rating_for(total_before))
    leader.screenshot(path=SCREENSHOTS.format("2-final"), full_page=True)
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.total_score, evaluation.finalised_by) == (
        EvaluationStatus.FINAL,
        total_before,
        scene["giamdoc"],
    )

    # 4. canbo opens the explained score and appeals.
    person.goto(evaluation_url)
    expect(person.get_by_test_id("total-score")).to_have_text(
        leader.get_by_test_id("total-score").inner_text()
    )
    expect(person.get_by_test_id("rating")).to_have_text(rating_before)
    expect(person.get_by_test_id("breakdown")).to_be_visible()
    expect(person.get_by_test_id("criteria")).to_be_visible()
    expect(person.get_by_test_id("criteria").locator("tbody tr")).to_have_count(count)
    expect(person.get_by_test_id("criteria-version")).to_have_text(
        "Tiêu chí chung theo Nghị định 335/2025/NĐ-CP"
    )
    entries = person.get_by_test_id("entries")
    expect(entries).to_be_visible()
    # Every approved entry of the month counts, the returned one does not.
    expect(entries.locator("tbody tr")).to_have_count(len(scene["done"]) + len(to_approve))
    for entry in to_approve:
        row = entries.locator("tbody tr", has_text=f"{entry.date:%d/%m/%Y}").filter(has_text=entry.stage.name)
        expect(row).to_contain_text(f"{entry.task.code} {entry.task.name}")
    expect(entries).not_to_contain_text(to_return.task.code)
    expect(person.get_by_test_id("history")).to_be_visible()
    person.locator("textarea[name=reason]").fill(APPEAL_REASON)
    person.get_by_test_id("appeal-submit").click()
    expect(success(person)).to_be_visible()
    expect(person.get_by_test_id("appeal")).to_contain_text(APPEAL_REASON)
    expect(person.get_by_test_id("appeal-status")).to_be_visible()
    expect(person.get_by_test_id("appeal-submit")).to_have_count(0)
    appeal = Appeal.objects.get(evaluation=evaluation)
    assert (appeal.status, appeal.score_before) == (AppealStatus.PENDING, total_before)

    # 5. giamdoc amends the general criteria to the maximum: the rating changes.
    leader.goto(evaluation_url)
    leader.locator("input[name=amend][value='1']").check()
    leader.locator("textarea[name=decision]").fill(DECISION)
    fill_criteria(leader.locator("[data-testid=appeal] form"), criteria, "10")
    leader.get_by_test_id("decide").click()
    expect(success(leader)).to_be_visible()
    expect(leader.get_by_test_id("decide")).to_have_count(0)
    expect(leader.get_by_test_id("appeal-status")).to_be_visible()
    expect(leader.get_by_test_id("appeal")).to_contain_text(DECISION)
    total_after = task_score + 30
    rating_after = scoring.rating_for(total_after)
    expect(leader.get_by_test_id("rating")).not_to_have_text(rating_before)
    expect(leader.get_by_test_id("rating")).to_have_text(rating_label(leader, rating_after))
    assert number(leader.get_by_test_id("total-score").inner_text()) == total_after

    appeal.refresh_from_db()
    evaluation.refresh_from_db()
    assert appeal.status == AppealStatus.AMENDED
    assert (appeal.rating_before, appeal.rating_after) == (scoring.rating_for(total_before), rating_after)
    assert appeal.rating_before != appeal.rating_after
    assert (appeal.score_after, appeal.decided_by) == (total_after, scene["giamdoc"])
    assert (evaluation.rating, evaluation.total_score) == (appeal.rating_after, total_after)
    assert evaluation.status == EvaluationStatus.FINAL
    notice = Notification.objects.get(recipient=canbo, key=f"appeal-decided:{appeal.pk}:{canbo.pk}")
    assert notice.body == DECISION
    assert notice.url == f"/review/evaluations/{evaluation.pk}/"
    assert Notification.objects.filter(recipient=canbo, key__startswith=f"entry-returned:{to_return.pk}:")

    # canbo sees the decision and the new rating.
    person.reload()
    expect(person.get_by_test_id("rating")).to_have_text(rating_label(person, rating_after))
    expect(person.get_by_test_id("appeal")).to_contain_text(DECISION)
    person.screenshot(path=SCREENSHOTS.format("3-appeal-decided"), full_page=True)

"""Norm calibration (issue 17 item 3): the figures checked against SQL written here on the same rows,
the proposal thresholds, accepting a proposal into the draft with its evidence, publishing it without
touching earlier entries, the access rule, a fixed number of queries and refused input."""

import datetime
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

import pytest
from django.db import connection
from django.db.models import F
from django.urls import reverse

from catalog import selectors as catalog_selectors
from catalog import services as catalog_services
from catalog.models import Stage
from catalog.tests.factories import CatalogVersionFactory, StageFactory, StandardTaskFactory
from conftest import require
from org import selectors as org_selectors
from org.models import Agency, User
from reports import calibration
from reports.calibration import Period, StageFigures
from worklog.models import DiaryEntry, EntryStatus
from worklog.tests.factories import DiaryEntryFactory

pytestmark = pytest.mark.django_db

# The clock is frozen on 10/03/2026 (``frozen_now``): the default period is December to February.
DEFAULT = Period(datetime.date(2025, 12, 1), datetime.date(2026, 2, 28))
JANUARY = datetime.date(2026, 1, 12)

HAND_SQL = """
    SELECT t.code, s."order", COUNT(*), SUM(e.quantity), COUNT(DISTINCT e.person_id),
           percentile_cont(0.25) WITHIN GROUP (ORDER BY e.estimate_minutes::float8 / e.quantity::float8),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY e.estimate_minutes::float8 / e.quantity::float8),
           percentile_cont(0.75) WITHIN GROUP (ORDER BY e.estimate_minutes::float8 / e.quantity::float8),
           MIN(e.estimate_minutes::float8 / e.quantity::float8),
           MAX(e.estimate_minutes::float8 / e.quantity::float8)
      FROM worklog_diaryentry e
      JOIN catalog_stage s ON s.id = e.stage_id
      JOIN catalog_standardtask t ON t.id = s.task_id
     WHERE e.agency_id = %s AND e.status = 'approved' AND e.estimate_minutes IS NOT NULL
       AND e.quantity > 0 AND e.date BETWEEN %s AND %s
  GROUP BY t.code, s."order"
"""


def hand_figures(agency, period) -> dict:
    """The figures per (task code, order), by the SQL above: rounded to two places, as shown."""
    require(connection.vendor == "postgresql", "percentile_cont needs PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute(HAND_SQL, [agency.pk, period.start, period.end])
        rows = cursor.fetchall()
    two = D("0.01")
    return {
        (code, order): {
            "entries": entries,
            "products": products,
            "people": people,
            **{
                name: D(repr(value)).quantize(two)
                for name, value in zip(("p25", "median", "p75", "minimum", "maximum"), quartiles, strict=True)
            },
        }
        for code, order, entries, products, people, *quartiles in rows
    }


def shown(item: StageFigures) -> dict:
    two = D("0.01")
    return {
        "entries": item.entries,
        "products": item.products,
        "people": item.people,
        **{
            name: getattr(item, name).quantize(two) for name in ("p25", "median", "p75", "minimum", "maximum")
        },
    }


def log(person, unit, stage, quantity, estimate, *, day=JANUARY, status=EntryStatus.APPROVED):
    return DiaryEntryFactory(
        person=person, unit=unit, stage=stage, date=day, quantity=D(quantity), estimate_minutes=estimate,
        status=status,
    )  # fmt: skip


@pytest.fixture
def scene(org, diary, catalog, frozen_now):
    """Agency A's three stages with data over the default period, and entries that must not count.

    - C.01 stage 2 (norm 240): six people, 36 products, 320 minutes a unit for most: a proposal;
    - C.01 stage 1 (norm 60): 40 products at 120 minutes, but from two people only: not enough data;
    - B.01 stage 1 (norm 90): five people, 30 products at 100 minutes: 11 % off, under the threshold.
    """
    people = [org.leader, org.deputy, org.head1, org.member1, org.member2, org.head2]
    unit_of = {p.pk: p.memberships.get().unit for p in people}
    for index, person in enumerate(people):
        for per_unit in (300, 320, 340 + 10 * index):  # 2 units an entry; the median is 320 a unit
            log(person, unit_of[person.pk], diary.budget_review, "2", 2 * per_unit)
    for person in people[:2]:
        log(person, unit_of[person.pk], diary.budget_intake, "20", 2_400)
    reply = catalog.reply.stages.get()
    for person in people[:5]:
        log(person, unit_of[person.pk], reply, "6", 600)
    # None of these counts: not approved, no estimate, outside the period, another agency.
    member1, unit1 = org.member1, org.unit1
    log(member1, unit1, diary.budget_review, "1", 1_400, status=EntryStatus.SUBMITTED)
    log(member1, unit1, diary.budget_review, "1", None)
    log(member1, unit1, diary.budget_review, "1", 1_400, day=datetime.date(2026, 3, 2))
    log(member1, unit1, diary.budget_review, "1", 1_400, day=datetime.date(2025, 11, 28))
    other_version = CatalogVersionFactory(agency=org.other_agency, number=1)
    other_stage = StageFactory(task=StandardTaskFactory(version=other_version, code="C.01"), order=2)
    log(org.member_b, org.member_b.memberships.get().unit, other_stage, "1", 1_400)
    return reply


def url(name, org, *args, agency=None):
    return reverse(f"reports:{name}", args=[(agency or org.agency).code, *args])


@pytest.fixture
def manager(client, org):
    client.force_login(org.catalog_manager)
    return client


# The figures -------------------------------------------------------------------------------------


@pytest.mark.parametrize("use_sql", [True, False], ids=["postgresql", "python"])
def test_the_figures_are_those_of_a_hand_written_sql_query_on_the_same_rows(org, scene, use_sql):
    expected = hand_figures(org.agency, DEFAULT)

    figures = calibration.stage_figures(org.agency, DEFAULT, today=DEFAULT.end, use_sql=use_sql)

    assert {f.key: shown(f) for f in figures} == expected
    assert set(expected) == {("B.01", 1), ("C.01", 1), ("C.01", 2)}
    assert expected[("C.01", 2)]["entries"] == 18  # the excluded entries are not among them


def test_each_stage_is_set_against_the_norm_in_force_and_the_drafts(org, scene):
    catalog_services.stage_norm_set(
        agency=org.agency, task_code="B.01", order=1, norm_minutes=95, reason="test", by=org.catalog_manager
    )

    figures = {f.key: f for f in calibration.stage_figures(org.agency, DEFAULT, today=DEFAULT.end)}

    assert (figures[("C.01", 2)].norm, figures[("C.01", 2)].draft_norm) == (240, 240)
    assert (figures[("B.01", 1)].norm, figures[("B.01", 1)].draft_norm) == (90, 95)
    assert figures[("C.01", 2)].median == D("320.0000")
    assert figures[("C.01", 2)].difference == D("33.33333333333333333333333333")


def test_a_stage_far_from_its_norm_on_enough_products_and_people_is_proposed_and_no_other(org, scene):
    proposals, others = calibration.split(calibration.stage_figures(org.agency, DEFAULT, today=DEFAULT.end))

    assert [(p.key, p.proposed_norm) for p in proposals] == [(("C.01", 2), 320)]
    assert [o.key for o in others] == [("B.01", 1), ("C.01", 1)]
    assert not next(o for o in others if o.key == ("C.01", 1)).enough_data


def figures(*, median, norm=100, products="30", people=5) -> StageFigures:
    median = D(median)
    return StageFigures(
        task_code="C.01", order=1, task_name="", stage_name="", output_unit="", entries=10,
        products=D(products), people=people, median=median, p25=median, p75=median, minimum=median,
        maximum=median, norm=norm,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("item", "proposed"),
    [
        (figures(median="125.01"), True),
        (figures(median="74.99"), True),
        (figures(median="125"), False),  # exactly 25 %: not more than the threshold
        (figures(median="75"), False),
        (figures(median="200", products="29.99"), False),
        (figures(median="200", people=4), False),
        (figures(median="200", norm=None), False),  # not in the version in force
        (figures(median="0.4", norm=1), False),  # rounds to the norm itself: nothing to change
    ],
)
def test_the_thresholds_decide_a_proposal(item, proposed):
    assert calibration.MIN_PEOPLE == 5
    assert calibration.MIN_PRODUCTS == 30
    assert calibration.THRESHOLD_SHARE * 100 == 25
    assert item.is_proposal is proposed


def test_a_proposed_norm_is_the_median_in_whole_minutes_half_up():
    assert figures(median="41.5").proposed_norm == 42
    assert figures(median="41.4999").proposed_norm == 41
    assert figures(median="0.2").proposed_norm == 1


@pytest.mark.parametrize(
    ("text", "end", "day"),
    [
        ("09/2026", False, datetime.date(2026, 9, 1)),
        ("9/2026", True, datetime.date(2026, 9, 30)),
        ("2026-02", True, datetime.date(2026, 2, 28)),
        (" 15/09/2026 ", False, datetime.date(2026, 9, 15)),
        ("15.9.2026", True, datetime.date(2026, 9, 15)),
    ],
)
def test_a_bound_is_read_as_people_write_it(text, end, day):
    assert calibration.parse_bound(text, end=end) == day


def test_the_default_period_is_the_last_three_full_months():
    assert calibration.default_period(datetime.date(2026, 12, 7)) == Period(
        datetime.date(2026, 9, 1), datetime.date(2026, 11, 30)
    )
    assert calibration.default_period(datetime.date(2026, 1, 31)) == Period(
        datetime.date(2025, 10, 1), datetime.date(2025, 12, 31)
    )


# The page ----------------------------------------------------------------------------------------


def test_the_page_lists_the_proposal_first_with_its_figures_then_the_other_stages(manager, org, scene):
    response = manager.get(url("calibration", org))

    assert response.status_code == 200
    assert [p.key for p in response.context["proposals"]] == [("C.01", 2)]
    assert [o.key for o in response.context["page"].object_list] == [("B.01", 1), ("C.01", 1)]
    text = response.text
    assert text.index('data-testid="proposals"') < text.index('data-testid="others"')
    assert "320,00" in text and "+33,3 %" in text  # the median and the difference, Vietnamese style
    assert "240 → 320" in text  # the button says what it does
    assert "01/12/2025–28/02/2026" in text
    assert 'value="12/2025"' in text and 'value="02/2026"' in text  # the period shown, in the form


def test_a_search_keeps_the_stages_of_the_tasks_asked_for(manager, org, scene):
    response = manager.get(url("calibration", org), {"q": "b.01"})

    assert response.context["proposals"] == []
    assert [o.key for o in response.context["page"].object_list] == [("B.01", 1)]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "13/2026"}, "“13/2026” không phải là ngày hoặc tháng có thật."),
        (
            {"start": "tháng chín"},
            "Nhập tháng theo dạng mm/yyyy (ví dụ 09/2026) hoặc ngày theo dạng dd/mm/yyyy.",
        ),
        ({"start": "31/02/2026"}, "“31/02/2026” không phải là ngày hoặc tháng có thật."),
        ({"start": "02/2026", "end": "12/2025"}, "Thời gian bắt đầu không được sau thời gian kết thúc."),
        ({"start": "01/2027", "end": "02/2027"}, "Khoảng thời gian không được bắt đầu trong tương lai."),
        ({"start": "01/2020", "end": "02/2026"}, "Chỉ chọn khoảng thời gian tối đa 24 tháng."),
        ({"start": "0" * 30}, "Giá trị này chỉ có tối đa 20 kí tự (hiện có 30)"),
    ],
)
def test_a_period_that_cannot_be_read_is_refused_with_a_message(manager, org, scene, query, message):
    response = manager.get(url("calibration", org), query)

    assert response.status_code == 200
    assert message in response.text
    assert "proposals" not in response.context


def test_the_page_keeps_a_bounded_number_of_queries_whatever_the_number_of_stages(
    manager, org, scene, catalog, django_assert_max_num_queries
):
    for number in range(2, 40):
        task = StandardTaskFactory(version=catalog.version, code=f"C.{number:02}")
        stage = StageFactory(task=task, order=1, norm_minutes=30)
        log(org.member1, org.unit1, stage, "1", 40)

    with django_assert_max_num_queries(14):
        response = manager.get(url("calibration", org))

    assert response.context["stage_count"] == 41
    with django_assert_max_num_queries(15):
        assert manager.get(url("calibration_stage", org, "C.01", 2)).status_code == 200


def test_the_stage_page_draws_the_distribution_against_the_norm(manager, org, scene):
    response = manager.get(url("calibration_stage", org, "C.01", 2))

    assert response.status_code == 200
    chart = response.context["chart"]
    assert chart.startswith("<svg") and "<script" not in chart
    assert "Định mức: 240 phút" in chart and "Trung vị: 320,00 phút" in chart


def test_a_stage_without_data_says_so(manager, org, scene):
    response = manager.get(url("calibration_stage", org, "Z.99", 1))

    assert response.status_code == 200
    assert 'data-testid="no-data"' in response.text


def test_the_python_path_refuses_a_period_with_more_entries_than_it_reads(org, scene, monkeypatch):
    monkeypatch.setattr(calibration, "PYTHON_ROWS_LIMIT", 10)

    with pytest.raises(calibration.TooManyEntries):
        calibration.stage_figures(org.agency, DEFAULT, today=DEFAULT.end, use_sql=False)


def test_a_period_too_large_to_compute_is_said_so_on_the_page(manager, org, scene, monkeypatch):
    def too_many(*args, **kwargs):
        raise calibration.TooManyEntries

    monkeypatch.setattr(calibration, "stage_figures", too_many)

    response = manager.get(url("calibration", org))

    assert response.status_code == 200
    assert "có quá nhiều nhật ký để tính tại đây" in response.text


# Accepting a proposal ----------------------------------------------------------------------------


def draft_norm(org, code="C.01", order=2):
    return Stage.objects.get(
        task__version=catalog_selectors.draft_of(org.agency), task__code=code, order=order
    )


def test_accepting_asks_for_confirmation_first_and_changes_nothing_until_then(manager, org, scene):
    response = manager.get(url("calibration_accept", org, "C.01", 2))

    assert response.status_code == 200
    assert "240 → 320" in response.text
    assert response.context["reason"] in response.text
    assert catalog_selectors.draft_of(org.agency) is None


def test_accepting_sets_the_drafts_norm_with_the_evidence_in_the_history(manager, org, scene):
    response = manager.post(url("calibration_accept", org, "C.01", 2), {"start": "12/2025", "end": "02/2026"})

    assert response.status_code == 302
    stage = draft_norm(org)
    assert stage.norm_minutes == 320
    record = stage.history.latest()
    assert record.history_user == org.catalog_manager
    reason = record.history_change_reason
    assert "01/12/2025–28/02/2026" in reason
    for evidence in ("320,00", "36,00", "6 người", "240"):
        assert evidence in reason
    assert reason.startswith("Hiệu chỉnh định mức theo dữ liệu")
    page = manager.get(response["Location"])
    assert "Dự thảo đặt định mức 320 phút" in page.text
    assert page.context["proposals"][0].accepted


def test_accepting_twice_changes_the_norm_once(manager, org, scene):
    manager.post(url("calibration_accept", org, "C.01", 2))
    response = manager.post(url("calibration_accept", org, "C.01", 2), follow=True)

    assert draft_norm(org).history.filter(history_type="~").count() == 1
    assert "Dự thảo đã đặt 320 phút" in response.text


def test_a_stage_that_is_not_a_proposal_is_refused_and_nothing_changes(manager, org, scene):
    response = manager.post(url("calibration_accept", org, "B.01", 1), follow=True)

    assert "không được đề xuất định mức mới" in response.text
    assert catalog_selectors.draft_of(org.agency) is None


def test_accepting_over_a_refused_period_changes_nothing(manager, org, scene):
    response = manager.post(url("calibration_accept", org, "C.01", 2), {"start": "99/2026"}, follow=True)

    assert "“99/2026” không phải là ngày hoặc tháng có thật." in response.text
    assert catalog_selectors.draft_of(org.agency) is None


def test_publishing_an_accepted_norm_leaves_the_earlier_entries_minutes_as_they_were(manager, org, scene):
    before = dict(DiaryEntry.objects.values_list("pk", "standard_minutes"))
    norms = dict(DiaryEntry.objects.values_list("pk", "norm_minutes"))
    manager.post(url("calibration_accept", org, "C.01", 2))

    version = catalog_services.catalog_publish(
        agency=org.agency,
        effective_from=datetime.date(2026, 3, 10),
        by=org.leader,  # the agency's head
    )

    assert catalog_selectors.version_on(org.agency, datetime.date(2026, 3, 10)) == version
    assert version.tasks.get(code="C.01").stages.get(order=2).norm_minutes == 320
    assert dict(DiaryEntry.objects.values_list("pk", "standard_minutes")) == before
    assert dict(DiaryEntry.objects.values_list("pk", "norm_minutes")) == norms
    # The calibration now compares with the new norm: C.01 stage 2 is no longer proposed.
    assert [p.key for p in manager.get(url("calibration", org)).context["proposals"]] == []


# Who may --------------------------------------------------------------------------------------------


PAGES = [("calibration", ()), ("calibration_stage", ("C.01", 2)), ("calibration_accept", ("C.01", 2))]


@pytest.mark.parametrize(("name", "args"), PAGES)
@pytest.mark.parametrize(
    ("who", "status"), [("leader_b", 404), ("member1", 403), ("hr", 403), ("leader", 403)]
)
def test_only_the_agencys_catalog_managers_may_use_the_pages(client, org, scene, name, args, who, status):
    client.force_login(getattr(org, who))

    assert client.get(url(name, org, *args)).status_code == status
    assert client.post(url("calibration_accept", org, "C.01", 2)).status_code == status
    assert catalog_selectors.draft_of(org.agency) is None


def test_the_catalog_manager_of_another_agency_gets_a_404(manager, org, scene):
    assert manager.get(url("calibration", org, agency=org.other_agency)).status_code == 404
    assert manager.get(reverse("reports:calibration", args=["NOPE"])).status_code == 404


def test_it_requires_a_login(client, org, scene):
    response = client.get(url("calibration", org))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# The demo ------------------------------------------------------------------------------------------


def make_a_proposal_if_none(agency, period, today) -> None:
    """The demo's own estimates come from a random bias per person (``demo/diaries.py``), so whether a
    stage lands over the threshold depends on the day the demo is dated to. When none does, double the
    estimates of the busiest stage that has enough data: far above its norm, it must be proposed."""
    figures = calibration.stage_figures(agency, period, today=today)
    if any(f.is_proposal for f in figures):
        return
    busiest = max((f for f in figures if f.enough_data and f.norm), key=lambda f: f.products)
    calibration.approved_estimates(agency, period).filter(
        task__code=busiest.task_code, stage__order=busiest.order
    ).update(estimate_minutes=F("estimate_minutes") * 2)


def over_the_threshold(agency, expected, today) -> set:
    """The stages the SQL figures put over the threshold, with enough data, against the norm in force."""
    version = catalog_selectors.current_version(agency, today)
    norms = {
        (s.task.code, s.order): s.norm_minutes
        for s in Stage.objects.filter(task__version=version).select_related("task")
    }
    return {
        key
        for key, row in expected.items()
        if key in norms
        and row["products"] >= 30
        and row["people"] >= 5
        and abs(row["median"] - norms[key]) > norms[key] * D("0.25")
        and int(row["median"].quantize(D(1), rounding=ROUND_HALF_UP)) != norms[key]
    }


@pytest.mark.dates
@pytest.mark.django_db(transaction=True)
def test_the_demo_has_stages_above_the_threshold_listed_with_the_figures_of_sql(demo, client):
    agency = Agency.objects.get(code="STC")
    client.force_login(User.objects.get(username="danhmuc"))
    today = org_selectors.today()
    period = calibration.default_period(today)
    page = reverse("reports:calibration", args=["STC"])

    # The demo as seeded: the page proposes exactly the stages the SQL puts over the threshold.
    expected = hand_figures(agency, period)
    response = client.get(page)
    assert {p.key for p in response.context["proposals"]} == over_the_threshold(agency, expected, today)
    listed = [*response.context["proposals"], *response.context["page"].object_list]
    assert listed and all(shown(item) == expected[item.key] for item in listed)
    python = calibration.stage_figures(agency, period, today=today, use_sql=False)
    assert {f.key: shown(f) for f in python} == expected

    make_a_proposal_if_none(agency, period, today)
    expected = hand_figures(agency, period)
    response = client.get(page)

    proposals = response.context["proposals"]
    assert proposals, "the demo should show at least one stage far from its norm"
    assert {p.key for p in proposals} == over_the_threshold(agency, expected, today)
    for item in proposals:
        assert shown(item) == expected[item.key]
        assert f'data-testid="stage-{item.task_code}-{item.order}"' in response.text

    # Accepting the first proposal puts its median into the draft; publishing it leaves the entries.
    item = proposals[0]
    before = dict(DiaryEntry.objects.values_list("pk", "standard_minutes"))
    response = client.post(reverse("reports:calibration_accept", args=["STC", item.task_code, item.order]))
    assert response.status_code == 302
    draft = catalog_selectors.draft_of(agency)
    stage = Stage.objects.get(task__version=draft, task__code=item.task_code, order=item.order)
    assert stage.norm_minutes == item.proposed_norm
    assert f"{item.people} người" in stage.history.latest().history_change_reason
    latest = catalog_selectors.latest_published(agency)
    catalog_services.catalog_publish(
        agency=agency,
        effective_from=max(today, latest.effective_from),
        by=User.objects.get(username="giamdoc"),
    )
    assert dict(DiaryEntry.objects.values_list("pk", "standard_minutes")) == before

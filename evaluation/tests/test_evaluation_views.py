"""The evaluation pages: the explained score, scoring forms, finalising, appeals, weights, discipline."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from evaluation import services
from evaluation.models import Appeal, EvaluationStatus, MonthlyEvaluation, Rating, ScoringScheme, TaskBasis
from kpi_portal import standards
from org.models import Role
from org.tests.factories import RoleAssignmentFactory
from worklog.models import EntryStatus
from worklog.tests.factories import DiaryEntryFactory

# Hours against 8 h a working day: these months are measured on the capacity basis.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("capacity_basis")]
MARCH = datetime.date(2026, 3, 1)
CRITERIA = ("conduct", "competence", "initiative")  # Decree 335/2025 Article 12: 10 points each


def as_user(client, user):
    client.force_login(user)
    return client


def criteria_data(value, version, **extra):
    data = {f"points_{c}": value for c in CRITERIA} | {f"comment_{c}": "" for c in CRITERIA}
    return data | {"version": version, "comment": ""} | extra


@pytest.fixture
def evaluation(org, diary, frozen_now):
    DiaryEntryFactory(
        person=org.member1,
        unit=org.unit1,
        stage=diary.budget_review,
        date=datetime.date(2026, 3, 2),
        quantity=Decimal(2),
        status=EntryStatus.APPROVED,
        delays=1,
    )
    return services.evaluation_open(person=org.member1, month=MARCH)


def url(name, evaluation, *args):
    return reverse(f"evaluation:{name}", args=[evaluation.pk, *args])


def test_the_person_opens_their_month_and_sees_the_provisional_explanation(client, org, evaluation):
    client = as_user(client, org.member1)
    response = client.get(reverse("evaluation:person_month", args=[org.member1.pk, 2026, 3]))
    assert response.url == url("detail", evaluation)

    page = client.get(response.url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "C.01" in text
    assert page.context["self_form"] is not None
    # 480 approved minutes of 22 × 480; one delay takes 120 of them from progress: 20 × 360/10,560
    assert standards.rounded(page.context["live"].progress) == Decimal("0.68")
    # The entry's deduction, 20 × 120/10,560 = 0.2272…, shown with its decimals (not "−0,00").
    assert "−0,23" in text


def test_self_assessment_with_a_bad_number_is_explained_and_saves_nothing(client, org, evaluation):
    client = as_user(client, org.member1)
    response = client.post(url("self_assess", evaluation), criteria_data("11", evaluation.version))
    assert response.status_code == 400
    assert response.context["self_form"].errors
    assert not evaluation.criteria.exists()

    response = client.post(url("self_assess", evaluation), criteria_data("5,5", evaluation.version))
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SELF_ASSESSED
    assert evaluation.criteria.get(criterion__key="competence", by="self").points == Decimal("5.5")


@pytest.mark.usefixtures("march_closed")
def test_the_supervisor_scores_from_the_page_then_the_leader_finalises(client, org, evaluation):
    as_user(client, org.member1).post(url("self_assess", evaluation), criteria_data("6", evaluation.version))
    evaluation.refresh_from_db()
    client = as_user(client, org.head1)
    page = client.get(url("detail", evaluation))
    assert page.context["score_form"].initial["points_conduct"] == Decimal(6)
    response = client.post(url("score", evaluation), criteria_data("5", evaluation.version))
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SCORED

    assert client.post(url("finalise", evaluation), {"version": evaluation.version}).status_code == 403

    client = as_user(client, org.leader)
    client.post(url("finalise", evaluation), {"version": evaluation.version})
    evaluation.refresh_from_db()
    assert evaluation.is_final


def test_a_stale_page_gets_a_conflict_message(client, org, evaluation):
    client = as_user(client, org.member1)
    client.post(url("self_assess", evaluation), criteria_data("6", evaluation.version))
    response = client.post(url("self_assess", evaluation), criteria_data("4", evaluation.version))
    assert response.status_code == 400
    assert "Người khác vừa thay đổi nội dung này. Tải lại trang" in response.content.decode()


@pytest.mark.parametrize("who", ["member2", "head2", "orphan", "member_b", "leader_b", "catalog_manager"])
def test_outsiders_do_not_find_the_evaluation(client, org, evaluation, who):
    client = as_user(client, getattr(org, who))
    for name in ("detail", "self_assess", "score", "finalise", "appeal", "appeal_decide"):
        method = client.get if name == "detail" else client.post
        assert method(url(name, evaluation)).status_code == 404, name
    assert client.get(reverse("evaluation:person_month", args=[org.member1.pk, 2026, 3])).status_code == 404


def test_hr_and_leaders_read_it_without_any_form(client, org, evaluation):
    for reader in (org.hr, org.deputy):
        page = as_user(client, reader).get(url("detail", evaluation))
        assert page.status_code == 200
        assert page.context.get("self_form") is None and page.context.get("score_form") is None


def test_the_explained_page_runs_a_bounded_number_of_queries(
    client, org, diary, evaluation, django_assert_max_num_queries
):
    for day in range(2, 28):
        DiaryEntryFactory(
            person=org.member1,
            unit=org.unit1,
            stage=diary.study,
            date=datetime.date(2026, 3, day),
            status=EntryStatus.APPROVED,
            major_errors=1,
        )
    client = as_user(client, org.member1)
    with django_assert_max_num_queries(30):
        assert client.get(url("detail", evaluation)).status_code == 200


def _final(evaluation, org):
    MonthlyEvaluation.objects.filter(pk=evaluation.pk).update(
        status=EvaluationStatus.FINAL,
        rating=Rating.COMPLETED,
        total_score=Decimal(60),
        finalised_at=datetime.datetime(2026, 3, 10, 2, tzinfo=datetime.UTC),
        finalised_by=org.leader,
    )
    evaluation.refresh_from_db()
    return evaluation


def test_appealing_and_deciding_from_the_page(client, org, evaluation):
    evaluation = _final(evaluation, org)
    client = as_user(client, org.member1)
    assert client.post(url("appeal", evaluation), {"reason": "  "}).status_code == 400
    client.post(url("appeal", evaluation), {"reason": "Tôi không đồng ý"})
    appeal = Appeal.objects.get()

    client = as_user(client, org.leader)
    page = client.get(url("detail", evaluation))
    assert page.context["decision_form"] is not None
    response = client.post(
        url("appeal_decide", evaluation), criteria_data("6", appeal.version, amend="1", decision="")
    )
    assert response.status_code == 400
    response = client.post(
        url("appeal_decide", evaluation), criteria_data("6", appeal.version, amend="1", decision="Chấp nhận")
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == "amended"


def test_the_agency_month_page_is_for_its_readers_and_finalises_in_bulk(client, org, evaluation):
    page_url = reverse("evaluation:agency_month", args=[org.agency.code]) + "?month=2026-03"
    assert as_user(client, org.member1).get(page_url).status_code == 403
    assert as_user(client, org.leader_b).get(page_url).status_code == 404
    assert as_user(client, org.hr).post(page_url, {"evaluation": evaluation.pk}).status_code == 403
    response = as_user(client, org.hr).get(page_url)
    assert response.status_code == 200
    assert list(response.context["evaluations"]) == [evaluation]

    response = as_user(client, org.leader).post(page_url, {"evaluation": "x"}, follow=True)
    assert list(response.context["messages"])


@pytest.mark.dates
def test_weights_page_only_for_administrators_and_the_split_is_checked(client, org):
    page_url = reverse("evaluation:scheme_edit", args=[org.agency.code])
    assert as_user(client, org.hr).get(page_url).status_code == 403
    assert as_user(client, org.member_b).get(page_url).status_code == 404
    RoleAssignmentFactory(person=org.hr, role=Role.ADMINISTRATOR, agency=org.agency)
    client = as_user(client, org.hr)
    data = {
        "quantity_points": 40,
        "quality_points": 20,
        "progress_points": 20,
        "weight_conduct": 10,
        "weight_competence": 10,
        "weight_initiative": 10,
        "unit_points": 20,
        "appeal_days": 10,
        "self_assessment_days": 3,
        "excellent_quota_percent": 20,
        "task_basis": "assigned",
        "annual_deadline_day": 15,
        "annual_groups": "leaders",
        "reason": "Thử",
        "version": 1,
    }
    response = client.post(page_url, data)
    assert response.status_code == 200
    assert "các trọng số này cho 80 và 30 điểm" in response.content.decode()
    assert ScoringScheme.objects.get(agency=org.agency).task_basis == TaskBasis.CAPACITY
    assert client.post(page_url, data | {"quantity_points": 30}).status_code == 302
    # The agency now measures task results against the work assigned (the field says so in Vietnamese).
    assert ScoringScheme.objects.get(agency=org.agency).task_basis == TaskBasis.ASSIGNED
    assert client.post(page_url, data | {"task_basis": "hours", "version": 2}).status_code == 200
    assert ScoringScheme.objects.get(agency=org.agency).task_basis == TaskBasis.ASSIGNED


def test_disciplinary_measure_page_for_hr_only(client, org, frozen_now):
    page_url = reverse("evaluation:measure_new", args=[org.member1.pk])
    assert as_user(client, org.head1).get(page_url).status_code == 403
    client = as_user(client, org.hr)
    assert client.post(page_url, {"decided_on": "32/01/2026", "description": "x"}).status_code == 200
    response = client.post(page_url, {"decided_on": "05/03/2026", "description": "Khiển trách"})
    assert response.status_code == 302


def test_the_scoring_list_shows_everyone_the_reviewer_evaluates(client, org, evaluation):
    response = as_user(client, org.head1).get(reverse("evaluation:scores"), {"month": "2026-03"})
    people = [person for person, _evaluation in response.context["rows"]]
    assert people == sorted([org.member1, org.member2], key=lambda p: p.full_name)
    assert as_user(client, org.member1).get(reverse("evaluation:scores")).status_code == 403
    assert (
        as_user(client, org.head1).get(reverse("evaluation:scores"), {"month": "garbage"}).status_code == 200
    )


def test_my_evaluations_lists_months_and_periods(client, org, evaluation):
    response = as_user(client, org.member1).get(reverse("evaluation:mine"), {"year": "abc"})
    assert response.status_code == 200
    assert list(response.context["evaluations"]) == [evaluation]
    assert [p.label for p in response.context["periods"]] == ["Q1", "Q2", "Q3", "Q4", "2026"]


def test_a_quarter_averaging_just_below_ninety_is_good_and_never_shows_ninety(client, org, frozen_now):
    # (89,99 + 90 + 90) ÷ 3 = 89,9967: rounded before the threshold it would read 90,00, "excellent".
    for month, score, rating in (
        (1, "89.99", Rating.GOOD),
        (2, "90", Rating.EXCELLENT),
        (3, "90", Rating.EXCELLENT),
    ):
        MonthlyEvaluation.objects.create(
            person=org.member1,
            agency=org.agency,
            unit=org.unit1,
            month=datetime.date(2026, month, 1),
            status=EvaluationStatus.FINAL,
            total_score=Decimal(score),
            rating=rating,
        )

    response = as_user(client, org.member1).get(reverse("evaluation:mine"), {"year": "2026"})

    periods = re.search(r'<table[^>]*data-testid="periods".*?</table>', response.content.decode(), re.S)
    quarter = re.search(r"<th scope=\"row\">Q1</th>(.*?)</tr>", periods.group(0), re.S).group(1)
    assert "89,99" in quarter and "90,00" not in quarter
    assert "Hoàn thành tốt nhiệm vụ" in quarter and "xuất sắc" not in quarter


def test_the_person_page_links_to_the_evaluation_and_for_hr_to_discipline(client, org, frozen_now):
    person_url = reverse("org:person", args=[org.member1.pk])
    measure_url = reverse("evaluation:measure_new", args=[org.member1.pk])
    month_url = reverse("evaluation:person_month", args=[org.member1.pk, 2026, 3])
    page = as_user(client, org.hr).get(person_url).content.decode()
    assert measure_url in page and month_url in page
    page = as_user(client, org.head1).get(person_url).content.decode()
    assert measure_url not in page and month_url in page


def test_the_explained_score_of_an_open_month_is_labelled_provisional(client, org, evaluation):
    client.force_login(org.head1)
    page = client.get(reverse("evaluation:detail", args=[evaluation.pk])).content.decode()
    assert 'data-testid="provisional"' in page  # 10/03: March is still open
    with time_machine.travel(datetime.datetime(2026, 4, 1, 9, tzinfo=datetime.UTC), tick=False):
        page = client.get(reverse("evaluation:detail", args=[evaluation.pk])).content.decode()
    assert 'data-testid="provisional"' not in page


def test_the_unit_component_says_it_is_provisional_while_members_are_unrated(client, org, evaluation):
    head = services.evaluation_open(person=org.head1, month=MARCH)  # member1 opened, member2 not at all
    client.force_login(org.leader)
    page = client.get(reverse("evaluation:detail", args=[head.pk])).content.decode()
    shown = re.sub(r"\s+", " ", page)
    assert "Tạm tính: còn 2 thành viên chưa được xếp loại" in shown
    assert "Mọi thành viên đều từ hoàn thành" not in shown

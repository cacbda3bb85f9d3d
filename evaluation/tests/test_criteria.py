"""General criteria as data, versioned by effective date: Decree 90/2020's five criteria for months before
2026, Decree 335/2025 Article 12's three groups from January 2026; the agency's weights of the criteria
in force, within the decree's 30 points (docs/general-criteria.md)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from evaluation import selectors, services
from evaluation.models import CriterionScore, CriterionWeight, EvaluationStatus, ScoringScheme
from org.models import AuditEvent, Role
from org.tests.factories import RoleAssignmentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]  # 10/03/2026

DECEMBER_2025 = datetime.date(2025, 12, 1)
JANUARY_2026 = datetime.date(2026, 1, 1)
DECREE_90 = ["politics", "ethics", "discipline", "attitude", "innovation"]
ARTICLE_12 = ["conduct", "competence", "initiative"]
SPLIT_REFUSED = "Nghị định 335/2025/NĐ-CP quy định cố định 70 điểm kết quả thực hiện nhiệm vụ và 30 điểm"


@pytest.fixture
def administrator(org):
    RoleAssignmentFactory(person=org.hr, role=Role.ADMINISTRATOR, agency=org.agency)
    return org.hr


def final(org, month, points):
    """member1's month, assessed, scored with ``points`` by criterion and finalised."""
    evaluation = services.evaluation_open(person=org.member1, month=month)
    evaluation = services.self_assess(
        evaluation=evaluation, by=org.member1, points=points, comments={}, comment="", version=None
    )
    evaluation = services.evaluation_score(
        evaluation=evaluation, by=org.head1, points=points, comments={}, comment="", version=None
    )
    return services.evaluation_finalise(evaluation=evaluation, by=org.leader, version=evaluation.version)


def weights_in_force(scheme) -> dict[str, int]:
    fresh = ScoringScheme.objects.get(pk=scheme.pk)
    return {key: fresh.criterion_points(key) for key in ARTICLE_12}


def update(scheme, by, weights, **values):
    return services.scheme_update(
        scheme=scheme,
        by=by,
        values={name: getattr(scheme, name) for name in services.SCHEME_FIELDS} | values,
        weights=weights,
        reason="Trọng số tiêu chí chung",
        version=None,
    )


# A month keeps the criteria in force on its first day ------------------------------------------------


def test_a_2025_month_keeps_decree_90s_criteria_and_a_2026_month_gets_article_12s(client, org):
    december = services.evaluation_open(person=org.member1, month=DECEMBER_2025)
    january = services.evaluation_open(person=org.member1, month=JANUARY_2026)

    assert december.criteria_version.name == "Nghị định 90/2020/NĐ-CP"
    assert [c.key for c in selectors.general_criteria(december)] == DECREE_90
    assert january.criteria_version.name == "Nghị định 335/2025/NĐ-CP"
    assert [c.key for c in selectors.general_criteria(january)] == ARTICLE_12
    assert [c.default_points for c in selectors.general_criteria(january)] == [10, 10, 10]

    client.force_login(org.member1)
    page = client.get(reverse("evaluation:detail", args=[december.pk]))
    text = page.content.decode()
    assert "Tiêu chí chung theo Nghị định 90/2020/NĐ-CP" in text
    assert "Chính trị tư tưởng" in text
    assert [name for name in page.context["self_form"].fields if name.startswith("points_")] == [
        f"points_{key}" for key in DECREE_90
    ]
    page = client.get(reverse("evaluation:detail", args=[january.pk]))
    text = page.content.decode()
    assert "Tiêu chí chung theo Nghị định 335/2025/NĐ-CP" in text
    assert "Năng lực chuyên môn theo vị trí việc làm" in text
    assert "Chính trị tư tưởng" not in text
    assert [name for name in page.context["self_form"].fields if name.startswith("points_")] == [
        f"points_{key}" for key in ARTICLE_12
    ]


def test_each_month_is_scored_on_its_own_criteria_and_refuses_the_others(org):
    december = services.evaluation_open(person=org.member1, month=DECEMBER_2025)
    with pytest.raises(ValidationError) as refused:
        services.self_assess(
            evaluation=december,
            by=org.member1,
            points=dict.fromkeys(ARTICLE_12, Decimal(10)),
            comments={},
            comment="",
            version=None,
        )
    assert set(refused.value.message_dict) == set(DECREE_90)
    assert not december.criteria.exists()

    december = final(org, DECEMBER_2025, dict.fromkeys(DECREE_90, Decimal(6)))
    january = final(org, JANUARY_2026, dict.fromkeys(ARTICLE_12, Decimal(10)))

    assert december.general_score == january.general_score == Decimal("30.00")
    scored = CriterionScore.objects.filter(evaluation=december, by=CriterionScore.By.SUPERVISOR)
    assert sorted(scored.values_list("criterion__key", flat=True)) == sorted(DECREE_90)
    scored = CriterionScore.objects.filter(evaluation=january, by=CriterionScore.By.SUPERVISOR)
    assert sorted(scored.values_list("criterion__key", flat=True)) == sorted(ARTICLE_12)


# The agency's weights of the criteria in force ---------------------------------------------------


def test_changing_the_weights_in_force_leaves_a_final_evaluations_stored_score_unchanged(
    client, org, administrator
):
    evaluation = final(org, JANUARY_2026, {"conduct": Decimal(10), "competence": Decimal(9), "initiative": 5})
    stored = (evaluation.general_score, evaluation.total_score, evaluation.rating)
    assert evaluation.general_score == Decimal("24.00")

    update(selectors.scheme_of(org.agency), administrator, {"conduct": 6, "competence": 6, "initiative": 18})

    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.FINAL
    assert (evaluation.general_score, evaluation.total_score, evaluation.rating) == stored
    client.force_login(org.member1)
    page = client.get(reverse("evaluation:detail", args=[evaluation.pk]))
    assert page.context["evaluation"].general_score == Decimal("24.00")


def test_editing_one_weight_row_leaves_the_others_untouched(org, administrator):
    scheme = selectors.scheme_of(org.agency)
    update(scheme, administrator, {"conduct": 12, "competence": 9, "initiative": 9})
    rows = {row.criterion.key: row for row in CriterionWeight.objects.select_related("criterion")}
    assert {key: row.points for key, row in rows.items()} == {"conduct": 12, "competence": 9, "initiative": 9}

    update(selectors.scheme_of(org.agency), administrator, {"conduct": 12, "competence": 10, "initiative": 8})

    assert weights_in_force(scheme) == {"conduct": 12, "competence": 10, "initiative": 8}
    conduct = CriterionWeight.objects.get(pk=rows["conduct"].pk)
    assert conduct.points == 12
    assert conduct.history.count() == 1  # written once, when first set
    assert CriterionWeight.objects.get(pk=rows["competence"].pk).history.count() == 2
    assert CriterionWeight.objects.count() == 3
    event = AuditEvent.objects.filter(action="scheme.changed").first()
    assert event.before["general_criteria"] == {"conduct": 12, "competence": 9, "initiative": 9}
    assert event.after["general_criteria"] == {"conduct": 12, "competence": 10, "initiative": 8}


def test_the_weights_page_edits_the_criteria_in_force(client, org, administrator):
    scheme = selectors.scheme_of(org.agency)
    page_url = reverse("evaluation:scheme_edit", args=[org.agency.code])
    client.force_login(administrator)

    page = client.get(page_url)
    assert "Nghị định 335/2025/NĐ-CP" in page.content.decode()
    form = page.context["form"]
    assert [name for name in form.fields if name.startswith("weight_")] == [f"weight_{k}" for k in ARTICLE_12]
    data = {name: form.initial[name] for name in form.fields if name in form.initial}
    data |= {"weight_conduct": 14, "weight_initiative": 6, "reason": "Đề cao phẩm chất"}

    response = client.post(page_url, data)

    assert response.status_code == 302, response.context["form"].errors
    assert weights_in_force(scheme) == {"conduct": 14, "competence": 10, "initiative": 6}
    assert not CriterionWeight.objects.filter(criterion__key="competence").exists()


# Bad input and outsiders -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("task", "general", "given"),
    [
        ({"quantity_points": 20, "quality_points": 15, "progress_points": 15}, [20, 15, 15], "cho 50 và 50"),
        ({}, [10, 10, 5], "cho 70 và 25"),
        ({}, [20, 10, 10], "cho 70 và 40"),
    ],
)
def test_weights_that_break_the_decrees_split_are_refused_and_nothing_changes(
    org, administrator, task, general, given
):
    scheme = selectors.scheme_of(org.agency)
    with pytest.raises(ValidationError) as refused:
        update(scheme, administrator, dict(zip(ARTICLE_12, general, strict=True)), **task)

    message = " ".join(refused.value.messages)
    assert SPLIT_REFUSED in message
    assert given in message
    scheme = ScoringScheme.objects.get(pk=scheme.pk)
    assert (scheme.quantity_points, scheme.version) == (30, 1)
    assert weights_in_force(scheme) == dict.fromkeys(ARTICLE_12, 10)
    assert not CriterionWeight.objects.exists()
    assert not AuditEvent.objects.filter(action="scheme.changed").exists()


@pytest.mark.parametrize(
    ("weights", "field"),
    [({"conduct": -1, "competence": 21, "initiative": 10}, "weight_conduct"), ({"politics": 6}, "__all__")],
)
def test_a_weight_that_is_no_whole_number_of_points_or_not_in_force_is_refused(
    org, administrator, weights, field
):
    scheme = selectors.scheme_of(org.agency)
    with pytest.raises(ValidationError) as refused:
        update(scheme, administrator, weights)
    assert field in refused.value.message_dict
    assert not CriterionWeight.objects.exists()


def test_the_page_explains_a_refused_split_in_vietnamese_and_keeps_the_weights(client, org, administrator):
    page_url = reverse("evaluation:scheme_edit", args=[org.agency.code])
    client.force_login(administrator)
    form = client.get(page_url).context["form"]
    data = {name: form.initial[name] for name in form.fields if name in form.initial}

    response = client.post(page_url, data | {"weight_conduct": 15, "reason": "Thử"})

    assert response.status_code == 200
    assert "các trọng số này cho 70 và 35 điểm" in response.content.decode()
    assert not CriterionWeight.objects.exists()


def test_outsiders_cannot_change_the_weights(client, org, administrator):
    scheme = selectors.scheme_of(org.agency)
    page_url = reverse("evaluation:scheme_edit", args=[org.agency.code])
    data = {"weight_conduct": 14, "weight_initiative": 6, "reason": "Thử", "version": 1}
    for outsider, code in ((org.member_b, 404), (org.leader_b, 404), (org.head1, 403), (org.leader, 403)):
        client.force_login(outsider)
        assert client.post(page_url, data).status_code == code, outsider
    for outsider in (org.leader_b, org.leader, org.member1):
        with pytest.raises(PermissionDenied):
            update(scheme, outsider, {"conduct": 14, "competence": 10, "initiative": 6})
    assert not CriterionWeight.objects.exists()
    assert weights_in_force(scheme) == dict.fromkeys(ARTICLE_12, 10)

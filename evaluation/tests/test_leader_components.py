"""Leaders' parts of the task results: the unit component of what they lead (a unit head's unit, a deputy's
field, the whole agency for its head) and their capacity to organise the work (docs/scoring.md, "Leaders")."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluation import leaders, scoring, services
from evaluation.models import EvaluationStatus, MonthlyEvaluation, Rating, ScoringScheme
from org.models import AuditEvent, Role, Supervision
from org.supervision import supervision_save
from org.tests.factories import MembershipFactory, RoleAssignmentFactory, UnitFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("capacity_basis", "frozen_now")]
MARCH = datetime.date(2026, 3, 1)
CRITERIA = ("conduct", "competence", "initiative")  # Decree 335/2025 Article 12: 10 points each
FULL = {c: Decimal(10) for c in CRITERIA}


def _field(org, *units):
    for unit in units:
        supervision_save(
            supervision=Supervision(person=org.deputy, unit=unit, start=datetime.date(2026, 1, 1)),
            by=org.leader,
        )


def _rated(person, unit, rating, status=EvaluationStatus.SCORED):
    return MonthlyEvaluation.objects.create(
        person=person, agency=unit.agency, unit=unit, month=MARCH, status=status, rating=rating
    )


def _score(person, by, capacity=None):
    evaluation = services.evaluation_open(person=person, month=MARCH)
    evaluation = services.self_assess(
        evaluation=evaluation, by=person, points=FULL, comments={}, comment="", version=None
    )
    return services.evaluation_score(
        evaluation=evaluation,
        by=by,
        points=FULL,
        comments={},
        comment="",
        version=None,
        capacity=capacity,
    )


def _form_data(version, **extra):
    data = {f"points_{c}": "10" for c in CRITERIA} | {f"comment_{c}": "" for c in CRITERIA}
    return data | {"version": version, "comment": ""} | extra


# The deputy's field ----------------------------------------------------------------------------


def test_a_deputys_unit_component_ignores_units_outside_the_field_and_unrated_members(org):
    _field(org, org.unit1)
    _rated(org.member1, org.unit1, Rating.GOOD)  # member2 of the same unit: not rated yet
    _rated(org.hr, org.unit2, Rating.NOT_COMPLETED)  # outside the field
    _rated(org.orphan, org.unit3, Rating.NOT_COMPLETED)  # outside the field

    scope = leaders.leader_scope(services.evaluation_open(person=org.deputy, month=MARCH))

    assert scope.kind == leaders.DEPUTY
    assert [u.code for u in scope.units] == ["NS"]
    assert {m.username for m, _e in scope.members} == {"head1", "member1", "member2"}
    assert scope.ratings == [Rating.GOOD]
    assert scope.unrated == 2
    assert scope.factor == 1


def test_one_member_of_a_supervised_unit_not_completed_halves_the_deputys_unit_component(org):
    _field(org, org.unit1, org.unit2)
    _rated(org.head2, org.unit2, Rating.GOOD)
    _rated(org.member2, org.unit1, Rating.NOT_COMPLETED)

    deputy = _score(org.deputy, org.leader, capacity=100)

    assert deputy.unit_score == Decimal("10.00")  # 50 % of the 20 unit points
    assert deputy.capacity_score == Decimal("10.00")  # 100 % of the 10 capacity points
    assert deputy.task_score == Decimal("20.00")  # no approved work of their own
    assert deputy.total_score == Decimal("50.00")


def test_a_unit_leaves_the_field_on_its_end_date_and_the_change_is_audited(org):
    _field(org, org.unit2)
    supervision = Supervision.objects.get(person=org.deputy, unit=org.unit2)
    supervision.end = datetime.date(2026, 2, 28)
    supervision_save(supervision=supervision, by=org.leader, reason="Phân công lại")
    _rated(org.hr, org.unit2, Rating.NOT_COMPLETED)

    scope = leaders.leader_scope(services.evaluation_open(person=org.deputy, month=MARCH))

    assert scope.units == [] and not scope.has_unit_component and scope.factor is None
    actions = list(
        AuditEvent.objects.filter(object_type="supervision").order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["supervision.recorded", "supervision.ended"]


def test_a_deputy_without_a_field_is_scored_on_capacity_only(org):
    deputy = _score(org.deputy, org.leader, capacity=50)

    assert deputy.unit_score is None
    assert deputy.capacity_score == Decimal("5.00")
    assert deputy.task_score == Decimal("5.00")


@pytest.mark.parametrize(
    ("who", "unit", "message"),
    [
        ("deputy", "board", "Chọn một phòng, ban dưới Ban Giám đốc"),
        ("member1", "unit2", "Chỉ thành viên Ban Giám đốc"),
    ],
)
def test_a_field_is_a_unit_below_the_board_given_to_a_board_member(org, who, unit, message):
    supervision = Supervision(person=getattr(org, who), unit=getattr(org, unit), start=MARCH)
    with pytest.raises(ValidationError, match=message):
        supervision_save(supervision=supervision, by=org.leader)
    assert not Supervision.objects.exists()
    assert not AuditEvent.objects.filter(object_type="supervision").exists()


def test_the_same_unit_twice_at_once_in_a_field_is_refused(org):
    _field(org, org.unit1)
    with pytest.raises(ValidationError):
        supervision_save(supervision=Supervision(person=org.deputy, unit=org.unit1, start=MARCH), by=None)
    assert Supervision.objects.count() == 1


def test_the_agency_heads_unit_component_counts_every_unit_of_the_agency(org):
    _rated(org.orphan, org.unit3, Rating.NOT_COMPLETED)
    _rated(org.member_b, org.member_b.memberships.get().unit, Rating.NOT_COMPLETED)  # another agency

    scope = leaders.leader_scope(services.evaluation_open(person=org.leader, month=MARCH))

    assert scope.kind == leaders.AGENCY_HEAD
    assert {u.code for u in scope.units} == {org.board.code, "NS", "VP", "TH"}
    assert org.member_b not in [m for m, _e in scope.members]
    assert org.deputy in [m for m, _e in scope.members]
    assert scope.factor == Decimal("0.5")


@pytest.mark.usefixtures("march_closed")
def test_a_deputy_is_finalised_after_the_members_of_the_field(org):
    _field(org, org.unit1)
    deputy = _score(org.deputy, org.leader, capacity=75)
    with pytest.raises(ValidationError) as error:
        services.evaluation_finalise(evaluation=deputy, by=org.leader, version=deputy.version)
    assert org.member1.get_full_name() in str(error.value)


# Capacity to organise the work ------------------------------------------------------------------


def test_a_non_leader_never_gets_the_capacity_criterion(client, org):
    member = services.evaluation_open(person=org.member1, month=MARCH)
    services.self_assess(
        evaluation=member, by=org.member1, points=FULL, comments={}, comment="", version=None
    )
    client.force_login(org.head1)
    page = client.get(reverse("evaluation:detail", args=[member.pk]))
    assert "capacity" not in page.context["score_form"].fields
    assert 'data-testid="capacity-component"' not in page.content.decode()

    member.refresh_from_db()
    with pytest.raises(ValidationError, match="Chỉ lãnh đạo"):
        services.evaluation_score(
            evaluation=member,
            by=org.head1,
            points=FULL,
            comments={},
            comment="",
            version=member.version,
            capacity=100,
        )
    member.refresh_from_db()
    assert member.status == EvaluationStatus.SELF_ASSESSED and member.capacity_percent is None


def test_the_leaders_score_includes_the_capacity_level_chosen_on_the_page(client, org):
    head = services.evaluation_open(person=org.head1, month=MARCH)
    services.self_assess(evaluation=head, by=org.head1, points=FULL, comments={}, comment="", version=None)
    head.refresh_from_db()
    client.force_login(org.leader)
    page = client.get(reverse("evaluation:detail", args=[head.pk]))
    assert page.context["score_form"].fields["capacity"].choices[1:] == [
        (100, "100 %"),
        (75, "75 %"),
        (50, "50 %"),
        (25, "25 %"),
        (0, "0 %"),
    ]

    response = client.post(
        reverse("evaluation:score", args=[head.pk]), _form_data(head.version, capacity="50")
    )

    assert response.status_code == 302
    head.refresh_from_db()
    # No work of their own: unit 20 (both members unrated, 100 % provisionally) + capacity 10 × 50 %.
    assert (head.capacity_percent, head.capacity_score, head.task_score) == (50, Decimal(5), Decimal(25))
    assert head.total_score == Decimal(55)
    page = client.get(reverse("evaluation:detail", args=[head.pk])).content.decode()
    shown = re.sub(r"\s+", " ", page)
    assert "Mức do người đánh giá chọn: 50 % của 10 điểm" in shown


@pytest.mark.parametrize("capacity", ["", "33", "abc"])
def test_a_leader_scored_without_a_valid_capacity_level_is_told_and_nothing_changes(client, org, capacity):
    head = services.evaluation_open(person=org.head1, month=MARCH)
    services.self_assess(evaluation=head, by=org.head1, points=FULL, comments={}, comment="", version=None)
    head.refresh_from_db()
    client.force_login(org.leader)

    response = client.post(
        reverse("evaluation:score", args=[head.pk]), _form_data(head.version, capacity=capacity)
    )

    assert response.status_code == 400
    assert response.context["score_form"].errors["capacity"]
    head.refresh_from_db()
    assert head.status == EvaluationStatus.SELF_ASSESSED and head.capacity_percent is None


def test_the_capacity_scale_and_weight_are_the_agencys(org):
    ScoringScheme.objects.update_or_create(
        agency=org.agency, defaults={"capacity_points": 20, "unit_points": 10, "capacity_levels": "100,50"}
    )
    with pytest.raises(ValidationError, match="100, 50"):
        _score(org.head1, org.leader, capacity=75)
    head = _score(org.head1, org.leader, capacity=50)
    assert head.capacity_score == Decimal(10) and head.unit_score == Decimal(10)


def test_a_leaders_parts_keep_the_task_results_within_70_points():
    scheme = ScoringScheme()
    full = [scoring.EntryMarks(1, Decimal(22 * 480))]
    result = scoring.task_result(scheme, full, 22, unit_factor=Decimal(1), capacity_ratio=Decimal(1))
    assert (result.own_points, result.personal_share, result.unit, result.capacity) == (40, 40, 20, 10)
    assert result.total == scheme.task_points == 70
    half = scoring.task_result(scheme, full, 22, unit_factor=Decimal("0.5"), capacity_ratio=Decimal(0))
    assert half.total == 50


def test_a_scheme_whose_leader_parts_exceed_the_task_points_is_refused(org):
    scheme = ScoringScheme.objects.get_or_create(agency=org.agency)[0]
    scheme.unit_points, scheme.capacity_points = 50, 30
    with pytest.raises(ValidationError, match="không được vượt quá"):
        scheme.full_clean()


# The explained score and its cost -----------------------------------------------------------------


def test_the_explained_score_of_the_agency_head_stays_within_a_query_bound(
    client, org, django_assert_max_num_queries
):
    unit = UnitFactory(agency=org.agency, parent=org.board, code="X")
    for n in range(30):
        person = MembershipFactory(unit=unit, person=UserFactory(username=f"x{n}")).person
        _rated(person, unit, Rating.GOOD)
    head = services.evaluation_open(person=org.leader, month=MARCH)
    client.force_login(org.leader)
    with django_assert_max_num_queries(40):
        page = client.get(reverse("evaluation:detail", args=[head.pk]))
    assert page.status_code == 200
    text = re.sub(r"\s+", " ", page.content.decode())
    assert "Mọi phòng, ban của cơ quan." in text


def test_the_explained_score_of_a_deputy_names_the_units_of_the_field(client, org):
    _field(org, org.unit1, org.unit3)
    deputy = services.evaluation_open(person=org.deputy, month=MARCH)
    client.force_login(org.deputy)
    page = client.get(reverse("evaluation:detail", args=[deputy.pk])).content.decode()
    field = re.search(r'data-testid="field-units">(.*?)</div>', page, re.S).group(1)
    assert org.unit1.name in field and org.unit3.name in field and org.unit2.name not in field


def test_an_outsider_does_not_find_a_deputys_evaluation(client, org):
    _field(org, org.unit1)
    deputy = services.evaluation_open(person=org.deputy, month=MARCH)
    for outsider in (org.member_b, org.leader_b, org.member1):
        client.force_login(outsider)
        assert client.get(reverse("evaluation:detail", args=[deputy.pk])).status_code == 404
        assert client.post(reverse("evaluation:score", args=[deputy.pk]), {}).status_code == 404


def test_the_fields_are_recorded_in_the_admin_by_staff_only_and_audited(client, org):
    client.force_login(org.leader)  # an agency leader, not staff: no admin
    add = reverse("admin:org_supervision_add")
    assert client.get(add).status_code == 302
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    response = client.post(
        add,
        {"person": org.deputy.pk, "unit": org.unit1.pk, "start": "01/03/2026", "note": "Ngân sách"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Supervision.objects.get().unit == org.unit1
    assert AuditEvent.objects.get(object_type="supervision").action == "supervision.recorded"

    response = client.post(add, {"person": org.deputy.pk, "unit": org.board.pk, "start": "01/03/2026"})
    assert response.status_code == 200 and Supervision.objects.count() == 1


def test_the_weights_page_sets_the_capacity_and_refuses_bad_levels(client, org):
    page_url = reverse("evaluation:scheme_edit", args=[org.agency.code])
    RoleAssignmentFactory(person=org.hr, role=Role.ADMINISTRATOR, agency=org.agency)
    client.force_login(org.hr)
    data = {
        "quantity_points": 30,
        "quality_points": 20,
        "progress_points": 20,
        "weight_conduct": 10,
        "weight_competence": 10,
        "weight_initiative": 10,
        "unit_points": 20,
        "capacity_points": 15,
        "capacity_levels": "100,50,0",
        "appeal_days": 10,
        "self_assessment_days": 3,
        "excellent_quota_percent": 20,
        "task_basis": "capacity",
        "annual_deadline_day": 15,
        "annual_groups": "leaders",
        "reason": "Năng lực tổ chức",
        "version": 1,
    }
    for bad in ({"capacity_levels": "100,abc"}, {"capacity_levels": "120,50"}, {"capacity_points": 60}):
        response = client.post(page_url, data | bad)
        assert response.status_code == 200, bad
        scheme = ScoringScheme.objects.get(agency=org.agency)
        assert (scheme.capacity_points, scheme.capacity_levels) == (10, "100,75,50,25,0")
    assert "không được vượt quá điểm kết quả thực hiện nhiệm vụ" in response.content.decode()

    assert client.post(page_url, data).status_code == 302
    scheme = ScoringScheme.objects.get(agency=org.agency)
    assert (scheme.capacity_points, scheme.capacity_scale) == (15, [100, 50, 0])

"""The weights stay within Decree 335/2025: 30 general, 70 results, an excellent quota of at most 20 %."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from evaluation import selectors, services
from evaluation.models import ScoringScheme
from org.models import AuditEvent, Role
from org.tests.factories import RoleAssignmentFactory

pytestmark = pytest.mark.django_db

# Quantity 20, quality 15, progress 15 = 50 of task results; 20 + 15 + 15 = 50 of general criteria (Decree
# 335/2025 Article 12's three groups, in force today): adds up to 100.
FIFTY_FIFTY = {"quantity_points": 20, "quality_points": 15, "progress_points": 15}
FIFTY_FIFTY_GENERAL = {"conduct": 20, "competence": 15, "initiative": 15}
DEFAULT_GENERAL = {"conduct": 10, "competence": 10, "initiative": 10}
SPLIT_REFUSED = "Nghị định 335/2025/NĐ-CP quy định cố định 70 điểm kết quả thực hiện nhiệm vụ và 30 điểm"
QUOTA_REFUSED = "không vượt quá 20% tổng số được xếp loại"


@pytest.fixture
def administrator(org):
    RoleAssignmentFactory(person=org.hr, role=Role.ADMINISTRATOR, agency=org.agency)
    return org.hr


def weights(scheme: ScoringScheme) -> dict[str, int]:
    return {name: getattr(scheme, name) for name in services.SCHEME_FIELDS}


def general(scheme: ScoringScheme) -> dict[str, int]:
    """The general criteria's weights in force, read again from the database."""
    fresh = ScoringScheme.objects.get(pk=scheme.pk)
    return {key: fresh.criterion_points(key) for key in DEFAULT_GENERAL}


def test_a_fifty_fifty_split_is_refused_with_the_decree_and_nothing_changes(org, administrator):
    scheme = selectors.scheme_of(org.agency)
    before = weights(scheme)

    with pytest.raises(ValidationError) as refused:
        services.scheme_update(
            scheme=scheme,
            by=administrator,
            values=before | FIFTY_FIFTY,
            weights=FIFTY_FIFTY_GENERAL,
            reason="Cân bằng",
            version=None,
        )

    assert SPLIT_REFUSED in " ".join(refused.value.messages)
    assert "cho 50 và 50 điểm" in " ".join(refused.value.messages)
    scheme.refresh_from_db()
    assert weights(scheme) == before
    assert general(scheme) == DEFAULT_GENERAL
    assert not scheme.criterion_weights.exists()
    assert scheme.version == 1
    assert not AuditEvent.objects.filter(action="scheme.changed").exists()


@pytest.mark.parametrize("percent", [30, 21, 0])
def test_an_excellent_quota_above_20_percent_or_zero_is_refused(org, administrator, percent):
    scheme = selectors.scheme_of(org.agency)
    values = weights(scheme) | {"excellent_quota_percent": percent}

    with pytest.raises(ValidationError) as refused:
        services.scheme_update(scheme=scheme, by=administrator, values=values, reason="Đổi", version=None)

    assert QUOTA_REFUSED in " ".join(refused.value.message_dict["excellent_quota_percent"])
    scheme.refresh_from_db()
    assert scheme.excellent_quota_percent == 20


def test_other_weights_inside_each_part_and_a_lower_quota_are_saved(org, administrator):
    scheme = selectors.scheme_of(org.agency)
    values = weights(scheme) | {
        "quantity_points": 40,
        "quality_points": 15,
        "progress_points": 15,
        "excellent_quota_percent": 15,
    }
    given = {"conduct": 12, "competence": 12, "initiative": 6}

    services.scheme_update(
        scheme=scheme, by=administrator, values=values, weights=given, reason="Ưu tiên", version=None
    )

    scheme = ScoringScheme.objects.get(pk=scheme.pk)
    assert weights(scheme) == values
    assert general(scheme) == given
    assert (scheme.task_points, scheme.general_points) == (70, 30)


def test_the_database_refuses_a_split_or_a_quota_the_decree_does_not_allow(org):
    scheme = selectors.scheme_of(org.agency)
    with transaction.atomic(), pytest.raises(IntegrityError, match="scheme_task_points_70"):
        ScoringScheme.objects.filter(pk=scheme.pk).update(**FIFTY_FIFTY)
    with transaction.atomic(), pytest.raises(IntegrityError, match="scheme_excellent_quota_within_decree"):
        ScoringScheme.objects.filter(pk=scheme.pk).update(excellent_quota_percent=30)


# The page ---------------------------------------------------------------------------------------


def page_data(scheme: ScoringScheme, general_weights: dict[str, int] = DEFAULT_GENERAL, **changes) -> dict:
    return (
        weights(scheme)
        | {f"weight_{key}": points for key, points in general_weights.items()}
        | {"unit_points": 20, "reason": "Thử", "version": scheme.version}
        | changes
    )


def test_the_page_shows_why_fifty_fifty_is_refused_and_keeps_the_weights(client, org, administrator):
    scheme = selectors.scheme_of(org.agency)
    client.force_login(administrator)

    response = client.post(
        reverse("evaluation:scheme_edit", args=[org.agency.code]),
        page_data(scheme, FIFTY_FIFTY_GENERAL, **FIFTY_FIFTY),
    )

    assert response.status_code == 200
    assert SPLIT_REFUSED in response.content.decode()
    scheme.refresh_from_db()
    assert (scheme.quantity_points, scheme.version) == (30, 1)
    assert general(scheme) == DEFAULT_GENERAL


def test_the_page_shows_why_a_30_percent_quota_is_refused(client, org, administrator):
    scheme = selectors.scheme_of(org.agency)
    client.force_login(administrator)

    response = client.post(
        reverse("evaluation:scheme_edit", args=[org.agency.code]),
        page_data(scheme, excellent_quota_percent=30),
    )

    assert response.status_code == 200
    assert QUOTA_REFUSED in response.content.decode()
    scheme.refresh_from_db()
    assert scheme.excellent_quota_percent == 20


def test_the_page_saves_a_lower_quota(client, org, administrator):
    scheme = selectors.scheme_of(org.agency)
    client.force_login(administrator)

    response = client.post(
        reverse("evaluation:scheme_edit", args=[org.agency.code]),
        page_data(scheme, excellent_quota_percent=10),
        follow=True,
    )

    assert "Đã lưu trọng số." in response.content.decode()
    scheme.refresh_from_db()
    assert scheme.excellent_quota_percent == 10

import pytest
from django.urls import reverse

from org.models import User

from .factories import UserFactory

pytestmark = pytest.mark.dates


def inline_management(prefix: str) -> dict[str, str]:
    """What the admin page sends for an empty inline: its management form."""
    return {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_an_administrator_creates_a_person_with_a_vietnamese_name(admin_client):
    response = admin_client.post(
        reverse("admin:org_user_add"),
        {
            "username": "nguyenvana",
            "full_name": "Nguyễn Văn A",
            "position": "Chuyên viên",
            "email": "a@example.test",
            "password1": "Khanh-Hoa-2026!",
            "password2": "Khanh-Hoa-2026!",
            "usable_password": "true",
            **inline_management("memberships"),
            **inline_management("role_assignments"),
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.get(username="nguyenvana").full_name == "Nguyễn Văn A"


@pytest.mark.parametrize(
    "name",
    [
        "org_user",
        "org_agency",
        "org_unit",
        "org_membership",
        "org_roleassignment",
        "org_delegation",
        "org_auditevent",
        "evaluation_scoringscheme",
        "evaluation_criteriaversion",
        "evaluation_monthlyevaluation",
        "evaluation_appeal",
        "evaluation_disciplinarymeasure",
    ],
)
def test_the_admin_lists_open(admin_client, org, name):
    assert admin_client.get(reverse(f"admin:{name}_changelist")).status_code == 200


def test_the_admin_is_closed_to_staff_members(client, org):
    client.force_login(org.hr)

    response = client.get(reverse("admin:org_user_changelist"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_nobody_adds_changes_or_deletes_audit_events_in_the_admin(admin_client, org):
    from org.audit import record
    from org.models import AuditEvent

    event = record(
        actor=org.hr, action="entry.approved", target=org.member1, agency=org.agency, person=org.member1
    )

    assert admin_client.get(reverse("admin:org_auditevent_add")).status_code == 403
    assert (
        admin_client.post(
            reverse("admin:org_auditevent_delete", args=[event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    page = admin_client.get(reverse("admin:org_auditevent_change", args=[event.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert AuditEvent.objects.count() == 1

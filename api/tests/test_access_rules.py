"""The permission of api/rules.py: only an administrator of the agency (with admin access) or a
superuser manages its API clients; nobody of the usual roles does."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from org.models import Role
from org.tests.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.dates

ROLES = ["member_b", "member1", "head1", "leader", "hr"]


def test_only_an_administrator_of_the_agency_manages_its_clients(org):
    assert {who for who in ROLES if getattr(org, who).has_perm("api.manage_clients", org.agency)} == set()
    administrator = UserFactory(username="quantri", is_staff=True)
    RoleAssignmentFactory(person=administrator, role=Role.ADMINISTRATOR, agency=org.agency)

    assert administrator.has_perm("api.manage_clients", org.agency)
    assert not administrator.has_perm("api.manage_clients", org.other_agency)
    assert UserFactory(username="root", is_superuser=True, is_staff=True).has_perm(
        "api.manage_clients", org.other_agency
    )


def test_the_admin_lists_only_the_clients_of_the_agencies_one_administers(client, org, stc, sxd):
    administrator = UserFactory(username="quantri", is_staff=True)
    RoleAssignmentFactory(person=administrator, role=Role.ADMINISTRATOR, agency=org.agency)
    administrator.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_apiclient", "change_apiclient", "add_apiclient"])
    )
    client.force_login(administrator)

    page = client.get(reverse("admin:api_apiclient_changelist"))

    assert list(page.context["cl"].result_list) == [stc.record]
    assert client.get(reverse("admin:api_apiclient_change", args=[sxd.record.pk])).status_code == 302

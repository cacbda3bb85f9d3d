import pytest
from django.urls import reverse

from org.tests.factories import UserFactory

pytestmark = pytest.mark.dates


@pytest.mark.parametrize(
    "model", ["catalogversion", "standardtask", "stage", "declaredtask", "catalogimport"]
)
def test_the_admin_lists_open_with_search_and_filters(client, catalog, model):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    response = client.get(reverse(f"admin:catalog_{model}_changelist"), {"q": "C.01"})

    assert response.status_code == 200
    assert response.context["cl"].has_filters


def test_a_task_opens_in_the_admin_with_its_stages(client, catalog):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    response = client.get(reverse("admin:catalog_standardtask_change", args=[catalog.budget.pk]))

    assert "Thẩm định chi tiết" in response.text

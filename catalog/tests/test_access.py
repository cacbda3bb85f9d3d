"""Every catalog page: outsiders get 404, staff of the agency may read but not change (403)."""

import pytest
from django.urls import reverse

from catalog.models import CatalogImport, ImportKind, ImportStatus

pytestmark = pytest.mark.dates

READ_PAGES = ["home", "tasks", "handbook", "handbook_pdf", "export"]
MANAGE_PAGES = ["declared", "task_create", "publish", "import", "history", "draft_discard"]


def url(name, org, catalog=None):
    return reverse(f"catalog:{name}", kwargs={"code": org.agency.code})


@pytest.mark.parametrize("name", READ_PAGES + MANAGE_PAGES)
def test_people_of_another_agency_get_a_404(client, org, catalog, name):
    client.force_login(org.member_b)

    assert client.get(url(name, org)).status_code == 404


@pytest.mark.parametrize("name", READ_PAGES)
def test_staff_of_the_agency_read_the_published_catalog(client, org, catalog, name):
    client.force_login(org.member1)

    assert client.get(url(name, org)).status_code == 200


@pytest.mark.parametrize("name", MANAGE_PAGES)
def test_staff_of_the_agency_cannot_reach_an_edit_page(client, org, catalog, name):
    client.force_login(org.member1)

    assert client.get(url(name, org)).status_code == 403
    assert client.post(url(name, org)).status_code == 403


@pytest.mark.parametrize("name", ["draft_open", "declared_merge"])
def test_staff_cannot_post_changes(client, org, catalog, name):
    client.force_login(org.member1)

    assert (
        client.post(url(name, org), {"action": "unmerge", "declared": [catalog.declared[0].pk]}).status_code
        == 403
    )


def test_task_pages_check_the_agency_and_the_draft(client, org, catalog):
    from catalog import services

    draft = services.draft_open(agency=org.agency, by=org.catalog_manager)
    draft_task = draft.tasks.get(code="C.01")
    client.force_login(org.member1)

    published = client.get(reverse("catalog:task", args=[org.agency.code, catalog.budget.pk]))
    in_draft = client.get(reverse("catalog:task", args=[org.agency.code, draft_task.pk]))
    wrong_agency = client.get(reverse("catalog:task", args=[org.other_agency.code, catalog.budget.pk]))
    edit = client.get(reverse("catalog:task_edit", args=[org.agency.code, draft_task.pk]))

    assert (published.status_code, in_draft.status_code, wrong_agency.status_code, edit.status_code) == (
        200, 404, 404, 403,
    )  # fmt: skip


def test_nobody_of_another_agency_sees_the_draft_even_by_asking(client, org, catalog):
    from catalog import services

    services.draft_open(agency=org.agency, by=org.catalog_manager)
    client.force_login(org.member_b)

    assert client.get(url("tasks", org), {"version": "draft"}).status_code == 404
    client.force_login(org.member1)
    assert client.get(url("tasks", org), {"version": "draft"}).status_code == 404
    assert client.get(url("handbook_pdf", org), {"version": "draft"}).status_code == 404


def test_an_import_of_another_agency_is_not_found(client, org, catalog):
    record = CatalogImport.objects.create(
        agency=org.other_agency,
        kind=ImportKind.CATALOG,
        filename="x.xlsx",
        content=b"",
        status=ImportStatus.REJECTED,
    )
    client.force_login(org.catalog_manager)

    assert client.get(reverse("catalog:import_preview", args=[org.agency.code, record.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, org, catalog):
    response = client.get(url("home", org))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_person_of_one_agency_goes_straight_to_its_catalog(client, org, catalog):
    client.force_login(org.member1)

    assert client.get(reverse("catalog:index")).url == url("home", org)


def test_an_unknown_agency_is_not_found(client, org):
    client.force_login(org.catalog_manager)

    assert client.get("/catalog/KHONGCO/").status_code == 404

"""The province's common catalog under two connections at once (PostgreSQL): one draft per province,
and one code never both common and an agency's own."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from catalog import selectors, services
from catalog.models import CatalogVersion, StandardTask
from catalog.services import StageInput, TaskInput
from conftest import require
from evaluation.tests.test_concurrency import HoldAfterLock, race
from org.models import Role
from org.tests.factories import MembershipFactory, RoleAssignmentFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql():
    require(connection.vendor == "postgresql", "the concurrency tests need PostgreSQL (DATABASE_URL)")


@pytest.fixture
def noivu(org):
    person = MembershipFactory(unit=org.other_agency.units.get(code="QLXD"), person__username="noivu").person
    RoleAssignmentFactory(person=person, role=Role.HR, agency=None, province=org.agency.province)
    return person


def test_two_openings_of_the_common_draft_at_once_make_one_draft(org, catalog, noivu, monkeypatch):
    province = org.agency.province
    hold = HoldAfterLock(monkeypatch, services, "_lock_agency")

    first, second = race(
        hold,
        lambda: services.draft_open(agency=province, by=noivu, start_from=org.agency),
        lambda: services.draft_open(agency=province, by=noivu),
    )

    assert first.error is None and second.error is None, (first.error, second.error)
    assert first.result.pk == second.result.pk
    assert CatalogVersion.objects.filter(province=province, agency__isnull=True).count() == 1


def test_a_code_added_at_once_to_the_common_catalog_and_to_an_agency_is_kept_once(
    org, catalog, noivu, monkeypatch
):
    province = org.agency.province
    services.draft_open(agency=province, by=noivu, start_from=org.agency)
    common_draft = selectors.draft_of(province)
    agency_draft = services.draft_open(agency=org.agency, by=org.catalog_manager)
    hold = HoldAfterLock(monkeypatch, services, "_lock_agency")

    def task(group):
        return TaskInput(
            code="C.99",
            name="Trùng mã",
            group=group,
            output_unit="hồ sơ",
            stages=(StageInput(1, "Bước", 30),),
        )

    first, second = race(
        hold,
        lambda: services.task_create(version=common_draft, data=task("B"), by=noivu),
        lambda: services.task_create(version=agency_draft, data=task("C"), by=org.catalog_manager),
    )

    assert first.error is None, first.error
    assert isinstance(second.error, ValidationError), second.error
    assert StandardTask.objects.filter(code="C.99").count() == 1

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from org.models import Membership, Role, RoleAssignment, Unit

from .factories import AgencyFactory, DelegationFactory, MembershipFactory, UnitFactory, root_unit


def violated(constraint: str, *, sqlite_columns: str = "") -> str:
    """What the database says of a broken constraint: PostgreSQL names it, and so does SQLite for a
    check; for a unique constraint SQLite lists its columns instead."""
    if not sqlite_columns:
        return re.escape(constraint)
    return f"{re.escape(constraint)}|UNIQUE constraint failed: {re.escape(sqlite_columns)}$"


def test_a_membership_cannot_end_before_it_starts(org):
    with pytest.raises(IntegrityError, match=violated("membership_ends_after_start")), transaction.atomic():
        MembershipFactory(unit=org.unit1, start=datetime.date(2026, 3, 1), end=datetime.date(2026, 2, 1))


def test_an_agency_has_a_single_leadership_board(db):
    agency = AgencyFactory()
    root_unit(agency)

    refused = pytest.raises(
        IntegrityError, match=violated("one_root_unit_per_agency", sqlite_columns="org_unit.agency_id")
    )
    with refused, transaction.atomic():
        Unit.objects.create(agency=agency, parent=None, code="BGD2", name="Ban Giám đốc 2")


def test_unit_codes_are_unique_within_an_agency(org):
    refused = pytest.raises(
        IntegrityError,
        match=violated("unit_code_unique_in_agency", sqlite_columns="org_unit.agency_id, org_unit.code"),
    )
    with refused, transaction.atomic():
        UnitFactory(agency=org.agency, code="NS")


def test_a_role_is_held_over_an_agency_or_a_province_never_both(org):
    either = violated("role_scope_is_agency_or_province")
    with pytest.raises(IntegrityError, match=either), transaction.atomic():
        RoleAssignment.objects.create(
            person=org.member1, role=Role.HR, agency=org.agency, province=org.agency.province
        )
    with pytest.raises(IntegrityError, match=either), transaction.atomic():
        RoleAssignment.objects.create(person=org.member1, role=Role.HR)


def test_nobody_delegates_to_themself_even_bypassing_the_form(org):
    with pytest.raises(IntegrityError, match=violated("delegation_not_to_self")), transaction.atomic():
        DelegationFactory(delegator=org.head1, delegate=org.head1)


def test_a_person_cannot_be_in_two_units_at_once(org):
    overlapping = Membership(person=org.member1, unit=org.unit2, start=datetime.date(2026, 1, 1))

    with pytest.raises(ValidationError, match="đã thuộc một đơn vị"):
        overlapping.full_clean()


def test_a_unit_cannot_have_two_heads_at_once(org):
    second_head = MembershipFactory.build(
        person=MembershipFactory(unit=org.unit2, end=datetime.date(2025, 12, 31)).person,
        unit=org.unit1,
        is_head=True,
        start=datetime.date(2026, 1, 1),
    )

    with pytest.raises(ValidationError) as error:
        second_head.full_clean()
    assert "is_head" in error.value.message_dict


def test_a_unit_cannot_sit_below_itself_or_in_another_agency(org):
    child = UnitFactory(agency=org.agency, parent=org.unit1)
    org.unit1.parent = child
    with pytest.raises(ValidationError, match="trực thuộc chính nó"):
        org.unit1.full_clean()

    stray = UnitFactory(agency=org.other_agency)
    stray.parent = org.unit1
    with pytest.raises(ValidationError, match="cùng cơ quan"):
        stray.full_clean()


def test_changes_to_memberships_are_kept_in_history(org):
    membership = org.member1.memberships.get()
    membership.end = datetime.date(2026, 6, 30)
    membership.save()

    assert [h.end for h in membership.history.order_by("history_date")] == [None, datetime.date(2026, 6, 30)]

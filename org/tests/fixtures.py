"""Fixtures shared by every app's tests (loaded by the root conftest.py)."""

from dataclasses import dataclass

import pytest
import time_machine

from org.models import Agency, Role, Unit, User
from org.tests.factories import (
    NOW,
    AgencyFactory,
    MembershipFactory,
    RoleAssignmentFactory,
    UnitFactory,
    root_unit,
)


@dataclass
class Org:
    """Two agencies of one province, small enough to reason about in a test.

    Agency A (STC): board (leader, deputy) → unit 1 (head1; member1, member2),
    unit 2 (head2; hr), unit 3 without a head (orphan). Agency B (SXD): board
    (leader_b) → unit (member_b).
    """

    agency: Agency
    other_agency: Agency
    board: Unit
    unit1: Unit
    unit2: Unit
    unit3: Unit
    leader: User
    deputy: User
    head1: User
    member1: User
    member2: User
    head2: User
    hr: User
    catalog_manager: User
    orphan: User
    leader_b: User
    member_b: User


def _member(unit: Unit, username: str, *, is_head: bool = False) -> User:
    return MembershipFactory(unit=unit, person__username=username, is_head=is_head).person


@pytest.fixture
def org(db) -> Org:
    agency = AgencyFactory(code="STC", name="Sở Tài chính tỉnh Khánh Hòa")
    other = AgencyFactory(code="SXD", name="Sở Xây dựng tỉnh Khánh Hòa")
    board = root_unit(agency)
    unit1 = UnitFactory(agency=agency, code="NS", name="Phòng Quản lý Ngân sách")
    unit2 = UnitFactory(agency=agency, code="VP", name="Văn phòng Sở")
    unit3 = UnitFactory(agency=agency, code="TH", name="Phòng Tổng hợp")
    other_unit = UnitFactory(agency=other, code="QLXD", name="Phòng Quản lý Xây dựng")
    o = Org(
        agency=agency,
        other_agency=other,
        board=board,
        unit1=unit1,
        unit2=unit2,
        unit3=unit3,
        leader=_member(board, "leader", is_head=True),
        deputy=_member(board, "deputy"),
        head1=_member(unit1, "head1", is_head=True),
        member1=_member(unit1, "member1"),
        member2=_member(unit1, "member2"),
        head2=_member(unit2, "head2", is_head=True),
        hr=_member(unit2, "hr"),
        catalog_manager=_member(unit3, "catalog"),
        orphan=_member(unit3, "orphan"),
        leader_b=_member(root_unit(other), "leader_b", is_head=True),
        member_b=_member(other_unit, "member_b"),
    )
    RoleAssignmentFactory(person=o.leader, role=Role.LEADER, agency=agency)
    RoleAssignmentFactory(person=o.deputy, role=Role.LEADER, agency=agency)
    RoleAssignmentFactory(person=o.hr, role=Role.HR, agency=agency)
    RoleAssignmentFactory(person=o.catalog_manager, role=Role.CATALOG_MANAGER, agency=agency)
    RoleAssignmentFactory(person=o.leader_b, role=Role.LEADER, agency=other)
    return o


@pytest.fixture
def frozen_now():
    """Freeze the clock at ``factories.NOW``."""
    with time_machine.travel(NOW, tick=False):
        yield NOW

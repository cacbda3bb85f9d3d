"""The demo organisation: Khánh Hòa's Department of Finance (84 people) and two smaller agencies, and
the province's reviewer of their directors.

Idempotent: a second run leaves the same rows. Every demo account has the password ``KpiDemo@2025``.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from org.models import (
    Agency,
    Delegation,
    Membership,
    Province,
    Role,
    RoleAssignment,
    Supervision,
    Unit,
    User,
)
from org.supervision import supervision_save

from .window import Window

PASSWORD = "KpiDemo@2025"
ONE_DAY = datetime.timedelta(days=1)

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
            "Hồ", "Ngô", "Dương", "Lý", "Trương", "Đinh", "Mai", "Cao"]  # fmt: skip
MALE = [("Văn", "An"), ("Minh", "Tuấn"), ("Quốc", "Bảo"), ("Đức", "Thắng"), ("Hữu", "Phước"),
        ("Thanh", "Hải"), ("Văn", "Dũng"), ("Minh", "Khoa"), ("Công", "Thành"), ("Quang", "Huy"),
        ("Ngọc", "Sơn"), ("Trung", "Kiên"), ("Văn", "Lộc"), ("Hoàng", "Nam"), ("Anh", "Khoa")]  # fmt: skip
FEMALE = [("Thị", "Hoa"), ("Thị", "Lan"), ("Thu", "Trang"), ("Ngọc", "Ánh"), ("Thị", "Hạnh"),
          ("Minh", "Thư"), ("Thị", "Nga"), ("Bích", "Ngọc"), ("Thanh", "Hương"), ("Thị", "Yến"),
          ("Hoài", "Thương"), ("Thị", "Mai"), ("Kim", "Oanh"), ("Phương", "Thảo"),
          ("Thùy", "Dung")]  # fmt: skip


@dataclass
class Person:
    username: str
    full_name: str
    position: str
    unit: str
    is_head: bool = False
    roles: list[str] = field(default_factory=list)
    # The unit the person left on the demo's transfer day (``Window.transfer``), for a demo of a transfer.
    transferred_from: str | None = None


@dataclass
class AgencyPlan:
    code: str
    name: str
    # (code, name, parent code, number of people including the named ones)
    units: list[tuple[str, str, str | None, int]]
    named: list[Person]


STC = AgencyPlan(
    code="STC",
    name="Sở Tài chính tỉnh Khánh Hòa",
    units=[
        ("BGD", "Ban Giám đốc", None, 4),
        ("VP", "Văn phòng Sở", "BGD", 12),
        ("TTR", "Thanh tra Sở", "BGD", 8),
        ("NS", "Phòng Quản lý Ngân sách", "BGD", 12),
        ("DT", "Phòng Quản lý Đầu tư", "BGD", 12),
        ("GCS", "Phòng Quản lý Giá và Công sản", "BGD", 10),
        ("TCDN", "Phòng Tài chính Doanh nghiệp", "BGD", 9),
        ("DN", "Phòng Doanh nghiệp, Kinh tế tập thể và Tư nhân", "BGD", 8),
        ("TH", "Phòng Tổng hợp, Quy hoạch", "BGD", 9),
    ],
    named=[
        Person("giamdoc", "Nguyễn Văn Hùng", "Giám đốc Sở", "BGD", is_head=True, roles=[Role.LEADER]),
        Person("truongphong", "Trần Minh Đức", "Trưởng phòng Quản lý Ngân sách", "NS", is_head=True),
        Person("phophong", "Đỗ Thanh Hải", "Phó Trưởng phòng Quản lý Ngân sách", "NS"),
        Person("canbo", "Lê Thị Thu Hà", "Chuyên viên quản lý ngân sách", "NS"),
        Person("tochuc", "Phạm Thị Ngọc Lan", "Chuyên viên tổ chức cán bộ", "VP", roles=[Role.HR]),
        Person("danhmuc", "Võ Quốc Bảo", "Chuyên viên tổng hợp", "TH", roles=[Role.CATALOG_MANAGER]),
        # Transferred in the middle of the month before the diaries: the history keeps the old unit.
        Person("stc.chuyen", "Huỳnh Thị Kim Oanh", "Chuyên viên quản lý giá", "GCS", transferred_from="DT"),
    ],
)

SXD = AgencyPlan(
    code="SXD",
    name="Sở Xây dựng tỉnh Khánh Hòa",
    units=[
        ("BGD", "Ban Giám đốc", None, 2),
        ("QLXD", "Phòng Quản lý Xây dựng", "BGD", 4),
        ("VP", "Văn phòng Sở", "BGD", 3),
    ],
    named=[
        Person("giamdoc.sxd", "Đặng Công Thành", "Giám đốc Sở", "BGD", is_head=True, roles=[Role.LEADER]),
        Person("canbo.sxd", "Bùi Thị Hạnh", "Chuyên viên quản lý xây dựng", "QLXD"),
    ],
)

SNV = AgencyPlan(
    code="SNV",
    name="Sở Nội vụ tỉnh Khánh Hòa",
    units=[
        ("BGD", "Ban Giám đốc", None, 2),
        ("TCBC", "Phòng Tổ chức, Biên chế", "BGD", 4),
        ("VP", "Văn phòng Sở", "BGD", 3),
    ],
    named=[
        Person("giamdoc.snv", "Hồ Ngọc Sơn", "Giám đốc Sở", "BGD", is_head=True, roles=[Role.LEADER]),
        # The Department of Home Affairs reads every agency's results: province scope.
        Person("noivu", "Dương Thanh Hương", "Chuyên viên tổ chức biên chế", "TCBC", roles=["province:hr"]),
    ],
)

PLANS = [STC, SXD, SNV]

# The province's reviewer of the agency heads (the directors), a member of no agency: the Vice-Chairman
# of the provincial People's Committee in charge of the departments.
PROVINCE_REVIEWER = ("ubnd", "Trần Hòa Bình", "Phó Chủ tịch UBND tỉnh")


def seed_organisation(*, window: Window) -> dict[str, int]:
    """Create or update the province, agencies, units, people, roles (the province reviewer of the
    directors too) and the delegation of the demo; returns the number of people per agency."""
    password_hash = make_password(PASSWORD)  # hashed once: hashing 100 times takes seconds
    province, _ = Province.objects.update_or_create(code="KHA", defaults={"name": "Tỉnh Khánh Hòa"})
    counts = {}
    for plan in PLANS:
        counts[plan.code] = _seed_agency(plan, province, password_hash, window)
        _seed_fields(plan, window)

    reviewer, _ = _upsert_user(*PROVINCE_REVIEWER, password_hash)
    RoleAssignment.objects.get_or_create(person=reviewer, role=Role.PROVINCE_REVIEWER, province=province)

    admin, _ = _upsert_user("admin", "Quản trị hệ thống", "Quản trị viên", password_hash)
    if not (admin.is_staff and admin.is_superuser):
        admin.is_staff = admin.is_superuser = True
        admin.save(update_fields=["is_staff", "is_superuser"])

    boss = User.objects.get(username="truongphong")
    deputy = User.objects.get(username="phophong")
    start, end = window.delegation
    Delegation.objects.get_or_create(
        delegator=boss,
        delegate=deputy,
        start=start,
        end=end,
        defaults={"reason": "Nghỉ phép năm", "created_by": boss},
    )
    return counts


def _seed_agency(plan: AgencyPlan, province: Province, password_hash: str, window: Window) -> int:
    agency, _ = Agency.objects.update_or_create(
        code=plan.code, defaults={"name": plan.name, "province": province}
    )
    units: dict[str, Unit] = {}
    for code, name, parent, _size in plan.units:
        units[code], _ = Unit.objects.update_or_create(
            agency=agency, code=code, defaults={"name": name, "parent": units.get(parent) if parent else None}
        )

    people = _people_of(plan)
    for person in people:
        user, _ = _upsert_user(person.username, person.full_name, person.position, password_hash)
        wanted: list[tuple[Unit, datetime.date, datetime.date | None, bool]]
        if person.transferred_from is None:
            wanted = [(units[person.unit], window.joined, None, person.is_head)]
        else:
            wanted = [
                (units[person.transferred_from], window.joined, window.transfer - ONE_DAY, False),
                (units[person.unit], window.transfer, None, person.is_head),
            ]
        _sync_memberships(user, wanted)
        for role in person.roles:
            if role == "province:hr":
                RoleAssignment.objects.get_or_create(person=user, role=Role.HR, province=province)
            else:
                RoleAssignment.objects.get_or_create(person=user, role=role, agency=agency)
    return len(people)


def _seed_fields(plan: AgencyPlan, window: Window) -> None:
    """Each deputy director is in charge of a field: the units below the board, dealt out in turn
    (through the service, audited, as an administrator records them)."""
    agency = Agency.objects.get(code=plan.code)
    deputies = list(
        User.objects.filter(
            memberships__unit__agency=agency,
            memberships__unit__parent__isnull=True,
            memberships__is_head=False,
        )
        .distinct()
        .order_by("username")
    )
    if not deputies:
        return
    units = list(Unit.objects.filter(agency=agency, parent__isnull=False).order_by("code"))
    for index, unit in enumerate(units):
        deputy = deputies[index % len(deputies)]
        if Supervision.objects.filter(person=deputy, unit=unit, start=window.joined).exists():
            continue
        supervision_save(
            supervision=Supervision(person=deputy, unit=unit, start=window.joined, note="Phân công lĩnh vực"),
            by=None,
            reason="Quyết định phân công nhiệm vụ Ban Giám đốc",
        )


def _people_of(plan: AgencyPlan) -> list[Person]:
    """The named people plus generated ones, so that each unit has its planned size."""
    rng = random.Random(plan.code)  # fixed seed: the same names on every run
    people = list(plan.named)
    for code, name, _parent, size in plan.units:
        in_unit = [p for p in people if p.unit == code]
        has_head = any(p.is_head for p in in_unit)
        generated = 0
        while len(in_unit) < size:
            generated += 1
            is_head = not has_head
            has_head = True
            person = Person(
                username=f"{plan.code.lower()}.{code.lower()}{generated:02d}",
                full_name=_name(rng),
                position=_position(code, name, is_head, generated),
                unit=code,
                is_head=is_head,
                roles=[Role.LEADER] if code == "BGD" else [],
            )
            people.append(person)
            in_unit.append(person)
    return people


def _name(rng: random.Random) -> str:
    middle, given = rng.choice(MALE if rng.random() < 0.5 else FEMALE)
    return f"{rng.choice(SURNAMES)} {middle} {given}"


def _position(code: str, unit_name: str, is_head: bool, generated: int) -> str:
    """A plausible job position; ``generated`` counts the generated people of the unit from 1."""
    if code == "BGD":
        return "Giám đốc Sở" if is_head else "Phó Giám đốc Sở"
    if is_head:
        heads = {"VP": "Chánh Văn phòng", "TTR": "Chánh Thanh tra"}
        return heads.get(code, f"Trưởng {unit_name[0].lower()}{unit_name[1:]}")
    if generated == 2:
        return {"VP": "Phó Chánh Văn phòng", "TTR": "Phó Chánh Thanh tra"}.get(code, "Phó Trưởng phòng")
    return "Chuyên viên chính" if generated % 3 == 0 else "Chuyên viên"


def _upsert_user(username: str, full_name: str, position: str, password_hash: str) -> tuple[User, bool]:
    user, created = User.objects.update_or_create(
        username=username,
        defaults={"full_name": full_name, "position": position, "email": f"{username}@demo.kpi.local"},
        create_defaults={
            "full_name": full_name,
            "position": position,
            "email": f"{username}@demo.kpi.local",
            "password": password_hash,
        },
    )
    return user, created


def _sync_memberships(
    user: User, wanted: list[tuple[Unit, datetime.date, datetime.date | None, bool]]
) -> None:
    existing = {(m.unit_id, m.start, m.end, m.is_head): m.pk for m in user.memberships.all()}
    keep = set()
    for unit, start, end, is_head in wanted:
        key = (unit.pk, start, end, is_head)
        if key in existing:
            keep.add(existing[key])
        else:
            keep.add(
                Membership.objects.create(person=user, unit=unit, start=start, end=end, is_head=is_head).pk
            )
    user.memberships.exclude(pk__in=keep).delete()

import datetime
from zoneinfo import ZoneInfo

import factory
from factory.django import DjangoModelFactory

from org.models import Agency, Delegation, Membership, Province, Role, RoleAssignment, Unit, User

PASSWORD = "KpiTest@2025"
# The moment tests that depend on "today" are frozen at (a Tuesday morning in Nha Trang).
NOW = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
TODAY = NOW.date()


class ProvinceFactory(DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = "KHA"
    name = "Tỉnh Khánh Hòa"


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    province = factory.SubFactory(ProvinceFactory)
    code = factory.Sequence(lambda n: f"AG{n}")
    name = factory.LazyAttribute(lambda o: f"Sở {o.code}")


def root_unit(agency: Agency) -> Unit:
    """The agency's leadership board, created on first use."""
    unit, _ = Unit.objects.get_or_create(
        agency=agency, parent=None, defaults={"code": "BGD", "name": "Ban Giám đốc"}
    )
    return unit


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    agency = factory.SubFactory(AgencyFactory)
    parent = factory.LazyAttribute(lambda o: root_unit(o.agency))
    code = factory.Sequence(lambda n: f"U{n}")
    name = factory.LazyAttribute(lambda o: f"Phòng {o.code}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Iterator(
        ["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu", "Phạm Quốc Dũng", "Hoàng Thị Giang", "Đặng Hải"]
    )
    position = "Chuyên viên"
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.test")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    start = datetime.date(2025, 1, 1)
    end = None
    is_head = False


class RoleAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    person = factory.SubFactory(UserFactory)
    role = Role.HR
    agency = factory.SubFactory(AgencyFactory)
    province = None


class DelegationFactory(DjangoModelFactory):
    class Meta:
        model = Delegation

    delegator = factory.SubFactory(UserFactory)
    delegate = factory.SubFactory(UserFactory)
    start = datetime.date(2026, 3, 1)
    end = datetime.date(2026, 3, 31)
    reason = "Nghỉ phép"
    created_by = factory.SelfAttribute("delegator")

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from demo.window import Window
from org import selectors
from org.models import Agency, Delegation, Membership, RoleAssignment, Unit, User

pytestmark = pytest.mark.dates

DEMO_ACCOUNTS = ["canbo", "truongphong", "giamdoc", "tochuc", "danhmuc", "admin", "canbo.sxd"]


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (User, Agency, Unit, Membership, RoleAssignment, Delegation)
    }


def stc_people():
    return (
        Membership.objects.active_on(selectors.today())
        .filter(unit__agency__code="STC")
        .values("person")
        .distinct()
        .count()
    )


@pytest.fixture
def demo(db):
    # The organisation and catalogs only: the diaries and what follows them (checked in
    # test_diaries.py) would take seconds per test.
    call_command("seed_demo", "--no-diaries", force=True, stdout=io.StringIO())


def test_it_builds_the_department_of_finance_with_84_people(demo):
    assert stc_people() == 84
    assert Agency.objects.get(code="STC").name == "Sở Tài chính tỉnh Khánh Hòa"
    assert {"SXD", "SNV"} <= set(Agency.objects.values_list("code", flat=True))


def test_running_it_twice_leaves_the_same_data(demo):
    before = counts()
    names = dict(User.objects.values_list("username", "full_name"))

    call_command("seed_demo", "--no-diaries", force=True, stdout=io.StringIO())

    assert counts() == before
    assert dict(User.objects.values_list("username", "full_name")) == names
    assert stc_people() == 84


def test_the_transferred_person_keeps_the_old_unit_until_the_day_before_the_move(demo):
    window = Window.ending(selectors.today())
    memberships = User.objects.get(username="stc.chuyen").memberships.order_by("start")

    assert list(memberships.values_list("unit__code", "start", "end")) == [
        ("DT", window.joined, window.transfer - datetime.timedelta(days=1)),
        ("GCS", window.transfer, None),
    ]


def test_every_demo_account_logs_in_with_the_documented_password(demo):
    for username in DEMO_ACCOUNTS:
        assert User.objects.get(username=username).check_password("KpiDemo@2025"), username


def test_the_demo_roles_follow_the_organisation(demo):
    canbo, truongphong, giamdoc = (User.objects.get(username=u) for u in ("canbo", "truongphong", "giamdoc"))
    today = selectors.today()

    assert selectors.reviewer_for(canbo, today) == truongphong
    assert selectors.reviewer_for(truongphong, today) == giamdoc
    assert User.objects.get(username="tochuc").has_perm("org.list_people")
    assert User.objects.get(username="admin").is_superuser


def test_canbo_of_sxd_sees_nothing_of_stc(demo, client):
    outsider = User.objects.get(username="canbo.sxd")
    stc = User.objects.filter(memberships__unit__agency__code="STC").distinct()

    assert not selectors.visible_people(outsider).filter(pk__in=stc).exists()
    client.force_login(outsider)
    for person in stc[:10]:
        assert client.get(reverse("org:person", args=[person.pk])).status_code == 404
    assert client.get(reverse("org:people")).status_code == 403


def test_it_refuses_to_run_with_debug_off_unless_forced(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG=False"):
        call_command("seed_demo")
    assert not User.objects.exists()

"""Sign-in against a real OpenLDAP server (Debian's slapd), started on a loopback port for each test.

The directory holds people of two agencies (STC placed by their DN, SXD by their attributes), an
account the directory itself has locked (ppolicy's pwdAccountLockedTime: slapd refuses its bind), a
member of the deny group, and the groups that grant roles. Locally these tests skip without slapd or
python-ldap; in CI (CI=true) they fail.
"""

from __future__ import annotations

import datetime
import importlib.util
import io
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import environ
import pytest
import time_machine
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone, translation

from conftest import require
from kpi_portal.settings import directory as directory_settings
from org import audit, selectors
from org.models import AuditEvent, Role, RoleAssignment, User
from org.tests.factories import PASSWORD

LOGIN = reverse("login")
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng"
BASE = "dc=tinh,dc=gov,dc=vn"
PEOPLE = f"ou=people,{BASE}"
GROUPS = f"ou=groups,{BASE}"
ADMIN_DN = f"cn=admin,{BASE}"
ADMIN_PASSWORD = "admin-secret"
SLAPD = shutil.which("slapd") or "/usr/sbin/slapd"
SLAPADD = shutil.which("slapadd") or "/usr/sbin/slapadd"
MODULES = Path("/usr/lib/ldap")

SLAPD_CONF = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath {modules}
moduleload back_mdb
moduleload ppolicy
pidfile {root}/slapd.pid
database mdb
suffix "{base}"
rootdn "{admin}"
rootpw {password}
directory {root}/db
maxsize 10485760
overlay ppolicy
ppolicy_default "cn=default,ou=policies,{base}"
"""


def person(uid: str, ou: str, name: str, password: str, **extra: list[str]) -> tuple[str, dict]:
    return (
        f"uid={uid},{ou}",
        {
            "objectClass": ["inetOrgPerson"],
            "uid": [uid],
            "cn": [name],
            "sn": [name.split()[-1]],
            "mail": [f"{uid}@tinh.gov.vn"],
            "userPassword": [password],
            **extra,
        },
    )


def group(name: str, *members: str) -> tuple[str, dict]:
    return f"cn={name},{GROUPS}", {"objectClass": ["groupOfNames"], "cn": [name], "member": list(members)}


AN = f"uid=an,ou=NS,ou=STC,{PEOPLE}"
BINH = f"uid=binh,{PEOPLE}"
KHOA = f"uid=khoa,ou=NS,ou=STC,{PEOPLE}"
DUNG = f"uid=dung,ou=NS,ou=STC,{PEOPLE}"

ENTRIES = [
    (BASE, {"objectClass": ["dcObject", "organization"], "o": ["Tỉnh Khánh Hòa"], "dc": ["tinh"]}),
    *(
        (dn, {"objectClass": ["organizationalUnit"], "ou": [dn.split(",")[0][3:]]})
        for dn in (PEOPLE, GROUPS, f"ou=policies,{BASE}", f"ou=STC,{PEOPLE}", f"ou=NS,ou=STC,{PEOPLE}")
    ),
    (
        f"cn=default,ou=policies,{BASE}",
        {
            "objectClass": ["applicationProcess", "pwdPolicy"],
            "cn": ["default"],
            "pwdAttribute": ["userPassword"],
            "pwdLockout": ["TRUE"],
        },
    ),
    # STC: the agency and the unit from the DN.
    person("an", f"ou=NS,ou=STC,{PEOPLE}", "Nguyễn Văn An", "an-mat-khau"),
    # SXD: the agency and the unit from attributes (o, departmentNumber).
    person("binh", PEOPLE, "Trần Thị Bình", "binh-mat-khau", o=["SXD"], departmentNumber=["QLXD"]),
    # Locked by the directory (ppolicy): slapd refuses the bind, even with the right password.
    person(
        "khoa", f"ou=NS,ou=STC,{PEOPLE}", "Lê Khoa", "khoa-mat-khau", pwdAccountLockedTime=["000001010000Z"]
    ),
    person("dung", f"ou=NS,ou=STC,{PEOPLE}", "Phạm Dũng", "dung-mat-khau"),
    # Catalog manager: a role that needs no second factor, so the first page is the home page.
    group("kpi-catalog_manager-STC", AN),
    group("kpi-leader-SXD", BINH),
    group("kpi-head-SXD", BINH),
    group("kpi-hr-SXD", BINH),
    group("kpi-disabled", DUNG),
    group("canteen-committee", AN, BINH),
]


def _ldif(entries) -> bytes:
    import ldif

    out = io.StringIO()
    writer = ldif.LDIFWriter(out)
    for dn, attrs in entries:
        writer.unparse(dn, {key: [value.encode() for value in values] for key, values in attrs.items()})
    return out.getvalue().encode()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Directory:
    uri: str
    process: subprocess.Popen

    def connect(self):
        import ldap

        connection = ldap.initialize(self.uri)
        connection.simple_bind_s(ADMIN_DN, ADMIN_PASSWORD)
        return connection

    def modify(self, dn: str, **changes: list[str]) -> None:
        import ldap

        connection = self.connect()
        connection.modify_s(
            dn,
            [
                (ldap.MOD_REPLACE, key, [value.encode() for value in values])
                for key, values in changes.items()
            ],
        )
        connection.unbind_s()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def slapd(tmp_path):
    """A fresh slapd with the directory above, on a free loopback port; stopped after the test."""
    require(Path(SLAPD).exists(), "slapd is not installed (apt-get install slapd ldap-utils)")
    require(
        importlib.util.find_spec("django_auth_ldap") is not None, "make install-dev (requirements-ldap.txt)"
    )
    (tmp_path / "db").mkdir()
    conf = tmp_path / "slapd.conf"
    conf.write_text(
        SLAPD_CONF.format(modules=MODULES, root=tmp_path, base=BASE, admin=ADMIN_DN, password=ADMIN_PASSWORD)
    )
    subprocess.run([SLAPADD, "-f", str(conf)], input=_ldif(ENTRIES), check=True, capture_output=True)
    port = _free_port()
    uri = f"ldap://127.0.0.1:{port}"
    # -d keeps it in the foreground, a child of this test, so that it can be stopped for sure.
    process = subprocess.Popen(
        [SLAPD, "-f", str(conf), "-h", f"{uri}/", "-d", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    directory = Directory(uri=uri, process=process)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                directory.stop()
                pytest.fail(
                    f"slapd did not start: {process.stderr.read().decode() if process.stderr else ''}"
                )
            time.sleep(0.05)
    yield directory
    directory.stop()


@pytest.fixture
def ldap_on(slapd, settings, monkeypatch):
    """The settings of kpi_portal/settings/directory.py for this directory, as production reads them."""
    for name, value in {
        "LDAP_SERVER_URI": slapd.uri,
        "LDAP_BIND_DN": ADMIN_DN,
        "LDAP_BIND_PASSWORD": ADMIN_PASSWORD,
        "LDAP_USER_BASE": PEOPLE,
        "LDAP_GROUP_BASE": GROUPS,
        "LDAP_DENY_GROUP": f"cn=kpi-disabled,{GROUPS}",
    }.items():
        monkeypatch.setenv(name, value)
    found = directory_settings.ldap_settings(environ.Env())
    for name, value in found.items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS[:-1],
        *directory_settings.backends(found),
        settings.AUTHENTICATION_BACKENDS[-1],
    ]
    return slapd


pytestmark = pytest.mark.django_db


def sign_in(client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password}, follow=True)


def test_an_stc_user_signs_in_and_lands_in_stc_with_the_mapped_role_and_unit(client, org, ldap_on):
    response = sign_in(client, "an", "an-mat-khau")

    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Xin chào, Nguyễn Văn An" in response.text
    an = User.objects.get(username="an")
    assert an.email == "an@tinh.gov.vn"
    assert not an.has_usable_password()  # the directory checks the password, never a local copy
    membership = selectors.membership_on(an, selectors.today())
    assert membership is not None and membership.unit == org.unit1 and not membership.is_head
    assert {(r.role, r.agency) for r in RoleAssignment.objects.filter(person=an)} == {
        (Role.CATALOG_MANAGER, org.agency)
    }
    assert selectors.access_scope(an).manages_catalog(org.agency)
    event = AuditEvent.objects.get(action="person.directory_synced", person=an)
    assert (event.reason, event.agency, event.after["roles"]) == ("LDAP", org.agency, ["catalog_manager STC"])
    with translation.override("vi"):
        assert ("vai trò", f"{Role.CATALOG_MANAGER.label} (STC)") in audit.shown(event, "after")
        assert ("đơn vị", "STC / Phòng Quản lý Ngân sách") in audit.shown(event, "after")


def test_a_user_of_another_agency_is_placed_by_their_attributes_and_head_group(client, org, ldap_on):
    sign_in(client, "binh", "binh-mat-khau")

    binh = User.objects.get(username="binh")
    membership = selectors.membership_on(binh, selectors.today())
    assert membership is not None
    assert (membership.unit.agency, membership.unit.code, membership.is_head) == (
        org.other_agency,
        "QLXD",
        True,
    )
    assert {(r.role, r.agency) for r in RoleAssignment.objects.filter(person=binh)} == {
        (Role.LEADER, org.other_agency),
        (Role.HR, org.other_agency),
    }


def test_a_second_sign_in_brings_in_what_changed_in_the_directory(client, org, ldap_on):
    sign_in(client, "an", "an-mat-khau")
    client.post(reverse("logout"))
    ldap_on.modify(AN, cn=["Nguyễn Văn An Khang"], mail=["khang@tinh.gov.vn"], departmentNumber=["VP"])
    ldap_on.modify(f"cn=kpi-catalog_manager-STC,{GROUPS}", member=[DUNG])
    first_day = selectors.today()

    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        response = sign_in(client, "an", "an-mat-khau")
        today = selectors.today()

    assert "Xin chào, Nguyễn Văn An Khang" in response.text
    an = User.objects.get(username="an")
    assert an.email == "khang@tinh.gov.vn"
    assert selectors.membership_on(an, today).unit == org.unit2
    assert selectors.membership_on(an, first_day).unit == org.unit1  # what was done there stays there
    assert not RoleAssignment.objects.filter(person=an).exists()  # no group grants it any more
    assert AuditEvent.objects.filter(action="person.directory_synced", person=an).count() == 2


@pytest.mark.parametrize(
    "username, password",
    [("khoa", "khoa-mat-khau"), ("dung", "dung-mat-khau"), ("an", "sai-mat-khau")],
    ids=["locked by the directory", "in the deny group", "wrong password"],
)
def test_a_refused_directory_sign_in_gets_the_usual_message_and_counts_for_the_lockout(
    client, org, ldap_on, username, password
):
    response = client.post(LOGIN, {"username": username, "password": password})

    assert response.status_code == 200
    assert WRONG in response.text
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username=username).failures_since_start == 1
    assert not User.objects.filter(username=username).exists() or username == "an"


def test_repeated_refusals_lock_a_directory_account_like_a_local_one(client, org, ldap_on, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "an", "password": "sai"})

    with_right_password = client.post(LOGIN, {"username": "an", "password": "an-mat-khau"})

    assert with_right_password.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_local_account_still_signs_in_beside_the_directory(client, org, ldap_on):
    response = sign_in(client, org.member1.username, PASSWORD)

    assert response.redirect_chain[-1][0] == reverse("home")
    assert client.session["_auth_user_backend"] == "django.contrib.auth.backends.ModelBackend"


def test_with_the_directory_down_local_accounts_sign_in_and_directory_ones_get_the_usual_message(
    client, org, ldap_on
):
    ldap_on.stop()

    refused = client.post(LOGIN, {"username": "an", "password": "an-mat-khau"})
    local = sign_in(client, org.member1.username, PASSWORD)

    assert refused.status_code == 200 and WRONG in refused.text
    assert local.redirect_chain[-1][0] == reverse("home")


def test_directory_sign_in_is_off_unless_a_server_is_set(settings, monkeypatch):
    monkeypatch.delenv("LDAP_SERVER_URI", raising=False)
    monkeypatch.delenv("OIDC_RP_CLIENT_ID", raising=False)

    assert directory_settings.ldap_settings(environ.Env()) == {}
    assert directory_settings.LDAP_BACKEND not in settings.AUTHENTICATION_BACKENDS
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_a_server_without_a_user_base_fails_loudly(monkeypatch):
    require(
        importlib.util.find_spec("django_auth_ldap") is not None, "make install-dev (requirements-ldap.txt)"
    )
    monkeypatch.setenv("LDAP_SERVER_URI", "ldap://127.0.0.1:1")
    monkeypatch.delenv("LDAP_USER_BASE", raising=False)

    with pytest.raises(Exception, match="LDAP_USER_BASE"):
        directory_settings.ldap_settings(environ.Env())


def test_a_sign_in_with_nothing_changed_writes_no_event_and_stays_within_a_bound_of_queries(
    client, org, ldap_on, django_assert_max_num_queries
):
    sign_in(client, "an", "an-mat-khau")
    client.post(reverse("logout"))

    with django_assert_max_num_queries(30):
        response = client.post(LOGIN, {"username": "an", "password": "an-mat-khau"})

    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="person.directory_synced").count() == 1

"""The evidence import page: HR officers and administrators of the agency upload E-Office exports."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evidence.imports import CALENDAR_HEADERS, DOCUMENT_HEADERS
from evidence.models import CalendarAssignment, OutgoingDocument
from kpi_portal.spreadsheets import read_table
from org.models import Role
from org.tests.factories import RoleAssignmentFactory

from .test_imports import CALENDAR, DOCUMENTS, calendar_file, csv_bytes, documents_file, evidence_state

pytestmark = pytest.mark.usefixtures("frozen_now")


def url(org, name="import"):
    return reverse(f"evidence:{name}", args=[org.agency.code])


@pytest.fixture
def hr(client, org):
    client.force_login(org.hr)
    return client


def upload(client, org, kind, content, filename="e-office.xlsx"):
    return client.post(url(org), {"kind": kind, "file": SimpleUploadedFile(filename, content)})


def test_the_page_shows_the_form_and_what_the_agency_holds(hr, org):
    response = hr.get(url(org))

    assert response.status_code == 200
    assert response.context["holdings"]["documents"]["count"] == 0
    assert "Mã nguồn, Số ký hiệu, Ngày ban hành" in response.text


def test_uploading_documents_shows_the_counts(hr, org):
    response = upload(hr, org, "documents", documents_file())

    assert response.status_code == 200
    result = response.context["result"]
    assert result.ok and result.counts() == {"rows": 3, "created": 3, "updated": 0, "unchanged": 0}
    assert 'data-testid="import-done"' in response.text
    assert OutgoingDocument.objects.filter(agency=org.agency).count() == 3


def test_uploading_the_same_calendar_twice_updates_nothing(hr, org):
    upload(hr, org, "calendar", calendar_file())

    response = upload(hr, org, "calendar", calendar_file())

    assert response.context["result"].counts() == {"rows": 2, "created": 0, "updated": 0, "unchanged": 2}
    assert CalendarAssignment.objects.count() == 2


def test_a_file_with_problems_lists_them_and_writes_nothing(hr, org):
    bad = [CALENDAR[0], ["LCT-009", "31/02/2026", "", "", "Họp", "Họp", "nobody"]]

    response = upload(hr, org, "calendar", calendar_file(bad))

    assert response.status_code == 200
    assert 'data-testid="problems"' in response.text
    assert {(p.row, p.column) for p in response.context["result"].problems} == {
        (3, "Ngày"),
        (3, "Người tham dự"),
    }
    assert "<td>3</td><td>Người tham dự</td>" in response.text
    assert not CalendarAssignment.objects.exists()


def test_an_administrator_of_the_agency_may_import(client, org):
    RoleAssignmentFactory(person=org.head2, role=Role.ADMINISTRATOR, agency=org.agency)
    client.force_login(org.head2)

    response = upload(client, org, "documents", documents_file())

    assert response.context["result"].created == 3


@pytest.mark.parametrize("who", ["member1", "head1", "leader", "catalog_manager"])
def test_people_of_the_agency_without_the_role_are_refused(client, org, who):
    client.force_login(getattr(org, who))

    assert client.get(url(org)).status_code == 403
    assert upload(client, org, "documents", documents_file()).status_code == 403
    assert client.get(url(org, "import_template"), {"kind": "documents"}).status_code == 403
    assert not OutgoingDocument.objects.exists()


def test_the_hr_officer_of_another_agency_gets_not_found(client, org):
    RoleAssignmentFactory(person=org.member_b, role=Role.HR, agency=org.other_agency)
    client.force_login(org.member_b)

    assert client.get(url(org)).status_code == 404
    assert upload(client, org, "documents", documents_file()).status_code == 404
    assert client.get(url(org, "import_template"), {"kind": "documents"}).status_code == 404
    assert client.get(reverse("evidence:import", args=["SXD"])).status_code == 200  # their own agency
    assert not OutgoingDocument.objects.filter(agency=org.agency).exists()


def test_an_unknown_agency_is_not_found_and_visitors_must_log_in(client, hr, org):
    assert hr.get(reverse("evidence:import", args=["XYZ"])).status_code == 404
    hr.logout()

    response = client.get(url(org))

    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "documents"}, "file"),  # no file
        ({"kind": "documents", "file": ("cong-van.pdf", b"%PDF-1.4")}, "file"),
        ({"kind": "documents", "file": ("cong-van.xlsx", b"")}, "file"),
        ({"kind": "salaries", "file": ("cong-van.xlsx", b"PK\x03\x04")}, "kind"),
        ({"file": ("cong-van.csv", b"a,b\n")}, "kind"),
    ],
)
def test_a_bad_upload_is_refused_by_the_form(hr, org, data, field):
    if "file" in data:
        data = {**data, "file": SimpleUploadedFile(*data["file"])}

    response = hr.post(url(org), data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["result"] is None
    assert evidence_state() == ((), ())


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("cong-van.xlsx", b"\x00\x01garbage\xff" * 50),
        ("cong-van.csv", csv_bytes([["1/STC", "09/03/2026"]], ["Số", "Ngày"])),  # wrong headers
        ("cong-van.csv", "Mã nguồn,Số ký hiệu,Ngày ban hành\n1,2,3\n".encode("utf-16")),
    ],
)
def test_a_file_that_cannot_be_read_shows_one_problem_and_writes_nothing(hr, org, filename, content):
    response = upload(hr, org, "documents", content, filename)

    problems = response.context["result"].problems
    assert len(problems) == 1 and problems[0].row is None
    assert 'data-testid="problems"' in response.text
    assert evidence_state() == ((), ())


def test_a_file_above_the_limit_is_refused_before_reading(hr, org, settings):
    settings.CATALOG_IMPORT_MAX_BYTES = 100

    response = upload(hr, org, "documents", documents_file())

    assert "file" in response.context["form"].errors
    assert not OutgoingDocument.objects.exists()


@pytest.mark.parametrize(
    ("kind", "headers"), [("documents", DOCUMENT_HEADERS), ("calendar", CALENDAR_HEADERS)]
)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_example_files_have_the_documented_columns(hr, org, kind, headers, fmt):
    response = hr.get(url(org, "import_template"), {"kind": kind, "format": fmt})

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'-stc.{fmt}"')
    rows = read_table(response.content, f"example.{fmt}", headers=headers, optional=set())
    assert len(rows) == 2
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert [cell.value for cell in sheet[1]] == headers


@pytest.mark.parametrize("query", [{}, {"kind": "salaries"}, {"kind": "documents", "format": "pdf"}])
def test_an_unknown_example_file_is_not_found(hr, org, query):
    assert hr.get(url(org, "import_template"), query).status_code == 404


def test_the_page_keeps_a_bounded_number_of_queries_whatever_the_evidence(
    hr, org, django_assert_max_num_queries
):
    rows = [[f"VB-{n}", f"{n}/STC-NS", "09/03/2026", "", "member1", "NS"] for n in range(100)]
    upload(hr, org, "documents", documents_file(rows))
    upload(hr, org, "calendar", calendar_file())

    with django_assert_max_num_queries(15):
        response = hr.get(url(org))
    assert response.context["holdings"]["documents"]["count"] == 100

    with django_assert_max_num_queries(30):
        upload(hr, org, "documents", documents_file(rows + DOCUMENTS))

"""The two protections that once survived the whole suite (issue 17): an apply checks the file again,
before writing, inside its transaction; and exported cells that a spreadsheet would run as formulas
are defused."""

import csv
import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from catalog import imports, services
from catalog.models import ImportKind, ImportStatus
from catalog.tests.factories import StageFactory, StandardTaskFactory
from kpi_portal.spreadsheets import Problem

from .fixtures import catalog_state
from .test_import import DECLARED, GOOD_ROWS, check, xlsx


@pytest.fixture
def writes(monkeypatch):
    """Every call of the services that write an import into the draft (they still write)."""
    calls = []
    for name in ("catalog_replace", "declared_import"):
        real = getattr(services, name)

        def spy(*args, _real=real, _name=name, **kwargs):
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(services, name, spy)
    return calls


def test_a_declared_file_whose_unit_changed_since_the_preview_is_refused_and_nothing_changes(
    org, catalog, writes
):
    record = check(org, xlsx([["Việc mới của phòng", "NS", ""]], headers=DECLARED), kind=ImportKind.DECLARED)
    assert record.status == ImportStatus.PREVIEWED
    # Between the preview and the confirmation, the unit's code changes: the file's "NS" names no unit.
    org.unit1.code = "NSNN"
    org.unit1.save(update_fields=["code"])
    before = catalog_state(org.agency)

    with pytest.raises(ValidationError, match="NS"):
        imports.apply(record=record, by=org.catalog_manager)

    assert writes == []
    assert catalog_state(org.agency) == before
    record.refresh_from_db()
    assert record.status == ImportStatus.PREVIEWED


def test_a_declared_file_whose_code_left_the_draft_since_the_preview_is_refused_and_nothing_changes(
    org, catalog, writes
):
    record = check(org, xlsx([["Việc mới", "NS", "B.01"]], headers=DECLARED), kind=ImportKind.DECLARED)
    assert record.status == ImportStatus.PREVIEWED
    draft = services.draft_open(agency=org.agency, by=org.catalog_manager)
    services.task_delete(task=draft.tasks.get(code="B.01"), by=org.catalog_manager)
    writes.clear()
    before = catalog_state(org.agency)

    with pytest.raises(ValidationError, match=r"B\.01"):
        imports.apply(record=record, by=org.catalog_manager)

    assert writes == []
    assert catalog_state(org.agency) == before


def test_a_catalog_file_whose_check_differs_at_apply_time_writes_nothing(org, catalog, writes, monkeypatch):
    record = check(org, xlsx(GOOD_ROWS))
    assert record.status == ImportStatus.PREVIEWED
    before = catalog_state(org.agency)
    real_parse = imports.parse

    def parse_finding_a_problem_now(**kwargs):
        parsed, _problems = real_parse(**kwargs)
        return parsed, [Problem(3, "Định mức (phút)", "Định mức đã đổi.")]

    monkeypatch.setattr(imports, "parse", parse_finding_a_problem_now)

    with pytest.raises(ValidationError, match="Định mức đã đổi"):
        imports.apply(record=record, by=org.catalog_manager)

    assert writes == []
    assert catalog_state(org.agency) == before


@pytest.mark.django_db(transaction=True)
def test_the_apply_checks_again_inside_its_transaction_holding_the_catalog_lock(org, catalog, monkeypatch):
    record = check(org, xlsx(GOOD_ROWS))
    real_parse = imports.parse
    seen = []

    def parse(**kwargs):
        with connection.cursor() as cursor:
            # The agency's row is locked by this very transaction (catalog.services' lock).
            cursor.execute(
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "WHERE l.pid = pg_backend_pid() AND c.relname = 'org_agency' AND l.mode = 'RowShareLock'"
            )
            seen.append((connection.in_atomic_block, cursor.fetchone()[0]))
        return real_parse(**kwargs)

    monkeypatch.setattr(imports, "parse", parse)

    imports.apply(record=record, by=org.catalog_manager)

    assert seen == [(True, 1)]


def test_a_write_that_fails_halfway_leaves_the_draft_and_the_import_as_they_were(org, catalog, monkeypatch):
    record = check(org, xlsx(GOOD_ROWS))
    draft = services.draft_open(agency=org.agency, by=org.catalog_manager)
    before = catalog_state(org.agency)
    real_create = services.task_create

    def create_then_fail(**kwargs):
        real_create(**kwargs)
        raise ValidationError("the database refused the second task")

    monkeypatch.setattr(services, "task_create", create_then_fail)

    with pytest.raises(ValidationError):
        imports.apply(record=record, by=org.catalog_manager)

    assert catalog_state(org.agency) == before
    assert draft.tasks.filter(code="B.02").count() == 0
    record.refresh_from_db()
    assert record.status == ImportStatus.PREVIEWED


# Formula defusing of the exports -------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://x.invalid","Bấm")', "+1+2", "-3+4", "@SUM(A1:A2)"]


@pytest.fixture
def formula_tasks(org, catalog):
    for number, name in enumerate(FORMULAS, start=1):
        task = StandardTaskFactory(version=catalog.version, code=f"D.{number:02d}", name=name, group="D")
        StageFactory(task=task, order=1, name=name, norm_minutes=30)


def export(client, org, fmt: str) -> bytes:
    client.force_login(org.member1)
    response = client.get(reverse("catalog:export", args=[org.agency.code]), {"format": fmt})
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.dates
def test_a_csv_export_defuses_task_and_stage_names_starting_like_a_formula(client, org, formula_tasks):
    rows = list(csv.reader(io.StringIO(export(client, org, "csv").decode("utf-8-sig")), delimiter=";"))

    exported = {row[0]: row for row in rows[1:]}
    for number, name in enumerate(FORMULAS, start=1):
        row = exported[f"D.{number:02d}"]
        assert row[1] == f"'{name}" and row[4] == f"'{name}", row
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


@pytest.mark.dates
def test_an_xlsx_export_stores_names_starting_like_a_formula_as_text(client, org, formula_tasks):
    content = export(client, org, "xlsx")

    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    names = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}
    for number, name in enumerate(FORMULAS, start=1):
        cell = names[f"D.{number:02d}"]
        assert (cell.value, cell.data_type) == (name, "s")


@pytest.mark.dates
def test_a_defused_csv_export_imports_back_to_the_same_names(client, org, formula_tasks):
    content = export(client, org, "csv")

    record = check(org, content, filename="danh-muc.csv")

    assert record.status == ImportStatus.PREVIEWED, record.problems
    imports.apply(record=record, by=org.catalog_manager)
    draft = services.draft_open(agency=org.agency, by=org.catalog_manager)
    assert sorted(draft.tasks.filter(group="D").values_list("name", flat=True)) == sorted(FORMULAS)

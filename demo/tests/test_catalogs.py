import io

import pytest
from django.core.management import call_command

from catalog import selectors
from catalog.models import CatalogImport, DeclaredTask, ImportStatus, Stage, StandardTask, VersionStatus
from catalog.spreadsheets import CATALOG_HEADERS, CATALOG_OPTIONAL, catalog_rows
from demo.catalogs import AGENCIES, catalog_file, catalog_tasks
from demo.window import Window
from kpi_portal.spreadsheets import read_table
from org.models import Agency
from org.selectors import today

pytestmark = pytest.mark.dates


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--no-diaries", force=True, stdout=io.StringIO())


def test_stc_has_at_least_270_declared_tasks_merged_into_50_published_standard_tasks(demo):
    stc = Agency.objects.get(code="STC")
    version = selectors.version_on(stc, today())

    assert version.status == VersionStatus.PUBLISHED
    tasks = list(selectors.tasks_of(version))
    assert len(tasks) == 50
    assert {t.group for t in tasks} == {"A", "B", "C", "D"}
    assert all(2 <= len(t.stages.all()) <= 5 for t in tasks)
    assert all(t.declared_count >= 3 for t in tasks)
    assert DeclaredTask.objects.filter(agency=stc, standard_task__version=version).count() >= 270
    assert DeclaredTask.objects.filter(agency=stc, standard_task__isnull=True).count() == 5


def test_stc_gets_the_279_declared_tasks_and_166_stages_of_its_sample_files(demo):
    stc = Agency.objects.get(code="STC")
    version = selectors.version_on(stc, today())

    assert Stage.objects.filter(task__version=version).count() == 166
    sources = DeclaredTask.objects.filter(agency=stc)
    assert sources.filter(source="STC-dau-viec-ke-khai.xlsx", standard_task__version=version).count() == 279
    assert sources.filter(source="STC-dau-viec-ke-khai-moi.xlsx", standard_task__isnull=True).count() == 5
    assert version.number == 1
    assert version.effective_from == Window.ending(today()).catalog_from
    # Loaded through the import, as a catalog manager would: the catalog and the two declared files.
    assert CatalogImport.objects.filter(agency=stc, status=ImportStatus.APPLIED).count() == 3


def test_the_sample_files_are_what_the_export_writes(demo):
    """So export → import → export gives back the sample file, and the file is a faithful sample."""
    for code in AGENCIES:
        version = selectors.version_on(Agency.objects.get(code=code), today())
        path = catalog_file(code)
        rows = read_table(path.read_bytes(), path.name, headers=CATALOG_HEADERS, optional=CATALOG_OPTIONAL)

        assert [[row.cells[h] for h in CATALOG_HEADERS] for row in rows] == catalog_rows(version), code


def test_the_other_agencies_get_small_catalogs(demo):
    for code in ("SXD", "SNV"):
        assert (
            StandardTask.objects.filter(agency__code=code, version__status=VersionStatus.PUBLISHED).count()
            == 8
        )


def test_seeding_twice_keeps_the_catalog_as_it_is(demo):
    before = (StandardTask.objects.count(), DeclaredTask.objects.count())

    call_command("seed_demo", "--no-diaries", force=True, stdout=io.StringIO())

    assert (StandardTask.objects.count(), DeclaredTask.objects.count()) == before


def test_the_demo_norms_are_plausible():
    for task in catalog_tasks("STC"):
        total = sum(stage.norm_minutes for stage in task.stages)
        assert 10 <= total <= 8 * 60 * 10, task.code  # at most ten working days per unit of output

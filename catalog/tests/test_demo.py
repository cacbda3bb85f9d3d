import io

import pytest
from django.core.management import call_command

from catalog import selectors
from catalog.demo_data import STC_TASKS
from catalog.models import DeclaredTask, StandardTask, VersionStatus
from org.models import Agency
from org.selectors import today


@pytest.fixture
def demo(db):
    call_command("seed_demo", force=True, stdout=io.StringIO())


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


def test_the_other_agencies_get_small_catalogs(demo):
    for code in ("SXD", "SNV"):
        assert (
            StandardTask.objects.filter(agency__code=code, version__status=VersionStatus.PUBLISHED).count()
            == 8
        )


def test_seeding_twice_keeps_the_catalog_as_it_is(demo):
    before = (StandardTask.objects.count(), DeclaredTask.objects.count())

    call_command("seed_demo", force=True, stdout=io.StringIO())

    assert (StandardTask.objects.count(), DeclaredTask.objects.count()) == before


def test_the_demo_norms_are_plausible(db):
    for task in STC_TASKS:
        total = sum(stage.minutes for stage in task.stages)
        assert 10 <= total <= 8 * 60 * 10, task.code  # at most ten working days per unit of output

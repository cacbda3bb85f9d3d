"""Two large uploads of one agency at the same moment (PostgreSQL, two connections): one job is kept,
the other upload gets a clear message (the partial unique constraint catalog_import_one_unfinished)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from catalog import import_jobs, imports
from catalog.models import CatalogImport, ImportKind, ImportStatus
from conftest import require
from evaluation.tests.test_concurrency import HoldAfterLock, race

from .test_import import GOOD_ROWS, xlsx

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql():
    require(connection.vendor == "postgresql", "the concurrency tests need PostgreSQL (DATABASE_URL)")


@pytest.fixture(autouse=True)
def _large_and_not_sent(settings, monkeypatch):
    settings.CATALOG_IMPORT_BACKGROUND_ROWS = 3
    monkeypatch.setattr(import_jobs.background, "enqueue", lambda task, *args: True)


def _upload(org, filename):
    return lambda: imports.check(
        agency=org.agency, kind=ImportKind.CATALOG, filename=filename, content=xlsx(GOOD_ROWS), by=None
    )


def test_two_large_uploads_at_once_keep_one_job_and_tell_the_second_to_wait(org, catalog, monkeypatch):
    # The first upload stops once its row is written, its transaction open; the second one's insert
    # must then wait for it on the unique index, and fail once it commits.
    hold = HoldAfterLock(monkeypatch, import_jobs, "_send")

    first, second = race(hold, _upload(org, "mot.xlsx"), _upload(org, "hai.xlsx"))

    assert first.error is None, first.error
    assert isinstance(second.error, ValidationError), second.error
    assert "still being checked or imported" in second.error.messages[0]
    assert list(CatalogImport.objects.values_list("filename", "status")) == [
        ("mot.xlsx", ImportStatus.CHECKING)
    ]

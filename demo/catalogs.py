"""The demo catalogs: sample files in ``data/`` loaded as a catalog manager would load them.

Each agency's catalog file (``<CODE>-danh-muc.xlsx``) and declared-tasks file
(``<CODE>-dau-viec-ke-khai.xlsx``) go through catalog's import (check, then apply: the path of
``manage.py import_catalog`` and of the browser) into a draft, which is then published as version 1.
STC's tasks declared after publishing and not merged yet (``STC-dau-viec-ke-khai-moi.xlsx``) are
imported last. The files follow docs/catalog-format.md, so they double as sample files.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from catalog import imports, services
from catalog.models import CatalogVersion, DeclaredTask, ImportKind, ImportStatus, StandardTask, VersionStatus
from catalog.services import TaskInput
from catalog.spreadsheets import CATALOG_HEADERS, CATALOG_OPTIONAL, parse_catalog
from kpi_portal.spreadsheets import read_table
from org.models import Agency, User

DATA = Path(__file__).resolve().parent / "data"
AGENCIES = ("STC", "SXD", "SNV")
NOTE = "Danh mục ban đầu (dữ liệu mẫu)"


class DemoDataError(Exception):
    """A demo file does not pass the import's checks."""


def catalog_file(code: str) -> Path:
    return DATA / f"{code}-danh-muc.xlsx"


def declared_file(code: str) -> Path:
    return DATA / f"{code}-dau-viec-ke-khai.xlsx"


def new_declared_file(code: str) -> Path:
    return DATA / f"{code}-dau-viec-ke-khai-moi.xlsx"


def seed_catalogs(*, by: User, effective_from: datetime.date) -> dict[str, tuple[int, int]]:
    """(standard tasks, declared tasks) per agency. An agency that has a catalog keeps it."""
    counts = {}
    for code in AGENCIES:
        agency = Agency.objects.get(code=code)
        if not CatalogVersion.objects.filter(agency=agency).exists():
            _import(agency, catalog_file(code), ImportKind.CATALOG, by)
            _import(agency, declared_file(code), ImportKind.DECLARED, by)
            services.catalog_publish(agency=agency, effective_from=effective_from, by=by, note=NOTE)
            if new_declared_file(code).exists():
                _import(agency, new_declared_file(code), ImportKind.DECLARED, by)
        counts[code] = (
            StandardTask.objects.filter(
                version__agency=agency, version__status=VersionStatus.PUBLISHED
            ).count(),
            DeclaredTask.objects.filter(agency=agency).count(),
        )
    return counts


def _import(agency: Agency, path: Path, kind: str, by: User) -> None:
    # The seed waits for its imports, whatever their size: never a background job.
    record = imports.check(
        agency=agency, kind=kind, filename=path.name, content=path.read_bytes(), by=by, inline=True
    )
    if record.status == ImportStatus.REJECTED:
        problems = "; ".join(f"row {p['row']}, {p['column']}: {p['message']}" for p in record.problems)
        raise DemoDataError(f"{path.name}: {problems}")
    imports.apply(record=record, by=by)


def catalog_tasks(code: str) -> list[TaskInput]:
    """The standard tasks of an agency's demo catalog file, with their stages, as the import reads them."""
    path = catalog_file(code)
    rows = read_table(path.read_bytes(), path.name, headers=CATALOG_HEADERS, optional=CATALOG_OPTIONAL)
    tasks, problems = parse_catalog(rows)
    if problems:
        raise DemoDataError(f"{path.name}: {problems}")
    return tasks

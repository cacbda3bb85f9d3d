"""Spreadsheet imports: check a file (preview), then apply it all-or-nothing.

The browser and ``manage.py import_catalog`` go through the same two steps.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kpi_portal.spreadsheets import Problem, SpreadsheetError, read_table
from org.models import Agency, User

from . import selectors, services
from .models import CatalogImport, ImportKind, ImportStatus
from .spreadsheets import (
    CATALOG_HEADERS,
    CATALOG_OPTIONAL,
    DECLARED_HEADERS,
    DECLARED_OPTIONAL,
    parse_catalog,
    parse_declared,
)


def parse(*, agency: Agency, kind: str, filename: str, content: bytes) -> tuple[list, list[Problem]]:
    """What the file holds, or the problems that stop it from being imported."""
    try:
        if kind == ImportKind.CATALOG:
            rows = read_table(content, filename, headers=CATALOG_HEADERS, optional=CATALOG_OPTIONAL)
            return parse_catalog(rows)
        rows = read_table(content, filename, headers=DECLARED_HEADERS, optional=DECLARED_OPTIONAL)
        working = selectors.working_version(agency)
        codes = set(working.tasks.values_list("code", flat=True)) if working else set()
        return parse_declared(rows, agency, codes)
    except SpreadsheetError as error:
        return [], [Problem(None, None, str(error))]


def _summary(agency: Agency, kind: str, parsed: list) -> dict:
    if kind == ImportKind.CATALOG:
        working = selectors.working_version(agency)
        before = set(working.tasks.values_list("code", flat=True)) if working else set()
        after = {task.code for task in parsed}
        return {
            "tasks": len(parsed),
            "stages": sum(len(task.stages) for task in parsed),
            "added": sorted(after - before),
            "removed": sorted(before - after),
            "kept": len(after & before),
        }
    return {
        "rows": len(parsed),
        "merged": sum(1 for item in parsed if item.code),
        "existing": services.declared_existing_count(agency=agency, items=parsed),
    }


def check(*, agency: Agency, kind: str, filename: str, content: bytes, by: User | None) -> CatalogImport:
    """Read and check an uploaded file and keep it for the preview; nothing in the catalog changes."""
    parsed, problems = parse(agency=agency, kind=kind, filename=filename, content=content)
    return CatalogImport.objects.create(
        agency=agency,
        kind=kind,
        filename=filename[:255],
        content=content,
        status=ImportStatus.REJECTED if problems else ImportStatus.PREVIEWED,
        problems=[p.as_dict() for p in problems],
        summary={} if problems else _summary(agency, kind, parsed),
        created_by=by,
    )


@transaction.atomic
def apply(*, record: CatalogImport, by: User | None) -> CatalogImport:
    """Import a checked file into the draft. The file is checked again, since the
    draft may have changed since the preview; any problem leaves everything as it was."""
    record = CatalogImport.objects.select_for_update().get(pk=record.pk)
    if record.status != ImportStatus.PREVIEWED:
        raise ValidationError(_("This file was already handled; upload it again to import it."))
    parsed, problems = parse(
        agency=record.agency, kind=record.kind, filename=record.filename, content=bytes(record.content)
    )
    if problems:
        raise ValidationError([_("Row %(row)s, %(column)s: %(message)s") % p.as_dict() for p in problems])
    if record.kind == ImportKind.CATALOG:
        services.catalog_replace(agency=record.agency, tasks=parsed, by=by)
    else:
        services.declared_import(agency=record.agency, items=parsed, source=record.filename, by=by)
    record.status = ImportStatus.APPLIED
    record.applied_at = timezone.now()
    record.save(update_fields=["status", "applied_at"])
    return record

"""Spreadsheet imports: check a file (preview), then apply it all-or-nothing.

The browser and ``manage.py import_catalog`` go through the same two steps. A file of more than
``CATALOG_IMPORT_BACKGROUND_ROWS`` rows is checked, and later applied, by a background job
(``catalog.import_jobs``) that shows its progress on the preview page; it is the same check and the
same all-or-nothing apply, only not while the user waits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kpi_portal.spreadsheets import Problem, SpreadsheetError, count_rows, read_table
from org.models import Agency, User

from . import selectors, services, usage
from .models import CatalogImport, ImportKind, ImportStatus, Stage
from .spreadsheets import (
    CATALOG_HEADERS,
    CATALOG_OPTIONAL,
    DECLARED_HEADERS,
    DECLARED_OPTIONAL,
    parse_catalog,
    parse_declared,
)

# A province-wide catalog for every commune can run to this many rows.
MAX_ROWS = 100_000
# The problems kept with an import for its preview (the first ones, in row order); ``problem_count``
# says how many there were in all. A file of 100 000 wrong rows would otherwise keep a million.
PROBLEMS_KEPT = 5_000
# The problems repeated as messages when an apply is refused (the preview page lists them all).
MESSAGES_SHOWN = 20

ReadProgress = Callable[[int], None]


def background_rows() -> int:
    """Files with more rows than this are checked and applied by a background job."""
    return getattr(settings, "CATALOG_IMPORT_BACKGROUND_ROWS", 2_000)


def parse(
    *, agency: Agency, kind: str, filename: str, content: bytes, progress: ReadProgress | None = None
) -> tuple[list, list[Problem]]:
    """What the file holds, or the problems that stop it from being imported."""
    try:
        if kind == ImportKind.CATALOG:
            rows = read_table(
                content,
                filename,
                headers=CATALOG_HEADERS,
                optional=CATALOG_OPTIONAL,
                max_rows=MAX_ROWS,
                progress=progress,
            )
            return parse_catalog(rows)
        rows = read_table(
            content,
            filename,
            headers=DECLARED_HEADERS,
            optional=DECLARED_OPTIONAL,
            max_rows=MAX_ROWS,
            progress=progress,
        )
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
        # Stages of kept tasks the file leaves out are removed too: said with the work that used them.
        wanted = {(task.code, stage.order) for task in parsed for stage in task.stages}
        dropped = (
            [
                (code, order, name)
                for code, order, name in Stage.objects.filter(task__version=working, task__code__in=after)
                .order_by("task__code", "order")
                .values_list("task__code", "order", "name")
                if (code, order) not in wanted
            ]
            if working
            else []
        )
        used = usage.stage_usage(agency, [(code, order) for code, order, _name in dropped])
        return {
            "tasks": len(parsed),
            "stages": sum(len(task.stages) for task in parsed),
            "added": sorted(after - before),
            "removed": sorted(before - after),
            "kept": len(after & before),
            "removed_stages": [
                {"code": code, "order": order, "name": name, "entries": used[(code, order)]}
                for code, order, name in dropped
            ],
        }
    return {
        "rows": len(parsed),
        "merged": sum(1 for item in parsed if item.code),
        "existing": services.declared_existing_count(agency=agency, items=parsed),
    }


def problem_fields(problems: Sequence[Problem]) -> dict:
    """The problems as an import keeps them: the first ``PROBLEMS_KEPT`` and the count of all."""
    return {
        "problems": [p.as_dict() for p in problems[:PROBLEMS_KEPT]],
        "problem_count": len(problems),
    }


def outcome(*, agency: Agency, kind: str, parsed: list, problems: Sequence[Problem]) -> dict:
    """The fields of a checked import: rejected with its problems, or previewed with its summary."""
    return {
        "status": ImportStatus.REJECTED if problems else ImportStatus.PREVIEWED,
        **problem_fields(problems),
        "summary": {} if problems else _summary(agency, kind, parsed),
    }


def language() -> str:
    """The language of the person importing, for the messages a background job writes for them."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    return current if current in {code for code, _name in settings.LANGUAGES} else settings.LANGUAGE_CODE


def check(
    *, agency: Agency, kind: str, filename: str, content: bytes, by: User | None, inline: bool = False
) -> CatalogImport:
    """Read and check an uploaded file and keep it for the preview; nothing in the catalog changes.

    A large file is only kept here, as ``checking``, and checked by a background job once the
    request commits, unless ``inline`` (the command line, which waits anyway). Raises
    ``ValidationError`` when a background job of the agency is still unfinished.
    """
    if not inline and count_rows(content, filename) > background_rows():
        from . import import_jobs

        return import_jobs.queue_check(agency=agency, kind=kind, filename=filename, content=content, by=by)
    parsed, problems = parse(agency=agency, kind=kind, filename=filename, content=content)
    return CatalogImport.objects.create(
        agency=agency,
        kind=kind,
        filename=filename[:255],
        content=content,
        created_by=by,
        **outcome(agency=agency, kind=kind, parsed=parsed, problems=problems),
    )


def already_handled() -> ValidationError:
    return ValidationError(_("This file was already handled; upload it again to import it."))


def busy() -> ValidationError:
    return ValidationError(
        _(
            "A large file of this agency is still being checked or imported. "
            "Wait until it is finished, then try again."
        )
    )


def refusal(problems: Sequence[Problem]) -> ValidationError:
    """The problems that stop an apply, as messages (the first ``MESSAGES_SHOWN``)."""
    messages = [
        _("Row %(row)s, %(column)s: %(message)s") % p.as_dict() if p.row else p.message
        for p in problems[:MESSAGES_SHOWN]
    ]
    if len(problems) > MESSAGES_SHOWN:
        more = len(problems) - MESSAGES_SHOWN
        messages.append(
            _("… and %(count)s more problems.") % {"count": number_format(more, force_grouping=True)}
        )
    return ValidationError(messages)


def lock_and_recheck(
    record: CatalogImport, *, progress: ReadProgress | None = None
) -> tuple[list, list[Problem]]:
    """Inside the apply's transaction and before anything is written: take the agency's catalog lock
    (the one every catalog write takes), then check the file again against the draft as it is now,
    since it may have changed since the preview."""
    _lock_agency(record.agency)
    return parse(
        agency=record.agency,
        kind=record.kind,
        filename=record.filename,
        content=bytes(record.content),
        progress=progress,
    )


def _lock_agency(agency: Agency) -> None:
    # The lock every write of ``catalog.services`` takes (a row lock on the agency).
    Agency.objects.select_for_update().filter(pk=agency.pk).first()


def write(record: CatalogImport, parsed: list, *, by: User | None) -> None:
    """Write a checked file into the draft (inside the apply's transaction)."""
    if record.kind == ImportKind.CATALOG:
        services.catalog_replace(agency=record.agency, tasks=parsed, by=by)
    else:
        services.declared_import(agency=record.agency, items=parsed, source=record.filename, by=by)


@transaction.atomic
def apply(*, record: CatalogImport, by: User | None) -> CatalogImport:
    """Import a checked file into the draft. The file is checked again before anything is written,
    since the draft may have changed since the preview; any problem leaves everything as it was.

    A file checked in the background is applied in the background too: the import is then only
    queued here (``applying``). Raises ``ValidationError`` with the problems found, or when the file
    was already handled or another background job of the agency is unfinished.
    """
    record = CatalogImport.objects.select_for_update().get(pk=record.pk)
    if record.status != ImportStatus.PREVIEWED:
        raise already_handled()
    if record.background:
        from . import import_jobs

        return import_jobs.queue_apply(record=record, by=by)
    if CatalogImport.objects.filter(agency=record.agency, status=ImportStatus.APPLYING).exists():
        # Its transaction holds the catalog lock for minutes: say so rather than wait for it.
        raise busy()
    parsed, problems = lock_and_recheck(record)
    if problems:
        raise refusal(problems)
    write(record, parsed, by=by)
    record.status = ImportStatus.APPLIED
    record.applied_at = timezone.now()
    record.applied_by = by
    record.save(update_fields=["status", "applied_at", "applied_by"])
    return record

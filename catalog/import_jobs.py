"""Large catalog imports, checked and applied by a background job.

A file of more than ``CATALOG_IMPORT_BACKGROUND_ROWS`` rows (up to 100 000) is kept as an import
``checking``; once the request commits, ``run_import`` reads and checks it, and the preview page
polls its progress. Confirming it queues it as ``applying``; ``run_import`` then checks it again and
writes it into the draft in one transaction, as the synchronous apply does (``imports.apply``): all
or nothing, every problem listed (the first ``imports.PROBLEMS_KEPT`` kept, all counted).

A job cannot get stuck: while it runs, a thread of the worker (``_Beat``) writes its progress and
``heartbeat_at`` every ``BEAT_SECONDS`` on a connection of its own, so they are seen while the
apply's transaction is still open (the progress follows the rows read, then the tasks written).
``sweep_import_jobs`` (beat, every minute) sends again a job whose message was lost (still queued
after ``REQUEUE_AFTER``) and fails a job whose worker died (no sign of life for ``STALE_AFTER``) or
that was never taken. A failed apply wrote nothing (its transaction died with the worker). The
partial unique constraint ``catalog_import_one_unfinished`` keeps one unfinished job per agency even
when two uploads arrive at once. While an apply writes, the agency's catalog lock is held, so other
changes to the agency's catalog wait for it (about 5 minutes for 100 000 rows).
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import threading
from collections.abc import Iterator

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connections, transaction
from django.db.models import Q, QuerySet
from django.db.models.signals import post_save
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kpi_portal import tasks as background
from kpi_portal.spreadsheets import Problem, count_rows
from org.models import Agency, User

from . import imports
from .models import CatalogImport, ImportStatus, StandardTask

logger = logging.getLogger(__name__)

UNFINISHED = (ImportStatus.CHECKING, ImportStatus.APPLYING)
# How often a running job writes its progress and its sign of life.
BEAT_SECONDS = 2
# A job still queued this long after it was sent is sent again (its message was lost).
REQUEUE_AFTER = datetime.timedelta(minutes=1)
# A job without a sign of life for this long is failed: its worker died, or no worker took it.
STALE_AFTER = datetime.timedelta(minutes=5)


def _failure_message() -> str:
    return _("The import could not be finished; nothing was imported. Upload the file again.")


# Queueing (in the request) -------------------------------------------------------------------------


def _send(record_id: int) -> None:
    # After the commit: the worker must find the row. A broker that is down costs only time: the
    # sweep sends the job again.
    transaction.on_commit(lambda: background.enqueue(run_import, record_id))


@transaction.atomic
def queue_check(
    *, agency: Agency, kind: str, filename: str, content: bytes, by: User | None
) -> CatalogImport:
    """Keep a large file as an import being checked, and send its job once the request commits."""
    fail_stale(CatalogImport.objects.filter(agency=agency))
    now = timezone.now()
    record = CatalogImport(
        agency=agency,
        kind=kind,
        filename=filename[:255],
        content=content,
        status=ImportStatus.CHECKING,
        background=True,
        created_by=by,
        language=imports.language(),
        step=_("Waiting for its turn"),
        queued_at=now,
        heartbeat_at=now,
    )
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        raise imports.busy() from None
    _send(record.pk)
    return record


def queue_apply(*, record: CatalogImport, by: User | None) -> CatalogImport:
    """Queue a previewed large import for applying (inside ``imports.apply``'s transaction)."""
    fail_stale(CatalogImport.objects.filter(agency=record.agency))
    now = timezone.now()
    record.status = ImportStatus.APPLYING
    record.applied_by = by
    record.language = imports.language()
    record.progress, record.step, record.error = 0, _("Waiting for its turn"), ""
    record.queued_at, record.started_at, record.heartbeat_at = now, None, now
    try:
        with transaction.atomic():
            record.save(
                update_fields=[
                    "status",
                    "applied_by",
                    "language",
                    "progress",
                    "step",
                    "error",
                    "queued_at",
                    "started_at",
                    "heartbeat_at",
                ]
            )
    except IntegrityError:
        raise imports.busy() from None
    _send(record.pk)
    return record


# Running (in the worker) ---------------------------------------------------------------------------


class _Beat:
    """The job's progress and sign of life, written every ``BEAT_SECONDS`` by a thread on its own
    database connection (the apply's transaction holds the main one for minutes)."""

    def __init__(self, record_id: int):
        self.record_id = record_id
        self.progress, self.step = 1, ""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"import-{record_id}-beat", daemon=True)

    def set(self, progress: int, step: str) -> None:
        self.progress, self.step = max(1, min(progress, 99)), step[:200]

    def __enter__(self) -> _Beat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop writing (before the job writes its outcome on the same row)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _write(self) -> None:
        CatalogImport.objects.filter(pk=self.record_id, status__in=UNFINISHED).update(
            progress=self.progress, step=self.step, heartbeat_at=timezone.now()
        )

    def _run(self) -> None:
        try:
            while True:
                try:
                    self._write()
                except Exception:  # a missed beat is not the job's failure; the next one may pass
                    logger.warning("import %s: could not write its progress", self.record_id, exc_info=True)
                if self._stop.wait(BEAT_SECONDS):
                    return
        finally:
            connections.close_all()


class _Refused(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems


def _read_progress(beat: _Beat, *, start: int, end: int, total: int, step: str) -> imports.ReadProgress:
    def progress(rows: int) -> None:
        beat.set(
            start + (end - start) * rows // max(total, 1),
            step % {"rows": number_format(rows, force_grouping=True)},
        )

    return progress


@contextlib.contextmanager
def _counting_tasks(beat: _Beat, *, start: int, end: int, total: int) -> Iterator[None]:
    """Progress while the catalog services write a catalog file task by task (minutes for 25 000
    tasks): each task saved moves it on. A declared-tasks file is written at once and saves none."""
    written = 0

    def saved(**_kwargs) -> None:
        nonlocal written
        written += 1
        beat.set(
            start + (end - start) * written // max(total, 1),
            _("Writing into the draft: %(done)s of %(total)s tasks")
            % {
                "done": number_format(min(written, total), force_grouping=True),
                "total": number_format(total, force_grouping=True),
            },
        )

    uid = f"catalog-import-progress-{id(beat)}"
    post_save.connect(saved, sender=StandardTask, weak=False, dispatch_uid=uid)
    try:
        yield
    finally:
        post_save.disconnect(sender=StandardTask, dispatch_uid=uid)


def _check(record: CatalogImport, beat: _Beat) -> None:
    content = bytes(record.content)
    total = count_rows(content, record.filename)
    beat.set(2, _("Reading the file"))
    parsed, problems = imports.parse(
        agency=record.agency,
        kind=record.kind,
        filename=record.filename,
        content=content,
        progress=_read_progress(
            beat, start=2, end=80, total=total, step=_("Reading the file: %(rows)s rows")
        ),
    )
    beat.set(90, _("Preparing the summary"))
    fields = imports.outcome(agency=record.agency, kind=record.kind, parsed=parsed, problems=problems)
    beat.stop()
    CatalogImport.objects.filter(pk=record.pk, status=ImportStatus.CHECKING).update(
        **fields, progress=100, step="", heartbeat_at=timezone.now()
    )


def _apply(record: CatalogImport, beat: _Beat) -> None:
    total = count_rows(bytes(record.content), record.filename)
    try:
        with transaction.atomic():
            beat.set(2, _("Checking the file again"))
            parsed, problems = imports.lock_and_recheck(
                record,
                progress=_read_progress(
                    beat, start=2, end=50, total=total, step=_("Checking the file again: %(rows)s rows")
                ),
            )
            if problems:
                raise _Refused(problems)
            beat.set(55, _("Writing into the draft"))
            with _counting_tasks(beat, start=55, end=99, total=len(parsed)):
                imports.write(record, parsed, by=record.applied_by)
            beat.stop()
            done = CatalogImport.objects.filter(pk=record.pk, status=ImportStatus.APPLYING).update(
                status=ImportStatus.APPLIED, applied_at=timezone.now(), progress=100, step=""
            )
            if not done:
                # The sweep gave up on it meanwhile: it says nothing was imported, so nothing is.
                raise _Refused([])
    except _Refused as refused:
        beat.stop()
        if refused.problems:
            CatalogImport.objects.filter(pk=record.pk, status=ImportStatus.APPLYING).update(
                status=ImportStatus.REJECTED,
                **imports.problem_fields(refused.problems),
                summary={},
                progress=100,
                step="",
                error=_(
                    "Checked again before importing, the file now has problems: the draft changed "
                    "since the check. Nothing was imported."
                ),
            )
    except ValidationError as error:
        # A rule of the catalog services refused the write (the transaction is rolled back).
        beat.stop()
        CatalogImport.objects.filter(pk=record.pk, status=ImportStatus.APPLYING).update(
            status=ImportStatus.REJECTED,
            **imports.problem_fields([Problem(None, None, message) for message in error.messages]),
            summary={},
            progress=100,
            step="",
            error=_("The draft refused the file. Nothing was imported."),
        )


def job_run(record_id: int, *, retry: bool = False) -> str:
    """Check or apply a background import, whichever it waits for; returns its final status.

    Idempotent: only the delivery that takes the queued job runs it (a lost job is sent again, so it
    may be delivered twice); a ``retry`` after a lost database connection takes the running job up
    again. Any failure but a lost connection (which the task retries) ends as ``failed``.
    """
    record = CatalogImport.objects.select_related("agency", "applied_by").filter(pk=record_id).first()
    if record is None or record.status not in UNFINISHED:
        return record.status if record else "missing"
    now = timezone.now()
    claimable = Q() if retry else Q(started_at__isnull=True)
    taken = CatalogImport.objects.filter(claimable, pk=record_id, status=record.status).update(
        started_at=now, heartbeat_at=now, progress=1
    )
    if not taken:
        return (
            CatalogImport.objects.filter(pk=record_id).values_list("status", flat=True).first() or "missing"
        )
    with translation.override(record.language or settings.LANGUAGE_CODE), _Beat(record_id) as beat:
        try:
            if record.status == ImportStatus.CHECKING:
                _check(record, beat)
            else:
                _apply(record, beat)
        except OperationalError:
            raise
        except Exception:
            logger.exception("Catalog import %s (%s, %s) failed", record_id, record.kind, record.agency.code)
            beat.stop()
            job_fail(record_id)
    return CatalogImport.objects.filter(pk=record_id).values_list("status", flat=True).first() or "missing"


def job_fail(record_id: int) -> None:
    CatalogImport.objects.filter(pk=record_id, status__in=UNFINISHED).update(
        status=ImportStatus.FAILED, step="", error=_failure_message()
    )


# Sweeping (beat) -----------------------------------------------------------------------------------


def fail_stale(jobs: QuerySet[CatalogImport] | None = None) -> int:
    """Fail the jobs among ``jobs`` (all by default) that will never finish: taken by a worker that
    stopped giving signs of life, or never taken. Each gets its message in its importer's language."""
    limit = timezone.now() - STALE_AFTER
    stale = (CatalogImport.objects.all() if jobs is None else jobs).filter(
        Q(status__in=UNFINISHED)
        & (
            Q(started_at__isnull=False, heartbeat_at__lt=limit)
            | Q(started_at__isnull=True, queued_at__lt=limit)
        )
    )
    failed = 0
    for code in set(stale.values_list("language", flat=True)):
        with translation.override(code or settings.LANGUAGE_CODE):
            failed += stale.filter(language=code).update(
                status=ImportStatus.FAILED, step="", error=_failure_message()
            )
    if failed:
        logger.warning("%s catalog import job(s) stopped giving signs of life and were marked failed", failed)
    return failed


def requeue() -> int:
    """Send again the jobs still queued ``REQUEUE_AFTER`` after they were last sent; returns how many.

    ``heartbeat_at`` of a queued job is when it was last sent: one more message a minute, not one per
    sweep. A job delivered twice runs once (``job_run``).
    """
    now = timezone.now()
    waiting = CatalogImport.objects.filter(
        status__in=UNFINISHED, started_at__isnull=True, heartbeat_at__lt=now - REQUEUE_AFTER
    )
    ids = list(waiting.values_list("pk", flat=True))
    CatalogImport.objects.filter(pk__in=ids, started_at__isnull=True).update(heartbeat_at=now)
    for record_id in ids:
        background.enqueue(run_import, record_id)
    return len(ids)


# Tasks ---------------------------------------------------------------------------------------------


@shared_task(bind=True, acks_late=True, max_retries=3)
def run_import(self, record_id: int) -> str:
    """Check or apply a large catalog import (``job_run``); a lost database connection is retried."""
    try:
        return job_run(record_id, retry=self.request.retries > 0)
    except OperationalError as error:
        if self.request.retries >= self.max_retries:
            job_fail(record_id)
            raise
        raise self.retry(exc=error, countdown=5 * 2**self.request.retries) from error


@shared_task(acks_late=True)
def sweep_import_jobs() -> dict[str, int]:
    """Beat, every minute: fail the stuck import jobs and send again those the broker lost."""
    return {"failed": fail_stale(), "requeued": requeue()}

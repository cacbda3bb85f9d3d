"""Handbook PDFs, rendered by a background job and kept (``HandbookFile``); see ``catalog.handbook``.

``pdf_request`` returns the finished file of a version's current content, or the job preparing it,
or creates that job (``render_handbook_pdf``, enqueued once the request commits). ``pdf_run`` renders
it, saving its progress as it goes with ``UPDATE``s outside any transaction, so the page polling it
sees each step while the worker is still busy. The partial unique constraint
``handbook_file_one_unfinished`` keeps one unfinished render per version, language and content even
when two readers open the page at once.

A job cannot get stuck, as the report jobs (``reports.jobs``) cannot: each step writes
``heartbeat_at``; ``pdf_sweep`` (beat, every minute: ``sweep_handbook_files``) fails a running job
whose heartbeat is older than ``REPORT_JOB_STALE_SECONDS`` (its worker died), sends again a job still
queued after a minute (the broker was down when it was asked for, or lost it) and fails one queued for
longer than the stale limit; the next reader asks for it again. It also deletes the files of discarded
drafts and failed rows older than a day.
"""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kpi_portal import tasks as background

from . import handbook
from .models import CatalogVersion, HandbookFile, HandbookStatus

logger = logging.getLogger(__name__)

UNFINISHED = (HandbookStatus.QUEUED, HandbookStatus.RUNNING)

# A job still queued this long after it was sent is sent again: its message was lost.
REQUEUE_AFTER = datetime.timedelta(minutes=1)
# Failed rows are kept this long (the page shows the failure), then deleted.
FAILED_KEPT = datetime.timedelta(days=1)


def language() -> str:
    current = translation.get_language() or settings.LANGUAGE_CODE
    codes = {code for code, _name in settings.LANGUAGES}
    return current if current in codes else settings.LANGUAGE_CODE


def _files(version: CatalogVersion, key: str, lang: str) -> QuerySet[HandbookFile]:
    return HandbookFile.objects.filter(version=version, language=lang, content_key=key)


def pdf_find(*, version: CatalogVersion, context: dict) -> HandbookFile | None:
    """The handbook PDF of ``version`` as ``context`` prints it, in the active language: the file when
    ready, or the job preparing it or that failed; None when there is none (or its file is gone).
    Reads only: a page that shows it is a GET, and a GET never writes."""
    latest = _files(version, handbook.content_key(context), language()).first()
    if latest is None:
        return None
    if latest.status == HandbookStatus.DONE and not _file_present(latest):
        return None
    return latest


def _file_present(job: HandbookFile) -> bool:
    return bool(job.file) and job.file.storage.exists(job.file.name)


def pdf_request(*, version: CatalogVersion, context: dict, again: bool = False) -> HandbookFile:
    """The handbook PDF of ``version`` as ``context`` (``handbook.handbook_context``) prints it, in the
    active language: the file when ready, else the job preparing it, which this creates when needed.

    A failed job stays failed (the page says so) until ``again``; a finished file missing from the
    storage, or a job that stopped giving signs of life, is prepared again at once.
    """
    key, lang = handbook.content_key(context), language()
    files = _files(version, key, lang)
    latest = files.first()
    if latest is not None:
        if latest.status == HandbookStatus.DONE and _file_present(latest):
            return latest
        if latest.status in UNFINISHED and not pdf_fail_stale(files.filter(pk=latest.pk)):
            return latest
        if latest.status == HandbookStatus.FAILED and not again:
            return latest
    return _create(version, key, lang)


@transaction.atomic
def _create(version: CatalogVersion, key: str, lang: str) -> HandbookFile:
    job = HandbookFile(version=version, language=lang, content_key=key)
    try:
        with transaction.atomic():
            job.save()
    except IntegrityError:
        # Another reader's request for the same render committed first (handbook_file_one_unfinished).
        running = _files(version, key, lang).filter(status__in=UNFINISHED).first()
        if running is None:
            raise
        return running
    enqueue(job)
    return job


def pdf_prepare(*, version: CatalogVersion) -> HandbookFile | None:
    """Ask for an agency version's PDF ahead of its first reader (when it is published), in the default
    language; None for a version of the province's common catalog, which has no handbook of its own."""
    if version.agency is None:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        return pdf_request(version=version, context=handbook.handbook_context(version.agency, version))


def enqueue(job: HandbookFile) -> None:
    # A broker that is down costs only time: the sweep sends the queued job again.
    transaction.on_commit(lambda: background.enqueue(render_handbook_pdf, job.pk))


def _save(job_id: int, **fields) -> int:
    # An UPDATE of its own, committed at once: the polling page sees it while the job is still running.
    # Only a job still unfinished is changed: one the sweep failed meanwhile stays failed.
    return HandbookFile.objects.filter(pk=job_id, status__in=UNFINISHED).update(**fields)


def _failure_message() -> str:
    return _("The PDF could not be prepared. Try again; if it fails again, tell the administrator.")


def pdf_fail(job_id: int) -> None:
    _save(job_id, status=HandbookStatus.FAILED, step="", error=_failure_message(), finished_at=timezone.now())


def stale_q(now: datetime.datetime) -> Q:
    """Jobs that will never finish: running without a heartbeat for a while, or queued for as long."""
    return background.stale_q(
        now,
        running=HandbookStatus.RUNNING,
        queued=HandbookStatus.QUEUED,
        seconds=settings.REPORT_JOB_STALE_SECONDS,
    )


def pdf_fail_stale(jobs: QuerySet[HandbookFile] | None = None) -> int:
    """Fail the stuck jobs among ``jobs`` (all by default), each in its own language; returns how many."""
    now = timezone.now()
    stale = (HandbookFile.objects.all() if jobs is None else jobs).filter(stale_q(now))
    failed = 0
    for lang in set(stale.values_list("language", flat=True)):
        with translation.override(lang or settings.LANGUAGE_CODE):
            failed += stale.filter(language=lang).update(
                status=HandbookStatus.FAILED, step="", error=_failure_message(), finished_at=now
            )
    if failed:
        logger.warning("%s handbook PDF job(s) stopped giving signs of life and were marked failed", failed)
    return failed


def pdf_requeue() -> int:
    """Send again the jobs still queued after ``REQUEUE_AFTER`` (``heartbeat_at``: last sent)."""
    return background.requeue(
        HandbookFile.objects.all(),
        queued=HandbookStatus.QUEUED,
        task=render_handbook_pdf,
        after=REQUEUE_AFTER,
    )


def _delete(files: QuerySet[HandbookFile]) -> int:
    deleted = 0
    for row in files.only("pk", "file"):
        # The file first: a row without its file is rendered again, a file without its row leaks.
        if row.file:
            row.file.delete(save=False)
        deleted += HandbookFile.objects.filter(pk=row.pk).delete()[0]
    return deleted


def pdf_delete_unused() -> int:
    """Delete the files of discarded drafts (no version left) and failed rows older than a day."""
    finished = Q(status__in=(HandbookStatus.DONE, HandbookStatus.FAILED))
    old_failure = Q(status=HandbookStatus.FAILED, finished_at__lt=timezone.now() - FAILED_KEPT)
    return _delete(HandbookFile.objects.filter(finished & (Q(version__isnull=True) | old_failure)))


def pdf_sweep() -> tuple[int, int, int]:
    """The beat sweep: fail stuck jobs, send again the lost ones, delete unused files.

    Returns (failed, requeued, deleted).
    """
    return pdf_fail_stale(), pdf_requeue(), pdf_delete_unused()


def pdf_run(job_id: int, *, retry: bool = False) -> str:
    """Render a job's PDF, saving progress as it goes; returns the final status.

    Idempotent: only the delivery that moves the job from queued to running renders it; a ``retry``
    after a lost database connection takes the running job up again. What is rendered is the version
    as it is now: when a draft changed since the job was asked for, the file is stored under the
    fingerprint of what it prints. Once ready, the older files of the version are deleted.
    """
    job = HandbookFile.objects.filter(pk=job_id).first()
    if job is None or job.status == HandbookStatus.DONE:
        return job.status if job else "missing"
    with translation.override(job.language or settings.LANGUAGE_CODE):

        def progress(percent: int, step: str) -> None:
            _save(job_id, progress=max(1, min(percent, 99)), step=step[:200], heartbeat_at=timezone.now())

        claimable = UNFINISHED if retry else (HandbookStatus.QUEUED,)
        started = HandbookFile.objects.filter(pk=job_id, status__in=claimable).update(
            status=HandbookStatus.RUNNING,
            progress=1,
            step=_("Starting"),
            error="",
            finished_at=None,
            heartbeat_at=timezone.now(),
        )
        if not started:
            # Being rendered by another delivery, or failed by the sweep while it waited in the queue.
            return (
                HandbookFile.objects.filter(pk=job_id).values_list("status", flat=True).first() or "missing"
            )
        versions = CatalogVersion.objects.select_related("agency__province")
        version = versions.filter(pk=job.version_id).first() if job.version_id else None
        agency = version.agency if version else None
        if version is None or agency is None:
            # The draft was discarded while the job waited (handbooks are of agencies' versions only).
            pdf_fail(job_id)
            return HandbookStatus.FAILED
        try:
            context = handbook.handbook_context(agency, version)
            key = handbook.content_key(context)
            content = handbook.render_pdf(agency, version, progress, context=context)
            progress(99, _("Saving the file"))
            job.file.save(handbook.pdf_filename(agency, version), ContentFile(content), save=False)
        except OperationalError:
            raise
        except Exception:
            logger.exception("Handbook PDF job %s (%s) failed", job_id, version)
            pdf_fail(job_id)
            return HandbookStatus.FAILED
        now = timezone.now()
        done = _save(
            job_id,
            status=HandbookStatus.DONE,
            progress=100,
            step=_("Ready"),
            content_key=key,
            file=job.file.name,
            finished_at=now,
            heartbeat_at=now,
        )
        if not done:
            # The sweep gave up on it meanwhile (a step longer than the stale limit).
            job.file.delete(save=False)
            return HandbookStatus.FAILED
        older = HandbookFile.objects.filter(
            version=version, language=job.language, status=HandbookStatus.DONE
        )
        _delete(older.exclude(pk=job_id).filter(created_at__lte=job.created_at))
    return HandbookStatus.DONE


@shared_task(bind=True, acks_late=True, max_retries=3)
def render_handbook_pdf(self, job_id: int) -> str:
    """Render a handbook PDF job (``pdf_run``); a lost database connection is retried."""
    try:
        return pdf_run(job_id, retry=self.request.retries > 0)
    except OperationalError as error:
        if self.request.retries >= self.max_retries:
            pdf_fail(job_id)
            raise
        raise self.retry(exc=error, countdown=5 * 2**self.request.retries) from error


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def sweep_handbook_files() -> dict[str, int]:
    """Fail the handbook PDF jobs that stopped giving signs of life, send again those the broker lost,
    and delete the files nobody can ask for any more. Beat runs it every minute."""
    failed, requeued, deleted = pdf_sweep()
    return {"failed": failed, "requeued": requeued, "deleted": deleted}

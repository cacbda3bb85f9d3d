"""PDF report jobs: who may ask for which report, and the background run that prepares it.

One rule for asking, listing and downloading (``reports.read_report`` in ``rules``): an agency's
quarterly and monthly reports belong to those who read the whole agency (leaders, HR,
administrators, province scope); a person's monthly sheet also to the person and to whoever
reviews them today; ``visible_jobs`` is the same rule as a query. A job is created
by ``job_request`` and rendered by the ``render_report`` task once the request commits; ``job_run``
saves its progress as it goes, with ``UPDATE``s outside any transaction, so the page polling the job
sees each step while the worker is still busy.

A job cannot get stuck: each step also writes ``heartbeat_at``, and ``jobs_sweep`` (beat, every minute)
fails a running job whose heartbeat is older than ``REPORT_JOB_STALE_SECONDS`` (its worker died) or a
job still queued after as long (its task was lost), so the report may be asked for again; asking
again checks the same first. The partial unique constraint ``report_job_one_unfinished`` keeps one
unfinished job per report even when two requests arrive at once. The sweep also deletes the files
and rows of jobs finished more than ``REPORT_RETENTION_DAYS`` ago.
"""

from __future__ import annotations

import datetime
import logging
from typing import cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kpi_portal import periods
from kpi_portal import tasks as background
from org import selectors as org_selectors
from org.models import Agency, Membership, User

from . import pdf
from .models import ROMAN_QUARTERS, JobStatus, ReportJob, ReportKind

logger = logging.getLogger(__name__)

UNFINISHED = (JobStatus.QUEUED, JobStatus.RUNNING)


# Access ---------------------------------------------------------------------------------------------


def visible_jobs(user: User) -> QuerySet[ReportJob]:
    """The jobs ``user`` may read (``reports.read_report`` as a query), newest first, rows ready to list."""
    scope = org_selectors.access_scope(user)
    jobs = ReportJob.objects.select_related("agency", "person", "requested_by")
    if scope.everything:
        return jobs
    q = Q(agency_id__in=scope.agency_ids) | Q(agency__province_id__in=scope.province_ids)
    q |= Q(kind=ReportKind.PERSON_MONTH) & (Q(person_id=user.pk) | Q(person_id__in=scope.reviewee_ids))
    return jobs.filter(q)


# Periods --------------------------------------------------------------------------------------------


def sheet_agency(person: User, month: datetime.date) -> Agency | None:
    """The agency a person worked in during a month (the latest, for someone transferred that month)."""
    start, end = periods.month_bounds(month.year, month.month)
    membership = (
        Membership.objects.filter(person=person, start__lte=end)
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .select_related("unit__agency__province")
        .order_by("-start")
        .first()
    )
    return membership.unit.agency if membership else None


def check_period(kind: str, period: datetime.date) -> None:
    """A report is about a quarter (its first month), a year (its January) or a month that has begun."""
    problems = []
    if period.day != 1:
        problems.append(_("A report's period starts on the first day of a month."))
    if kind == ReportKind.QUARTERLY and period.month != periods.quarter_start(period).month:
        problems.append(_("A quarter starts in January, April, July or October."))
    if kind == ReportKind.ANNUAL and period.month != 1:
        problems.append(_("A year's report starts in January."))
    if period > periods.month_start(org_selectors.today()):
        problems.append(_("This period has not begun yet."))
    if problems:
        raise ValidationError({"period": problems})


# Services -------------------------------------------------------------------------------------------


def _language() -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


@transaction.atomic
def job_request(
    *,
    kind: str,
    agency: Agency,
    period: datetime.date,
    person: User | None = None,
    by: User,
) -> ReportJob:
    """Ask for a report; it is prepared in the background once the request commits.

    Raises ``PermissionDenied`` when ``by`` may not read the report and ``ValidationError`` for a
    period that is not a begun month (or quarter), or a sheet of someone who was not in the agency.
    While the same report is still being prepared, asking again returns that job.
    """
    if kind not in ReportKind.values:
        raise ValidationError({"kind": _("Unknown report.")})
    if (kind == ReportKind.PERSON_MONTH) != (person is not None):
        message = _("A monthly sheet is about one person, an agency report about none.")
        raise ValidationError({"person": message})
    if not by.has_perm("reports.read_report", ReportJob(kind=kind, agency=agency, person=person)):
        raise PermissionDenied(_("You may not ask for this report."))
    check_period(kind, period)
    if person is not None and sheet_agency(person, period) != agency:
        message = _("%(person)s did not work in %(agency)s that month.")
        raise ValidationError({"person": message % {"person": person.full_name, "agency": agency.name}})
    same = ReportJob.objects.filter(kind=kind, agency=agency, period=period, person=person)
    running = same.filter(status__in=UNFINISHED).first()
    # A job that stopped giving signs of life is failed here too, so asking again never waits for beat.
    if running is not None and not jobs_fail_stale(same.filter(pk=running.pk)):
        return running
    job = ReportJob(
        kind=kind, agency=agency, period=period, person=person, requested_by=by, language=_language()
    )
    # The checks above cover every constraint of the model, and the database enforces them again.
    job.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            job.save()
    except IntegrityError:
        # Another request for the same report committed first (report_job_one_unfinished): that one.
        running = same.filter(status__in=UNFINISHED).first()
        if running is None:
            raise
        return running
    enqueue(job)
    return job


def enqueue(job: ReportJob) -> None:
    from .tasks import render_report

    # A broker that is down costs only time: the queued job is failed by the sweep and asked for again.
    transaction.on_commit(lambda: background.enqueue(render_report, job.pk))


def job_regenerate(*, job: ReportJob, by: User) -> ReportJob:
    """A new job for the same report (the old one keeps its file): figures may have changed since.

    Only while the same report is still being prepared (and not stuck) is that job returned instead.
    """
    return job_request(kind=job.kind, agency=job.agency, period=job.period, person=job.person, by=by)


def _save(job_id: int, **fields) -> int:
    # An UPDATE of its own, committed at once: the polling page sees it while the job is still running.
    # Only a job still unfinished is changed: one the sweeper failed meanwhile stays failed.
    return ReportJob.objects.filter(pk=job_id, status__in=UNFINISHED).update(**fields)


def _sheet_person(job: ReportJob) -> User:
    # A monthly sheet always names its person: the person_sheet_has_person constraint.
    return cast(User, job.person)


def filename(job: ReportJob) -> str:
    """The downloaded file's name: ASCII, Vietnamese words, the period and the agency or the person."""
    code = slugify(job.agency.code)
    if job.kind == ReportKind.QUARTERLY:
        quarter = ROMAN_QUARTERS[periods.quarter_of(job.period) - 1]
        return f"bao-cao-quy-{quarter}-{job.period.year}-{code}.pdf"
    if job.kind == ReportKind.MONTHLY:
        return f"bao-cao-thang-{job.period:%m-%Y}-{code}.pdf"
    if job.kind == ReportKind.ANNUAL:
        return f"xep-loai-nam-{job.period.year}-{code}.pdf"
    return f"phieu-thang-{job.period:%m-%Y}-{slugify(_sheet_person(job).username)}.pdf"


def render_job(job: ReportJob, progress: pdf.Progress) -> bytes:
    if job.kind == ReportKind.QUARTERLY:
        return pdf.quarterly_pdf(job.agency, job.period, progress, prepared_by=job.requested_by)
    if job.kind == ReportKind.MONTHLY:
        return pdf.monthly_pdf(job.agency, job.period, progress, prepared_by=job.requested_by)
    if job.kind == ReportKind.ANNUAL:
        return pdf.annual_pdf(job.agency, job.period.year, progress, prepared_by=job.requested_by)
    return pdf.person_sheet_pdf(_sheet_person(job), job.agency, job.period, progress)


def _failure_message() -> str:
    return _("The report could not be prepared. Ask for it again; if it fails again, tell the administrator.")


def job_fail(job_id: int) -> None:
    """Mark a job failed, with a message its reader understands (the details go to the log)."""
    _save(job_id, status=JobStatus.FAILED, step="", error=_failure_message(), finished_at=timezone.now())


def stale_q(now: datetime.datetime) -> Q:
    """Jobs that will never finish: running without a heartbeat for a while, or queued for as long."""
    return background.stale_q(
        now, running=JobStatus.RUNNING, queued=JobStatus.QUEUED, seconds=settings.REPORT_JOB_STALE_SECONDS
    )


def jobs_fail_stale(jobs: QuerySet[ReportJob] | None = None) -> int:
    """Fail the stuck jobs among ``jobs`` (all of them by default); returns how many.

    Each gets the failure message in the language of the person who asked for it.
    """
    now = timezone.now()
    stale = (ReportJob.objects.all() if jobs is None else jobs).filter(stale_q(now))
    failed = 0
    for language in set(stale.values_list("language", flat=True)):
        with translation.override(language or settings.LANGUAGE_CODE):
            failed += stale.filter(language=language).update(
                status=JobStatus.FAILED, step="", error=_failure_message(), finished_at=now
            )
    if failed:
        logger.warning("%s report job(s) stopped giving signs of life and were marked failed", failed)
    return failed


def jobs_delete_expired() -> int:
    """Delete the files and rows of jobs finished more than ``REPORT_RETENTION_DAYS`` ago."""
    limit = timezone.now() - datetime.timedelta(days=settings.REPORT_RETENTION_DAYS)
    expired = ReportJob.objects.filter(status__in=(JobStatus.DONE, JobStatus.FAILED), finished_at__lt=limit)
    deleted = 0
    for job in expired.only("pk", "file"):
        # The file first: a row without its file is harmless (the download says 404), the reverse leaks.
        if job.file:
            job.file.delete(save=False)
        deleted += ReportJob.objects.filter(pk=job.pk).delete()[0]
    return deleted


# A job still queued this long after it was sent to the broker is sent again: its message was lost
# (broker down at the commit, Redis restarted without its data). ``heartbeat_at`` of a queued job is
# when it was last sent again, so a long queue gets one more message a minute, not one per sweep.
REQUEUE_AFTER = datetime.timedelta(minutes=1)


def jobs_requeue() -> int:
    """Send again the jobs still waiting in the queue after ``REQUEUE_AFTER``; returns how many.

    A job delivered twice is prepared once: only the delivery that moves it from queued to
    running prepares it (``job_run``).
    """
    from .tasks import render_report

    return background.requeue(
        ReportJob.objects.all(), queued=JobStatus.QUEUED, task=render_report, after=REQUEUE_AFTER
    )


def jobs_sweep() -> tuple[int, int, int]:
    """The beat sweep: fail stuck jobs, send again the lost ones, delete expired ones.

    Returns (failed, requeued, deleted).
    """
    return jobs_fail_stale(), jobs_requeue(), jobs_delete_expired()


def job_run(job_id: int, *, retry: bool = False) -> str:
    """Prepare a job's PDF, saving progress as it goes; returns the final status.

    Idempotent: only the delivery that moves the job from queued to running prepares it (tasks are
    acknowledged late and a lost job is sent again, so a job may be delivered twice); a ``retry`` of
    the task after a lost database connection takes the running job up again. A job whose worker died
    is failed by the sweep and asked for again. Any failure ends as ``failed`` with a translated
    message, except a lost database connection, which the task retries.
    """
    jobs = ReportJob.objects.select_related("agency__province", "person", "requested_by")
    job = jobs.filter(pk=job_id).first()
    if job is None or job.status == JobStatus.DONE:
        return job.status if job else "missing"
    with translation.override(job.language or settings.LANGUAGE_CODE):

        def progress(percent: int, step: str) -> None:
            _save(job_id, progress=max(1, min(percent, 99)), step=step[:200], heartbeat_at=timezone.now())

        claimable = (JobStatus.QUEUED, JobStatus.RUNNING) if retry else (JobStatus.QUEUED,)
        started = ReportJob.objects.filter(pk=job_id, status__in=claimable).update(
            status=JobStatus.RUNNING,
            progress=1,
            step=_("Starting"),
            error="",
            finished_at=None,
            heartbeat_at=timezone.now(),
        )
        if not started:
            # Being prepared by another delivery, or failed by the sweep while it waited in the queue.
            return ReportJob.objects.filter(pk=job_id).values_list("status", flat=True).first() or "missing"
        try:
            content = render_job(job, progress)
            progress(99, _("Saving the file"))
            job.file.save(filename(job), ContentFile(content), save=False)
        except OperationalError:
            raise
        except Exception:
            logger.exception("Report job %s (%s %s %s) failed", job_id, job.kind, job.agency.code, job.period)
            job_fail(job_id)
            return JobStatus.FAILED
        done = _save(
            job_id,
            status=JobStatus.DONE,
            progress=100,
            step=_("Ready"),
            file=job.file.name,
            finished_at=timezone.now(),
            heartbeat_at=timezone.now(),
        )
        if not done:
            # The sweeper gave up on it meanwhile (a step longer than REPORT_JOB_STALE_SECONDS).
            job.file.delete(save=False)
            return JobStatus.FAILED
    return JobStatus.DONE

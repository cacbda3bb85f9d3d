"""Report jobs that cannot get stuck: heartbeats, the sweep, one unfinished job per report, retention.

A worker killed while rendering leaves its job "running"; a task lost with the broker leaves it
"queued". Either is failed after ``REPORT_JOB_STALE_SECONDS`` without a sign of life, by the
every-minute sweep or when someone asks for the same report again, and may then be asked for again.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from conftest import require
from org.models import Agency
from reports import jobs, pdf, tasks
from reports.models import JobStatus, ReportJob, ReportKind

Q1 = datetime.date(2026, 1, 1)
MARCH = datetime.date(2026, 3, 1)
NOW = datetime.datetime(2026, 4, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
SIX_MINUTES_AGO = NOW - datetime.timedelta(minutes=6)
A_MINUTE_AGO = NOW - datetime.timedelta(minutes=1)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORT_JOB_STALE_SECONDS = 300
    settings.REPORT_RETENTION_DAYS = 90
    return settings.MEDIA_ROOT


def stuck(org, *, status=JobStatus.RUNNING, since=SIX_MINUTES_AGO, heartbeat=None, language="vi", **fields):
    """A job asked for at ``since`` whose worker last showed signs of life at ``heartbeat``."""
    with time_machine.travel(since, tick=False):
        job = ReportJob.objects.create(
            kind=fields.pop("kind", ReportKind.QUARTERLY), agency=org.agency, period=fields.pop("period", Q1),
            requested_by=org.hr, status=status, progress=65 if status == JobStatus.RUNNING else 0,
            heartbeat_at=heartbeat, language=language, **fields,
        )  # fmt: skip
    return job


def finished(org, *, at, status=JobStatus.DONE):
    job = ReportJob.objects.create(
        kind=ReportKind.MONTHLY, agency=org.agency, period=MARCH, requested_by=org.hr, status=status,
        progress=100, finished_at=at,
    )  # fmt: skip
    if status == JobStatus.DONE:
        job.file.save(jobs.filename(job), ContentFile(b"%PDF-1.7 old"))
    return job


def ask(by, **kwargs):
    agency = Agency.objects.get(code="STC")
    return jobs.job_request(kind=kwargs.pop("kind", ReportKind.QUARTERLY), agency=agency, period=Q1, by=by)


# Heartbeat and the sweep ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_progress_step_writes_a_heartbeat(
    org, eager_celery, django_capture_on_commit_callbacks, monkeypatch
):
    beats = []
    render = pdf.render

    def watched(template, context, progress, start):
        beats.append(ReportJob.objects.values_list("heartbeat_at", flat=True).get())
        return render(template, context, progress, start)

    monkeypatch.setattr(pdf, "render", watched)
    with django_capture_on_commit_callbacks(execute=True):
        job = ask(org.hr)

    assert beats == [NOW]
    job.refresh_from_db()
    assert (job.status, job.heartbeat_at) == (JobStatus.DONE, NOW)


@pytest.mark.django_db
def test_a_running_job_whose_heartbeat_stopped_is_failed_by_the_sweep_and_can_be_asked_for_again(org):
    job = stuck(org, heartbeat=SIX_MINUTES_AGO)

    assert tasks.sweep_report_jobs() == {"failed": 1, "requeued": 0, "deleted": 0}

    job.refresh_from_db()
    assert (job.status, job.finished_at, job.step) == (JobStatus.FAILED, NOW, "")
    assert job.error.startswith("Không tạo được báo cáo. Vui lòng yêu cầu tạo lại")
    again = ask(org.hr)
    assert again.pk != job.pk and again.status == JobStatus.QUEUED


@pytest.mark.django_db
def test_the_failure_message_is_in_the_language_of_who_asked(org):
    english = stuck(org, heartbeat=SIX_MINUTES_AGO, language="en")

    jobs.jobs_fail_stale()

    english.refresh_from_db()
    assert english.error.startswith("The report could not be prepared")


@pytest.mark.django_db
def test_a_job_still_queued_after_five_minutes_is_failed(org):
    lost = stuck(org, status=JobStatus.QUEUED)
    waiting = stuck(org, status=JobStatus.QUEUED, since=A_MINUTE_AGO, kind=ReportKind.MONTHLY, period=MARCH)

    assert jobs.jobs_fail_stale() == 1

    assert ReportJob.objects.get(pk=lost.pk).status == JobStatus.FAILED
    assert ReportJob.objects.get(pk=waiting.pk).status == JobStatus.QUEUED


@pytest.mark.django_db
def test_a_long_job_that_still_beats_is_left_alone(org):
    job = stuck(org, since=NOW - datetime.timedelta(hours=1), heartbeat=A_MINUTE_AGO)

    assert jobs.jobs_fail_stale() == 0
    assert ask(org.leader) == job


@pytest.mark.django_db
def test_asking_again_for_a_stuck_report_fails_it_and_prepares_a_new_one_without_waiting_for_beat(org):
    old = stuck(org, heartbeat=SIX_MINUTES_AGO)

    new = ask(org.leader)

    assert new.pk != old.pk and new.status == JobStatus.QUEUED
    assert ReportJob.objects.get(pk=old.pk).status == JobStatus.FAILED


@pytest.mark.django_db
def test_preparing_again_from_the_page_while_a_stuck_job_remains_makes_a_new_job(client, org):
    failed = finished(org, at=SIX_MINUTES_AGO, status=JobStatus.FAILED)
    jammed = stuck(org, heartbeat=SIX_MINUTES_AGO, kind=ReportKind.MONTHLY, period=MARCH)
    client.force_login(org.leader)

    response = client.post(reverse("reports:job_regenerate", args=[failed.pk]))

    assert response.status_code == 302
    new = ReportJob.objects.exclude(pk__in=[failed.pk, jammed.pk]).get()
    assert (new.status, new.kind, new.period) == (JobStatus.QUEUED, ReportKind.MONTHLY, MARCH)
    assert ReportJob.objects.get(pk=jammed.pk).status == JobStatus.FAILED


@pytest.mark.django_db
def test_a_job_the_broker_lost_is_sent_again_once_a_minute_until_it_runs(org, monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.render_report, "delay", lambda job_id: sent.append(job_id))
    lost = stuck(org, status=JobStatus.QUEUED, since=NOW - datetime.timedelta(minutes=2))
    just_asked = stuck(org, status=JobStatus.QUEUED, since=NOW, kind=ReportKind.MONTHLY, period=MARCH)
    running = stuck(org, since=NOW - datetime.timedelta(minutes=2), heartbeat=NOW, kind=ReportKind.MONTHLY)

    assert tasks.sweep_report_jobs() == {"failed": 0, "requeued": 1, "deleted": 0}
    assert tasks.sweep_report_jobs()["requeued"] == 0  # sent again a moment ago
    with time_machine.travel(NOW + datetime.timedelta(seconds=61), tick=False):
        assert tasks.sweep_report_jobs()["requeued"] == 2  # and the one asked for at NOW, by now

    assert sorted(sent) == sorted([lost.pk, lost.pk, just_asked.pk])
    assert ReportJob.objects.get(pk=just_asked.pk).status == JobStatus.QUEUED
    assert ReportJob.objects.get(pk=running.pk).status == JobStatus.RUNNING


@pytest.mark.django_db
def test_a_second_delivery_of_a_job_already_running_does_not_prepare_it_again(org, monkeypatch):
    job = stuck(org, heartbeat=NOW, since=NOW)
    monkeypatch.setattr(pdf, "quarterly_pdf", lambda *a, **k: pytest.fail("prepared twice"))

    assert jobs.job_run(job.pk) == JobStatus.RUNNING
    assert ReportJob.objects.get(pk=job.pk).progress == 65  # the first delivery's progress, untouched


@pytest.mark.django_db
def test_a_retry_after_a_lost_connection_takes_the_running_job_up_again(org, monkeypatch, media):
    job = stuck(org, heartbeat=NOW, since=NOW)
    monkeypatch.setattr(pdf, "quarterly_pdf", lambda *a, **k: b"%PDF-1.7 retried")

    assert jobs.job_run(job.pk, retry=True) == JobStatus.DONE


@pytest.mark.django_db
def test_a_worker_that_gets_a_job_the_sweep_failed_leaves_it_failed(org, monkeypatch):
    job = stuck(org, status=JobStatus.QUEUED)
    jobs.jobs_fail_stale()
    monkeypatch.setattr(pdf, "quarterly_pdf", lambda *a, **k: pytest.fail("rendered a failed job"))

    assert jobs.job_run(job.pk) == JobStatus.FAILED
    assert ReportJob.objects.get(pk=job.pk).status == JobStatus.FAILED


@pytest.mark.django_db
def test_a_job_failed_by_the_sweep_while_rendering_does_not_become_ready(org, monkeypatch, media):
    job = stuck(org, status=JobStatus.QUEUED, since=NOW)

    def slow(*args, **kwargs):
        # The worker was stalled so long that the sweep gave up on the job meanwhile.
        jobs._save(job.pk, status=JobStatus.FAILED)
        return b"%PDF-1.7 too late"

    monkeypatch.setattr(pdf, "quarterly_pdf", slow)

    assert jobs.job_run(job.pk) == JobStatus.FAILED
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not job.file
    assert not list((media / "reports").rglob("*.pdf"))


# One unfinished job per report ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("person", [False, True])
def test_the_database_refuses_a_second_unfinished_job_for_the_same_report(org, person):
    report = {"kind": ReportKind.PERSON_MONTH, "period": MARCH, "person": org.member1} if person else {}
    stuck(org, since=NOW, **report)

    with pytest.raises(IntegrityError), transaction.atomic():
        stuck(org, status=JobStatus.QUEUED, since=NOW, **report)
    stuck(org, status=JobStatus.DONE, since=NOW, **report)  # finished jobs are history: any number


@pytest.mark.django_db(transaction=True)
def test_two_identical_requests_at_once_make_one_job(org, monkeypatch):
    require(connection.vendor == "postgresql", "the concurrency tests need PostgreSQL (DATABASE_URL)")
    from evaluation.tests.test_concurrency import HoldAfterLock, race

    enqueued = []
    monkeypatch.setattr(jobs, "enqueue", enqueued.append)
    # The first request stops after its INSERT, its transaction open: the second must wait for it.
    hold = HoldAfterLock(monkeypatch, jobs, "enqueue")

    first, second = race(hold, lambda: ask(org.hr), lambda: ask(org.leader))

    assert first.error is None and second.error is None, (first.error, second.error)
    assert first.result == second.result
    assert ReportJob.objects.count() == 1 and len(enqueued) == 1


# Retention ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_files_older_than_the_retention_are_deleted_with_their_rows(org, media):
    old = finished(org, at=NOW - datetime.timedelta(days=91))
    old_failure = finished(org, at=NOW - datetime.timedelta(days=91), status=JobStatus.FAILED)
    recent = finished(org, at=NOW - datetime.timedelta(days=89))
    old_path = media / old.file.name

    assert tasks.sweep_report_jobs() == {"failed": 0, "requeued": 0, "deleted": 2}

    assert not old_path.exists()
    assert list(ReportJob.objects.values_list("pk", flat=True)) == [recent.pk]
    assert (media / recent.file.name).exists()
    assert not ReportJob.objects.filter(pk=old_failure.pk).exists()


@pytest.mark.django_db
def test_the_sweep_runs_every_minute_from_beat(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="reports.tasks.sweep_report_jobs")

    assert task.enabled and (task.interval.every, task.interval.period) == (1, "minutes")


def test_the_broker_gives_a_task_to_another_worker_only_after_its_hard_time_limit(settings):
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]

    assert settings.CELERY_TASK_TIME_LIMIT < timeout <= settings.CELERY_TASK_TIME_LIMIT + 10 * 60


# The admin ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_lists_report_jobs_with_filters_and_changes_nothing(client, org):
    from org.tests.factories import UserFactory

    job = stuck(org, heartbeat=SIX_MINUTES_AGO)
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    listing = client.get(reverse("admin:reports_reportjob_changelist"), {"status__exact": "running"})

    assert listing.status_code == 200 and list(listing.context["cl"].result_list) == [job]
    assert client.get(reverse("admin:reports_reportjob_change", args=[job.pk])).status_code == 200
    assert client.get(reverse("admin:reports_reportjob_add")).status_code == 403
    assert (
        client.post(reverse("admin:reports_reportjob_delete", args=[job.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert ReportJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).exists()

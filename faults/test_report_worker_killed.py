"""The worker preparing a PDF report is killed half way: the report still reaches the person who asked.

HR asks for April's monthly report over HTTP; the moment the job is past its first step the whole
worker (main process and pool) is SIGKILLed and a new worker started. The killed job's message is not
acknowledged and comes back only after the broker's visibility timeout (35 min), so what brings the
report within minutes is the heartbeat: the sweep (beat, every minute) fails the silent job, and
asking again makes a new one. The stale limit is 8 s here instead of 300 s.
"""

from __future__ import annotations

import signal
import time

import pytest
from django.utils import timezone

from faults.conftest import wait_for
from org.tests.factories import PASSWORD
from reports.models import JobStatus, ReportJob, ReportKind

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

# A job without a heartbeat for this long is failed by the sweep (300 s in production).
STALE_SECONDS = 8


def silent_for(job: ReportJob) -> float:
    """Seconds since the job's last sign of life (its heartbeat)."""
    job.refresh_from_db()
    return (timezone.now() - job.heartbeat_at).total_seconds()


def ask_for_the_april_report(browser, agency) -> None:
    answer = browser.post(
        "/reports/pdf/", {"kind": ReportKind.MONTHLY, "agency": agency.pk, "month": "2025-04"}
    )
    assert answer.status == 302, answer.body[:2000]


def test_a_report_whose_worker_is_killed_half_way_is_failed_by_the_sweep_and_asking_again_delivers_it(
    org, april, stack, figures
):
    figures.scenario = "1. Worker SIGKILL mid-report"
    stack.extra_env["REPORT_JOB_STALE_SECONDS"] = str(STALE_SECONDS)
    stack.start_web()
    worker = stack.start_worker()
    hr = stack.browser()
    hr.login(org.hr.username, PASSWORD)
    hr.english()
    reports = ReportJob.objects.filter(
        kind=ReportKind.MONTHLY, agency=org.agency, period=april.working_days[0].replace(day=1)
    )

    ask_for_the_april_report(hr, org.agency)
    job = wait_for(
        lambda: reports.filter(status=JobStatus.RUNNING, progress__gt=1).first(),
        60,
        "the report job to be running past its first step",
        interval=0.02,
    )
    worker.signal_group(signal.SIGKILL)
    killed = time.monotonic()
    wait_for(lambda: not worker.running, 10, "the worker to die")
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING, "the report was finished before the worker was killed"
    killed_at = f"{job.progress}% ({job.step})"

    stack.start_worker()
    # Beat sends the sweep every minute; the test sends it once the job has been silent for long enough.
    wait_for(lambda: silent_for(job) > STALE_SECONDS, STALE_SECONDS + 30, "the killed job to go stale")
    stack.send_task("reports.tasks.sweep_report_jobs")
    job = wait_for(
        lambda: reports.filter(pk=job.pk, status__in=(JobStatus.DONE, JobStatus.FAILED)).first(),
        30,
        "the sweep to fail the killed job (or a worker to finish it)",
    )
    outcome = job.status
    if job.status == JobStatus.FAILED:
        # What HR reads on the job's page.
        assert "could not be prepared. Ask for it again" in hr.get(f"/reports/pdf/{job.pk}/").body
        ask_for_the_april_report(hr, org.agency)
        job = wait_for(lambda: reports.exclude(pk=job.pk).first(), 10, "a new job")
    job = wait_for(
        lambda: reports.filter(pk=job.pk, status__in=(JobStatus.DONE, JobStatus.FAILED)).first(),
        60,
        "the report to be prepared",
    )
    download = hr.get(f"/reports/pdf/{job.pk}/download/")
    delivered = time.monotonic() - killed

    done = reports.filter(status=JobStatus.DONE).count()
    figures.expected = "a PDF within a bounded time: the job completes, or fails and asking again completes"
    figures.observed = (
        f"killed at {killed_at}; killed job {outcome}; {reports.count()} job(s), {done} done; "
        f"PDF downloaded {delivered:.0f} s after the kill"
    )
    figures.lost = int(job.status != JobStatus.DONE)
    figures.duplicated = max(0, done - 1)
    assert job.status == JobStatus.DONE, job.error
    assert (stack.media_dir / job.file.name).is_file()
    assert download.status == 200 and download.body.startswith("%PDF")
    assert done == 1
    assert not reports.filter(status__in=(JobStatus.QUEUED, JobStatus.RUNNING)).exists()
    figures.write()

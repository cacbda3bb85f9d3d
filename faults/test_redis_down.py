"""Redis stopped while people approve, return, ask for a report and import evidence: nobody sees an error
page, and once Redis is back beat's sweeps finish every piece of follow-up work the outage held up.

Each change is committed before its follow-up task is sent, so a broker that is down costs the user
only the broker's time-outs; what the task would have done is kept in the database as an outbox
(``StaleMonth``, ``Notification.email_pending``, ``AgencyRecheck.requested_at``, a queued
``ReportJob``) and the every-minute sweeps pick it up. The test sends those sweeps by name, as beat
would, once Redis is back.
"""

from __future__ import annotations

import datetime
import email
import signal
import uuid

import pytest
from django.db.models import Sum
from django.utils import timezone

from evidence.models import AgencyRecheck, EntryFlag, FlagKind, OutgoingDocument
from evidence.services import check_entries
from faults.conftest import wait_for
from org.models import Notification, StaleMonth
from org.tests.factories import PASSWORD
from reports.models import JobStatus, PersonMonth, ReportJob, ReportKind
from reports.services import month_compute
from review.tests.fixtures import submitted
from worklog.models import DiaryEntry, EntryStatus

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

APRIL = datetime.date(2025, 4, 1)
# The broker's time-outs are about 2 s; a page that takes this long is broken.
SLOW = 15
SWEEPS = (
    "reports.tasks.sweep_stale_months",
    "reports.tasks.sweep_report_jobs",
    "org.tasks.sweep_notification_emails",
    "evidence.tasks.sweep_rechecks",
)


def april_entries(person, status=EntryStatus.APPROVED):
    return DiaryEntry.objects.filter(
        person=person, status=status, date__range=(APRIL, datetime.date(2025, 4, 30))
    )


def approved_minutes(person) -> int:
    return april_entries(person).aggregate(total=Sum("standard_minutes"))["total"] or 0


def mails_to(stack, address: str, marker: str) -> list[email.message.Message]:
    """The e-mails written by the file backend (each file may hold several) that carry ``marker``."""
    found = []
    for text in stack.mails():
        for part in text.split("-" * 79):
            if marker in part:
                message = email.message_from_string(part.strip())
                assert message["To"] == address, message["To"]
                found.append(message)
    return found


@pytest.mark.parametrize("outage", ["stopped", "frozen"])
def test_with_redis_down_every_action_answers_quickly_and_the_sweeps_finish_all_the_work_once_it_is_back(
    org, diary, april, stack, figures, eager_celery, outage
):
    figures.scenario = f"2. Redis {outage} during approve, return, report, import"
    # The scene, set up while tasks run in this process: April's figures computed, member1's first
    # entry of April flagged because the document it cites is not in E-Office yet.
    month_compute(agency=org.agency, month=APRIL)
    flagged = april_entries(org.member1).order_by("date").first()
    check_entries([flagged])
    assert EntryFlag.objects.open().filter(entry=flagged, kind=FlagKind.DOCUMENT_MISSING).exists()
    to_return = submitted(org.member2, org.unit1, diary.study, april.working_days[3], "1")
    to_approve = april.pending
    StaleMonth.objects.all().delete()
    assert not AgencyRecheck.objects.filter(requested_at__isnull=False).exists()

    stack.start_web()
    stack.start_worker()
    head, hr = stack.browser(), stack.browser()
    head.login(org.head1.username, PASSWORD)
    hr.login(org.hr.username, PASSWORD)
    if outage == "stopped":
        stack.redis.stop()
    else:
        # Still accepting connections, never answering: only the broker's socket time-outs help.
        stack.redis.process.signal_group(signal.SIGSTOP)

    marker = f"FAULT-{uuid.uuid4().hex[:8]}"
    csv = (
        "Mã nguồn,Số ký hiệu,Ngày ban hành,Trích yếu,Người soạn thảo,Đơn vị soạn thảo\n"
        f"EO-15,15/STC-NS,{flagged.date:%d/%m/%Y},Về dự toán 2025,{org.member1.username},NS\n"
    ).encode()
    actions = {
        "approve": lambda: head.post(
            "/review/approve/", {"entry": to_approve.pk, f"version-{to_approve.pk}": to_approve.version}
        ),
        "return": lambda: head.post(
            f"/review/entries/{to_return.pk}/return/",
            {
                f"return-{to_return.pk}-reason": f"Sai so lieu {marker}",
                f"return-{to_return.pk}-version": to_return.version,
            },
        ),
        "report": lambda: hr.post(
            "/reports/pdf/", {"kind": ReportKind.MONTHLY, "agency": org.agency.pk, "month": "2025-04"}
        ),
        "import": lambda: hr.post(
            f"/evidence/{org.agency.code}/import/",
            {"kind": "documents"},
            files={"file": ("cong-van-di.csv", csv, "text/csv")},
        ),
    }
    answers = {name: action() for name, action in actions.items()}
    timings = ", ".join(f"{name} {a.status} in {a.seconds:.1f} s" for name, a in answers.items())
    assert all(a.ok for a in answers.values()), timings
    assert all(a.seconds < SLOW for a in answers.values()), timings
    assert OutgoingDocument.objects.filter(agency=org.agency, number="15/STC-NS").exists()

    # Saved, with the follow-up work owed in the database.
    to_approve.refresh_from_db()
    to_return.refresh_from_db()
    assert (to_approve.status, to_return.status) == (EntryStatus.APPROVED, EntryStatus.RETURNED)
    notice = Notification.objects.get(recipient=org.member2)
    assert notice.email_pending
    assert StaleMonth.objects.filter(agency=org.agency, month=APRIL).exists()
    assert AgencyRecheck.objects.get(agency=org.agency).requested_at is not None
    job = ReportJob.objects.get(kind=ReportKind.MONTHLY, agency=org.agency, period=APRIL)
    assert job.status == JobStatus.QUEUED

    if outage == "stopped":
        stack.redis.start()
    else:
        stack.redis.process.signal_group(signal.SIGCONT)
    wait_for(lambda: stack.ping(stack.worker_names[-1]), 60, "the worker to reconnect to Redis", interval=0.5)
    # A job's lost message is sent again once it has waited a minute; the test moves the job's request
    # back a minute instead of waiting for it.
    ReportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(seconds=61))
    for task in SWEEPS:
        stack.send_task(task)

    def all_done() -> bool:
        notice.refresh_from_db()
        job.refresh_from_db()
        return (
            not StaleMonth.objects.exists()
            and not notice.email_pending
            and AgencyRecheck.objects.get(agency=org.agency).requested_at is None
            and job.status in (JobStatus.DONE, JobStatus.FAILED)
        )

    wait_for(all_done, 90, "the sweeps to finish the work the outage held up", interval=0.5)

    mails = mails_to(stack, org.member2.email, marker)
    flag = EntryFlag.objects.get(entry=flagged, kind=FlagKind.DOCUMENT_MISSING)
    person_month = PersonMonth.objects.get(person=org.member1, month=APRIL)
    expected_minutes = approved_minutes(org.member1)
    returned = PersonMonth.objects.get(person=org.member2, month=APRIL).returned_count
    checks = {
        "figures": person_month.approved_minutes == expected_minutes
        and returned == april_entries(org.member2, EntryStatus.RETURNED).count(),
        "e-mail": len(mails) == 1 and not notice.email_pending,
        "recheck": flag.resolved_at is not None,
        "report": job.status == JobStatus.DONE and (stack.media_dir / job.file.name).is_file(),
    }
    figures.expected = (
        "every page 2xx/3xx under 15 s; figures, e-mail, re-check and report done after the sweeps"
    )
    figures.observed = (
        f"{timings}; member1 {person_month.approved_minutes} of {expected_minutes} min; "
        f"{len(mails)} e-mail; flag {'resolved' if flag.resolved_at else 'open'}; report {job.status}"
    )
    figures.lost = sum(not ok for ok in checks.values())
    figures.duplicated = max(0, len(mails) - 1)
    assert all(checks.values()), figures.observed
    figures.write()

"""PDF report jobs: asking for a report, following its progress, downloading it, and who may do what.

Agency A's HR officer and leaders read every report of A; a person reads their own monthly sheet,
which their reviewer and A's readers read too. Anyone else gets 403 inside agency A, 404 outside it.
"""

import datetime
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from kpi_portal import periods
from org import selectors as org_selectors
from org.models import Agency
from reports import jobs, pdf
from reports.models import JobStatus, ReportJob, ReportKind

pytestmark = pytest.mark.django_db

Q1 = datetime.date(2026, 1, 1)
MARCH = datetime.date(2026, 3, 1)
AFTER_Q1 = datetime.datetime(2026, 4, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
FAKE_PDF = b"%PDF-1.7 a report prepared earlier"


@pytest.fixture(autouse=True)
def clock(request):
    """15/04/2026 (the first quarter is over), except beside a real worker, whose clock must run."""
    if "celery_worker_on_redis" in request.fixturenames:
        yield
        return
    with time_machine.travel(AFTER_Q1, tick=False):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def run_jobs(eager_celery, django_capture_on_commit_callbacks):
    """Run the jobs enqueued by a block in-process, as soon as it commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def ask(by, *, kind=ReportKind.QUARTERLY, agency=None, period=Q1, person=None) -> ReportJob:
    """Ask as ``by``: for agency A unless told otherwise (agency B's people ask about A too)."""
    agency = agency or Agency.objects.get(code="STC")
    return jobs.job_request(kind=kind, agency=agency, period=period, person=person, by=by)


def made(org, *, kind=ReportKind.QUARTERLY, agency=None, period=Q1, person=None, status=JobStatus.DONE):
    """A job as the worker leaves it (done: with its file), without rendering anything."""
    job = ReportJob.objects.create(
        kind=kind, agency=agency or org.agency, period=period, person=person, requested_by=org.hr,
        status=status, progress=100 if status == JobStatus.DONE else 40, step="Đang vẽ biểu đồ",
    )  # fmt: skip
    if status == JobStatus.DONE:
        job.file.save(jobs.filename(job), ContentFile(FAKE_PDF))
    return job


def url(name, job):
    return reverse(f"reports:{name}", args=[job.pk])


# The service ----------------------------------------------------------------------------------------


def test_hr_asks_for_the_quarterly_report_and_gets_a_pdf_stored_out_of_public_reach(org, run_jobs, media):
    with run_jobs():
        job = ask(org.hr)

    job.refresh_from_db()
    assert (job.status, job.progress, job.error) == (JobStatus.DONE, 100, "")
    assert job.file.name.startswith("reports/") and job.finished_at is not None
    assert (media / job.file.name).read_bytes().startswith(b"%PDF")
    assert (job.requested_by, job.language) == (org.hr, "vi")


def test_progress_is_saved_where_the_polling_page_reads_it_while_the_job_runs(org, run_jobs, monkeypatch):
    seen = []
    render = pdf.render

    def watched(template, context, progress, start):
        seen.append(ReportJob.objects.values_list("status", "progress", "step").get())
        return render(template, context, progress, start)

    monkeypatch.setattr(pdf, "render", watched)
    with run_jobs():
        ask(org.hr)

    [(status, progress, step)] = seen
    assert status == JobStatus.RUNNING and 50 <= progress < 100 and step


def test_a_failing_job_ends_failed_with_a_message_for_its_reader(org, run_jobs, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("WeasyPrint ran out of paper")

    monkeypatch.setattr(pdf, "quarterly_pdf", broken)
    with run_jobs():
        job = ask(org.hr)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not job.file and job.finished_at
    assert job.error and "paper" not in job.error  # the details go to the log, not to the page
    assert "paper" in caplog.text


def test_a_job_delivered_twice_is_prepared_once(org, run_jobs, monkeypatch):
    with run_jobs():
        job = ask(org.hr, kind=ReportKind.MONTHLY, period=MARCH)
    job.refresh_from_db()
    monkeypatch.setattr(pdf, "monthly_pdf", lambda *a, **k: pytest.fail("rendered again"))

    assert jobs.job_run(job.pk) == JobStatus.DONE
    assert ReportJob.objects.get(pk=job.pk).file.name == job.file.name


def test_asking_again_while_the_report_is_being_prepared_returns_the_same_job(org):
    first = ask(org.hr)

    assert ask(org.leader) == first
    assert ReportJob.objects.count() == 1


def test_preparing_again_makes_a_new_job_and_keeps_the_old_file(org, run_jobs, media):
    old = made(org)

    with run_jobs():
        new = jobs.job_regenerate(job=old, by=org.leader)

    new.refresh_from_db()
    assert new.pk != old.pk and new.status == JobStatus.DONE and new.requested_by == org.leader
    assert (media / old.file.name).read_bytes() == FAKE_PDF
    assert (new.kind, new.agency, new.period) == (old.kind, old.agency, old.period)


@pytest.mark.parametrize("who", ["hr", "leader", "deputy"])
def test_readers_of_the_agency_ask_for_its_reports(org, who):
    assert ask(getattr(org, who), agency=org.agency).status == JobStatus.QUEUED


@pytest.mark.parametrize("who", ["member1", "head1", "catalog_manager", "member_b", "leader_b"])
def test_nobody_else_asks_for_an_agency_report(org, who):
    with pytest.raises(PermissionDenied, match="không có quyền yêu cầu báo cáo này"):
        ask(getattr(org, who), agency=org.agency, kind=ReportKind.MONTHLY, period=MARCH)
    assert not ReportJob.objects.exists()


@pytest.mark.parametrize(
    "kind, period",
    [
        (ReportKind.QUARTERLY, datetime.date(2026, 2, 1)),  # not a quarter's first month
        (ReportKind.QUARTERLY, datetime.date(2026, 7, 1)),  # has not begun
        (ReportKind.MONTHLY, datetime.date(2026, 5, 1)),  # has not begun
        (ReportKind.MONTHLY, datetime.date(2026, 3, 15)),  # not a month
    ],
)
def test_periods_that_are_not_a_begun_quarter_or_month_are_refused(org, kind, period):
    with pytest.raises(ValidationError) as refused:
        ask(org.hr, kind=kind, period=period)

    assert "period" in refused.value.message_dict
    assert not ReportJob.objects.exists()


@pytest.mark.parametrize("who", ["member1", "head1", "hr", "leader"])
def test_a_person_their_reviewer_and_the_readers_ask_for_the_persons_sheet(org, who):
    job = ask(getattr(org, who), kind=ReportKind.PERSON_MONTH, period=MARCH, person=org.member1)

    assert (job.person, job.agency) == (org.member1, org.agency)


@pytest.mark.parametrize("who", ["member2", "head2", "member_b", "leader_b"])
def test_colleagues_and_outsiders_do_not_ask_for_someone_elses_sheet(org, who):
    with pytest.raises(PermissionDenied, match="không có quyền yêu cầu báo cáo này"):
        ask(getattr(org, who), kind=ReportKind.PERSON_MONTH, period=MARCH, person=org.member1)
    assert not ReportJob.objects.exists()


def test_a_sheet_of_someone_who_was_not_in_the_agency_is_refused(org):
    with pytest.raises(ValidationError, match="không công tác tại Sở Tài chính tỉnh Khánh Hòa"):
        ask(org.hr, kind=ReportKind.PERSON_MONTH, period=MARCH, person=org.member_b, agency=org.agency)
    assert not ReportJob.objects.exists()


# The page -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 25])
def test_the_page_lists_the_readers_reports_with_a_bounded_number_of_queries(
    client, org, count, django_assert_max_num_queries
):
    for _ in range(count):
        made(org)
    sheet = made(org, kind=ReportKind.PERSON_MONTH, period=MARCH, person=org.member1)
    other = made(org, agency=org.other_agency)
    client.force_login(org.hr)

    with django_assert_max_num_queries(18):
        response = client.get(reverse("reports:jobs"))

    assert response.status_code == 200
    listed = [row["job"] for row in response.context["rows"]]
    assert len(listed) == min(count + 1, 20) and sheet in listed and other not in listed
    assert response.context["page"].paginator.count == count + 1
    assert f'href="{url("job_download", sheet)}"' in response.text


def test_the_page_filters_by_report(client, org):
    made(org)
    sheet = made(org, kind=ReportKind.PERSON_MONTH, period=MARCH, person=org.member1)
    client.force_login(org.hr)

    response = client.get(reverse("reports:jobs"), {"kind": ReportKind.PERSON_MONTH})

    assert [row["job"] for row in response.context["rows"]] == [sheet]


def test_staff_see_their_own_sheets_and_may_ask_for_nothing_else(client, org):
    made(org)
    mine = made(org, kind=ReportKind.PERSON_MONTH, period=MARCH, person=org.member1)
    made(org, kind=ReportKind.PERSON_MONTH, period=MARCH, person=org.member2)
    client.force_login(org.member1)

    response = client.get(reverse("reports:jobs"))

    assert [row["job"] for row in response.context["rows"]] == [mine]
    form = response.context["form"]
    assert [value for value, _label in form.fields["kind"].choices] == [ReportKind.PERSON_MONTH]
    assert "agency" not in form.fields and "person" not in form.fields


def test_hr_asks_on_the_page_then_downloads_the_pdf(client, org, run_jobs):
    client.force_login(org.hr)

    with run_jobs():
        data = {"kind": ReportKind.QUARTERLY, "agency": org.agency.pk, "quarter": "2026-Q1"}
        response = client.post(reverse("reports:jobs"), data)

    assert response.status_code == 302 and response.url == reverse("reports:jobs")
    job = ReportJob.objects.get()
    page = client.get(reverse("reports:jobs"))
    assert 'data-status="done"' in page.text and url("job_download", job) in page.text
    download = client.get(url("job_download", job))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="bao-cao-quy-I-2026-stc.pdf"'
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_staff_ask_for_their_own_sheet_with_just_a_month(client, org, run_jobs):
    client.force_login(org.member1)

    with run_jobs():
        response = client.post(reverse("reports:jobs"), {"kind": ReportKind.PERSON_MONTH, "month": "2026-03"})

    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert (job.person, job.agency, job.period) == (org.member1, org.agency, MARCH)
    assert job.status == JobStatus.DONE
    assert client.get(url("job_download", job)).status_code == 200


@pytest.mark.parametrize(
    "data, field",
    [
        ({"kind": "quarterly", "quarter": "2026-Q9"}, "quarter"),
        ({"kind": "quarterly", "quarter": ""}, "quarter"),
        ({"kind": "monthly", "month": "2026-13"}, "month"),
        ({"kind": "monthly", "month": "03/2026"}, "month"),
        ({"kind": "monthly", "month": "2026-05"}, None),  # has not begun: the service says so
        ({"kind": "yearly", "month": "2026-03"}, "kind"),
        ({"kind": "quarterly", "quarter": "2026-Q1", "agency": "other"}, "agency"),
    ],
)
def test_a_bad_request_shows_what_is_wrong_and_prepares_nothing(client, org, data, field):
    client.force_login(org.hr)
    agency = org.other_agency if data.pop("agency", None) else org.agency

    response = client.post(reverse("reports:jobs"), {"agency": agency.pk, **data})

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors and (field is None or field in errors)
    assert not ReportJob.objects.exists()


@pytest.mark.parametrize(
    "who, code", [("member1", 403), ("head1", 403), ("member_b", 404), ("leader_b", 404)]
)
def test_outsiders_neither_follow_nor_download_nor_prepare_again_an_agency_report(client, org, who, code):
    job = made(org)
    client.force_login(getattr(org, who))

    assert client.get(url("job_status", job)).status_code == code
    assert client.get(url("job_status", job), headers={"HX-Request": "true"}).status_code == code
    assert client.get(url("job_download", job)).status_code == code
    assert client.post(url("job_regenerate", job)).status_code == code
    assert ReportJob.objects.count() == 1


@pytest.mark.parametrize(
    "who, code", [("member1", 200), ("head1", 200), ("hr", 200), ("member2", 403), ("member_b", 404)]
)
def test_a_person_downloads_their_own_sheet_but_not_someone_elses(
    client, org, who, code, django_assert_max_num_queries
):
    sheet = made(org, kind=ReportKind.PERSON_MONTH, period=MARCH, person=org.member1)
    client.force_login(getattr(org, who))

    with django_assert_max_num_queries(12):
        response = client.get(url("job_download", sheet))

    assert response.status_code == code
    if code == 200:
        assert b"".join(response.streaming_content) == FAKE_PDF
        assert 'filename="phieu-thang-03-2026-member1.pdf"' in response["Content-Disposition"]


def test_a_row_being_prepared_polls_every_two_seconds_and_stops_when_ready(
    client, org, django_assert_max_num_queries
):
    job = made(org, status=JobStatus.RUNNING)
    client.force_login(org.hr)

    with django_assert_max_num_queries(12):
        running = client.get(url("job_status", job), headers={"HX-Request": "true"})

    assert running.status_code == 200 and running.text.lstrip().startswith("<tr")
    assert 'hx-trigger="every 2s"' in running.text and 'aria-valuenow="40"' in running.text
    assert "Đang vẽ biểu đồ" in running.text
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE, progress=100)
    done = client.get(url("job_status", job), headers={"HX-Request": "true"})
    assert "hx-trigger" not in done.text and url("job_download", job) in done.text
    page = client.get(url("job_status", job))  # without htmx: a whole page, reloaded by hand
    assert "<html" in page.text and url("job_download", job) in page.text


def test_preparing_again_from_the_page_makes_a_new_job(client, org, django_assert_max_num_queries):
    old = made(org)
    client.force_login(org.leader)

    with django_assert_max_num_queries(30):
        response = client.post(url("job_regenerate", old))

    assert response.status_code == 302
    new = ReportJob.objects.exclude(pk=old.pk).get()
    assert (new.status, new.requested_by, new.period) == (JobStatus.QUEUED, org.leader, old.period)
    assert client.get(url("job_regenerate", old)).status_code == 405


def test_a_report_not_ready_or_gone_is_not_found(client, org, media):
    waiting = made(org, status=JobStatus.QUEUED)
    gone = made(org)
    (media / gone.file.name).unlink()
    client.force_login(org.hr)

    assert client.get(url("job_download", waiting)).status_code == 404
    assert client.get(url("job_download", gone)).status_code == 404
    assert client.get(reverse("reports:job_download", args=[999999])).status_code == 404


def test_report_files_are_never_served_by_a_public_url(client, org, settings):
    job = made(org)
    client.force_login(org.hr)

    assert client.get(f"/{settings.MEDIA_URL}{job.file.name}").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, org):
    job = made(org)

    for target in (reverse("reports:jobs"), url("job_status", job), url("job_download", job)):
        response = client.get(target)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


# A real worker ---------------------------------------------------------------------------------------


@pytest.mark.dates
@pytest.mark.django_db(transaction=True)
def test_the_job_runs_on_a_real_celery_worker(celery_worker_on_redis, org, media):
    previous = periods.previous_month(org_selectors.today())

    job = ask(org.hr, kind=ReportKind.MONTHLY, period=previous)

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.2)
    assert (job.status, job.progress, job.error) == (JobStatus.DONE, 100, "")
    assert (media / job.file.name).read_bytes().startswith(b"%PDF")

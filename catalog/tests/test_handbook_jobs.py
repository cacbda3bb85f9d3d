"""Handbook PDFs rendered by a background job: real WeasyPrint, stored once per content, recovered by the
sweep when the broker or a worker fails, one render at a time, and a real Celery worker on Redis."""

import datetime
import shutil
import subprocess
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from catalog import handbook, handbook_jobs, services
from catalog.models import HandbookFile, HandbookStatus, StandardTask
from conftest import require

from .factories import CatalogVersionFactory, StageFactory, StandardTaskFactory

NOW = datetime.datetime(2026, 9, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
SIX_MINUTES_AGO = NOW - datetime.timedelta(minutes=6)
FUTURE_TASK = "Thẩm định phương án sắp xếp tài sản công"


@pytest.fixture(autouse=True)
def clock(request):
    """15/09/2026, except beside a real worker, whose clock must run."""
    if "celery_worker_on_redis" in request.fixturenames:
        yield
        return
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORT_JOB_STALE_SECONDS = 300
    return settings.MEDIA_ROOT


@pytest.fixture
def future(org, catalog):
    """Version 2, published today to be in force from 01/10/2026."""
    version = CatalogVersionFactory(agency=org.agency, number=2, effective_from=datetime.date(2026, 10, 1))
    task = StandardTaskFactory(version=version, code="C.09", name=FUTURE_TASK)
    StageFactory(task=task, order=1, name="Lập phương án sắp xếp", norm_minutes=480)
    return version


@pytest.fixture
def draft(org, catalog):
    return services.draft_open(agency=org.agency, by=org.catalog_manager)


@pytest.fixture
def run_jobs(eager_celery, django_capture_on_commit_callbacks):
    """Run the jobs enqueued by a block in-process, as soon as it commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def ask(version) -> HandbookFile:
    return handbook_jobs.pdf_request(
        version=version, context=handbook.handbook_context(version.agency, version)
    )


def pdf_text(path) -> str:
    """The text of a PDF, page after page (separated by form feeds), in the order it was written:
    ``-raw`` keeps the diagonal watermark's letters together."""
    require(shutil.which("pdftotext") is not None, "poppler-utils (pdftotext) is not installed")
    command = ["pdftotext", "-raw", str(path), "-"]
    text = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return "\f".join(" ".join(page.split()) for page in text.split("\f"))


def stuck(version, *, status=HandbookStatus.RUNNING, since=SIX_MINUTES_AGO, heartbeat=None, key="k"):
    job = HandbookFile.objects.create(
        version=version, language="vi", content_key=key, status=status, progress=40, heartbeat_at=heartbeat
    )
    HandbookFile.objects.filter(pk=job.pk).update(created_at=since)
    return job


# Real WeasyPrint --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_future_version_renders_with_its_title_version_and_effective_date(org, future, run_jobs, media):
    with run_jobs():
        job = ask(future)

    job.refresh_from_db()
    assert (job.status, job.progress, job.error) == (HandbookStatus.DONE, 100, "")
    assert job.file.name.startswith("handbooks/2026/09/cam-nang-kpi-stc-v2")
    text = pdf_text(media / job.file.name)
    assert "CẨM NANG KPI" in text and "SỞ TÀI CHÍNH TỈNH KHÁNH HÒA" in text.upper()
    assert "Danh mục công việc phiên bản 2" in text and "Hiệu lực từ 01/10/2026" in text
    assert FUTURE_TASK in text and "Lập phương án sắp xếp" in text
    assert "DỰ THẢO" not in text and "Dự thảo" not in text
    # The usage guide comes before the catalog: stages, fractional quantities, evidence.
    assert "Cách ghi nhật ký công việc" in text and "2.400 × 0,05 = 120 phút" in text
    assert text.index("Mục lục") < text.index("Cách ghi nhật ký công việc") < text.rindex(FUTURE_TASK)
    fonts = subprocess.run(["pdffonts", str(media / job.file.name)], capture_output=True, text=True).stdout
    assert "NotoSans" in fonts.replace("-", "") and " yes " in fonts  # the Vietnamese font is embedded


@pytest.mark.django_db
def test_the_draft_renders_with_a_watermark_on_every_page_and_says_it_is_not_in_force(
    org, draft, run_jobs, media
):
    for n in range(12):  # enough tasks for several pages
        task = StandardTaskFactory(version=draft, code=f"D.{n:02d}", group="D", description="Mô tả. " * 60)
        StageFactory(task=task, order=1)

    with run_jobs():
        job = ask(draft)

    job.refresh_from_db()
    assert job.status == HandbookStatus.DONE and job.file.name.endswith("-du-thao.pdf")
    pages = [page for page in pdf_text(media / job.file.name).split("\f") if page]
    assert len(pages) > 3
    assert all("DỰ THẢO" in page for page in pages)
    assert "Dự thảo, chưa có hiệu lực" in pages[0] and "Hiệu lực từ" not in pages[0]
    assert "Thẩm định dự toán ngân sách" in " ".join(pages) and "Soạn thảo văn bản trả lời" in " ".join(pages)


@pytest.mark.django_db
def test_the_pdf_is_written_in_the_language_of_the_page_that_asked_for_it(org, future, run_jobs, media):
    from django.utils import translation

    with translation.override("en"), run_jobs():
        english = ask(future)

    english.refresh_from_db()
    assert english.language == "en"
    assert "In force from" in pdf_text(media / english.file.name)
    assert ask(future).pk != english.pk  # the Vietnamese one is another file


# Stored once ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_published_version_is_rendered_once_and_then_served_from_storage(
    org, future, run_jobs, monkeypatch
):
    with run_jobs():
        first = ask(future)
    monkeypatch.setattr(handbook, "render_pdf", lambda *a, **k: pytest.fail("rendered twice"))

    with run_jobs():
        again = ask(future)

    assert again.pk == first.pk and again.status == HandbookStatus.DONE
    assert HandbookFile.objects.count() == 1


@pytest.mark.django_db
def test_an_edited_draft_is_rendered_again_and_its_older_file_deleted(org, draft, run_jobs, media):
    with run_jobs():
        old = ask(draft)
    old.refresh_from_db()
    StandardTask.objects.filter(version=draft, code="C.01").update(name="Thẩm định dự toán chi thường xuyên")

    with run_jobs():
        new = ask(draft)

    new.refresh_from_db()
    assert new.pk != old.pk and new.status == HandbookStatus.DONE
    assert "Thẩm định dự toán chi thường xuyên" in pdf_text(media / new.file.name)
    assert not HandbookFile.objects.filter(pk=old.pk).exists() and not (media / old.file.name).exists()


@pytest.mark.django_db
def test_a_draft_changed_while_its_job_waited_is_stored_under_what_it_prints(org, draft, run_jobs):
    job = ask(draft)  # not run yet
    StandardTask.objects.filter(version=draft, code="C.01").update(name="Thẩm định dự toán chi đầu tư")
    handbook_jobs.pdf_run(job.pk)

    with run_jobs():
        current = ask(draft)

    assert current.pk == job.pk and current.status == HandbookStatus.DONE


@pytest.mark.django_db
def test_publishing_the_draft_makes_the_published_pdf_and_the_drafts_file_goes(org, draft, run_jobs, media):
    with run_jobs():
        as_draft = ask(draft)
    as_draft.refresh_from_db()
    published = services.catalog_publish(
        agency=org.agency,
        effective_from=datetime.date(2026, 10, 1),
        by=org.leader,  # the agency's head
    )

    with run_jobs():
        job = handbook_jobs.pdf_prepare(version=published)

    job.refresh_from_db()
    assert job.pk != as_draft.pk and "Hiệu lực từ 01/10/2026" in pdf_text(media / job.file.name)
    assert list(HandbookFile.objects.values_list("pk", flat=True)) == [job.pk]
    assert not (media / as_draft.file.name).exists()


@pytest.mark.django_db
def test_a_discarded_drafts_files_are_deleted_by_the_sweep(org, draft, run_jobs, media):
    with run_jobs():
        job = ask(draft)
    job.refresh_from_db()
    services.draft_discard(agency=org.agency, by=org.catalog_manager)

    assert handbook_jobs.sweep_handbook_files() == {"failed": 0, "requeued": 0, "deleted": 1}
    assert not HandbookFile.objects.exists() and not (media / job.file.name).exists()


@pytest.mark.django_db
def test_a_draft_discarded_while_its_job_waited_ends_failed_and_is_swept(org, draft, monkeypatch):
    job = ask(draft)
    services.draft_discard(agency=org.agency, by=org.catalog_manager)
    monkeypatch.setattr(handbook, "render_pdf", lambda *a, **k: pytest.fail("rendered a discarded draft"))

    assert handbook_jobs.pdf_run(job.pk) == HandbookStatus.FAILED
    assert handbook_jobs.pdf_delete_unused() == 1 and not HandbookFile.objects.exists()


# Progress, failures and the sweep ---------------------------------------------------------------


@pytest.mark.django_db
def test_each_step_saves_progress_and_a_heartbeat_where_the_polling_page_reads_it(org, future, monkeypatch):
    job = ask(future)
    seen = []
    render = handbook.render_pdf

    def watched(agency, version, progress, **kwargs):
        def spy(percent, step):
            progress(percent, step)
            seen.append(HandbookFile.objects.values_list("status", "progress", "step", "heartbeat_at").get())

        return render(agency, version, spy, **kwargs)

    monkeypatch.setattr(handbook, "render_pdf", watched)

    assert handbook_jobs.pdf_run(job.pk) == HandbookStatus.DONE
    assert seen == [
        (HandbookStatus.RUNNING, 20, "Đang dàn trang", NOW),
        (HandbookStatus.RUNNING, 80, "Đang ghi tệp PDF", NOW),
    ]


@pytest.mark.django_db
def test_a_failing_render_ends_failed_with_a_message_for_its_reader(org, future, monkeypatch, caplog):
    job = ask(future)

    def broken(*args, **kwargs):
        raise ValueError("a broken template")

    monkeypatch.setattr(handbook, "render_pdf", broken)

    assert handbook_jobs.pdf_run(job.pk) == HandbookStatus.FAILED
    job.refresh_from_db()
    assert job.error.startswith("Không tạo được tệp PDF.") and not job.file
    assert "a broken template" in caplog.text


@pytest.mark.django_db
def test_a_job_delivered_twice_is_rendered_once(org, future, monkeypatch):
    job = stuck(future, heartbeat=NOW, since=NOW)
    monkeypatch.setattr(handbook, "render_pdf", lambda *a, **k: pytest.fail("rendered twice"))

    assert handbook_jobs.pdf_run(job.pk) == HandbookStatus.RUNNING


@pytest.mark.django_db
def test_a_running_job_whose_heartbeat_stopped_is_failed_and_the_next_reader_gets_a_new_one(org, future):
    key = handbook.content_key(handbook.handbook_context(org.agency, future))
    job = stuck(future, heartbeat=SIX_MINUTES_AGO, key=key)

    assert handbook_jobs.sweep_handbook_files() == {"failed": 1, "requeued": 0, "deleted": 0}

    job.refresh_from_db()
    assert job.status == HandbookStatus.FAILED and job.error.startswith("Không tạo được tệp PDF")
    assert (
        handbook_jobs.pdf_request(
            version=future, context=handbook.handbook_context(org.agency, future), again=True
        ).status
        == HandbookStatus.QUEUED
    )


@pytest.mark.django_db
def test_a_stuck_job_met_by_a_reader_is_failed_and_replaced_without_waiting_for_beat(org, future):
    key = handbook.content_key(handbook.handbook_context(org.agency, future))
    old = stuck(future, heartbeat=SIX_MINUTES_AGO, key=key)

    new = ask(future)

    assert new.pk != old.pk and new.status == HandbookStatus.QUEUED
    assert HandbookFile.objects.get(pk=old.pk).status == HandbookStatus.FAILED


@pytest.mark.django_db
def test_a_long_render_that_still_beats_is_left_alone(org, future):
    stuck(future, since=NOW - datetime.timedelta(hours=1), heartbeat=NOW - datetime.timedelta(minutes=1))

    assert handbook_jobs.pdf_fail_stale() == 0


@pytest.mark.django_db
def test_a_job_the_broker_lost_is_sent_again_once_a_minute(org, future, monkeypatch):
    sent = []
    monkeypatch.setattr(handbook_jobs.render_handbook_pdf, "delay", lambda job_id: sent.append(job_id))
    lost = stuck(future, status=HandbookStatus.QUEUED, since=NOW - datetime.timedelta(minutes=2))
    just_asked = stuck(future, status=HandbookStatus.QUEUED, since=NOW, key="other")

    assert handbook_jobs.sweep_handbook_files()["requeued"] == 1
    assert handbook_jobs.sweep_handbook_files()["requeued"] == 0  # sent again a moment ago
    with time_machine.travel(NOW + datetime.timedelta(seconds=61), tick=False):
        assert handbook_jobs.sweep_handbook_files()["requeued"] == 2

    assert sorted(sent) == sorted([lost.pk, lost.pk, just_asked.pk])


@pytest.mark.django_db
def test_with_the_broker_down_the_page_works_and_the_sweep_renders_the_pdf_later(
    client, org, future, monkeypatch, django_capture_on_commit_callbacks, eager_celery
):
    task = handbook_jobs.render_handbook_pdf
    real_delay = task.delay

    def down(*args):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(task, "delay", down)
    client.force_login(org.member1)
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(
            reverse("catalog:handbook_pdf", args=[org.agency.code]) + "?version=2",
            headers={"HX-Request": "true"},
        )
    response = client.get(reverse("catalog:handbook", args=[org.agency.code]), {"version": "2"})
    assert asked.status_code == 200 and "Đang tạo PDF…" in asked.text
    assert response.status_code == 200 and "Đang tạo PDF…" in response.text
    assert HandbookFile.objects.get().status == HandbookStatus.QUEUED

    monkeypatch.setattr(task, "delay", real_delay)  # the broker is back
    with time_machine.travel(NOW + datetime.timedelta(seconds=61), tick=False):
        assert handbook_jobs.sweep_handbook_files()["requeued"] == 1

    job = HandbookFile.objects.get()
    assert job.status == HandbookStatus.DONE
    download = client.get(reverse("catalog:handbook_pdf", args=[org.agency.code]), {"version": "2"})
    assert b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
def test_old_failures_are_deleted_by_the_sweep(org, future):
    old = stuck(future, status=HandbookStatus.FAILED)
    HandbookFile.objects.filter(pk=old.pk).update(finished_at=NOW - datetime.timedelta(days=2))
    recent = stuck(future, status=HandbookStatus.FAILED, key="recent")
    HandbookFile.objects.filter(pk=recent.pk).update(finished_at=NOW - datetime.timedelta(hours=2))

    assert handbook_jobs.pdf_delete_unused() == 1
    assert list(HandbookFile.objects.values_list("pk", flat=True)) == [recent.pk]


@pytest.mark.django_db
def test_the_sweep_runs_every_minute_from_beat(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="catalog.handbook_jobs.sweep_handbook_files")

    assert task.enabled and (task.interval.every, task.interval.period) == (1, "minutes")


# One render at a time ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_database_refuses_a_second_unfinished_render_of_the_same_content(org, future):
    stuck(future, since=NOW)

    with pytest.raises(IntegrityError), transaction.atomic():
        stuck(future, status=HandbookStatus.QUEUED, since=NOW)
    stuck(future, status=HandbookStatus.DONE, since=NOW)  # finished ones are history: any number


@pytest.mark.django_db(transaction=True)
def test_two_readers_opening_the_handbook_at_once_make_one_job(org, future, monkeypatch):
    require(connection.vendor == "postgresql", "the concurrency tests need PostgreSQL (DATABASE_URL)")
    from evaluation.tests.test_concurrency import HoldAfterLock, race

    enqueued = []
    monkeypatch.setattr(handbook_jobs, "enqueue", enqueued.append)
    # The first request stops after its INSERT, its transaction open: the second must wait for it.
    hold = HoldAfterLock(monkeypatch, handbook_jobs, "enqueue")

    first, second = race(hold, lambda: ask(future), lambda: ask(future))

    assert first.error is None and second.error is None, (first.error, second.error)
    assert first.result == second.result
    assert HandbookFile.objects.count() == 1 and len(enqueued) == 1


# A real worker ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_pdf_is_rendered_by_a_real_celery_worker(celery_worker_on_redis, org, future, media):
    job = ask(future)

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.2)
    assert (job.status, job.progress, job.error) == (HandbookStatus.DONE, 100, "")
    assert FUTURE_TASK in pdf_text(media / job.file.name)

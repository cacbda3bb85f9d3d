"""Large catalog imports: checked and applied by a background job, with progress, all or nothing."""

import datetime
import time

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from catalog import import_jobs, imports, selectors, spreadsheets
from catalog.models import CatalogImport, ImportKind, ImportStatus

from .fixtures import catalog_state
from .test_import import DECLARED, GOOD_ROWS, check, xlsx

# A file of more rows than this is a "large" one in these tests (the header counts as a row).
THRESHOLD = 3
BAD_ROW = ["C.09", "Thẩm định", "E", 1, "Tiếp nhận", 0, "hồ sơ", "Công văn đi", ""]


@pytest.fixture(autouse=True)
def small_threshold(settings):
    settings.CATALOG_IMPORT_BACKGROUND_ROWS = THRESHOLD


@pytest.fixture
def sent(monkeypatch):
    """The jobs sent to the broker (none is run)."""
    ids = []
    monkeypatch.setattr(import_jobs.background, "enqueue", lambda task, *args: ids.append(args[0]) or True)
    return ids


@pytest.fixture
def run_jobs(eager_celery, django_capture_on_commit_callbacks):
    """Run the jobs sent by a block in-process, as soon as it commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def url(name, org, *args):
    return reverse(f"catalog:{name}", args=[org.agency.code, *args])


def draft_codes(org) -> set[str]:
    draft = selectors.draft_of(org.agency)
    return set(draft.tasks.values_list("code", flat=True)) if draft else set()


# Check and apply -----------------------------------------------------------------------------------


def test_a_large_file_is_kept_unchecked_until_the_request_commits(
    org, catalog, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record = check(org, xlsx(GOOD_ROWS))

    assert (record.status, record.background, record.problems) == (ImportStatus.CHECKING, True, [])
    assert sent == [record.pk]


def test_a_large_file_is_checked_in_the_background_then_confirmed_and_applied(org, catalog, run_jobs):
    before = catalog_state(org.agency)
    with run_jobs():
        record = check(org, xlsx(GOOD_ROWS))
    record.refresh_from_db()
    assert (record.status, record.progress, record.summary["tasks"]) == (ImportStatus.PREVIEWED, 100, 2)
    assert catalog_state(org.agency) == before

    with run_jobs():
        queued = imports.apply(record=record, by=org.catalog_manager)
    assert queued.status == ImportStatus.APPLYING

    record.refresh_from_db()
    assert (record.status, record.applied_by) == (ImportStatus.APPLIED, org.catalog_manager)
    assert draft_codes(org) == {"C.01", "B.02"}


def test_the_progress_follows_the_rows_read_and_the_tasks_written(org, catalog, run_jobs, monkeypatch):
    steps = []
    real_set = import_jobs._Beat.set

    def seen(beat, progress, step):
        steps.append((progress, step))
        real_set(beat, progress, step)

    monkeypatch.setattr("kpi_portal.spreadsheets.PROGRESS_EVERY", 1)
    monkeypatch.setattr(import_jobs._Beat, "set", seen)
    with run_jobs():
        record = check(org, xlsx(GOOD_ROWS))
    record.refresh_from_db()
    with run_jobs():
        imports.apply(record=record, by=org.catalog_manager)

    texts = [step for _progress, step in steps]
    assert "Đang đọc tệp: 3 dòng" in texts and "Đang kiểm tra lại tệp: 3 dòng" in texts
    assert "Đang ghi vào bản nháp: 2 trên 2 công việc" in texts


def test_a_large_file_with_problems_lists_them_all_with_the_total_when_only_the_first_are_kept(
    org, catalog, run_jobs, monkeypatch
):
    monkeypatch.setattr(imports, "PROBLEMS_KEPT", 10)
    rows = [[f"C.{n:02d}", *BAD_ROW[1:]] for n in range(1, 8)]  # 2 problems a row: 14

    with run_jobs():
        record = check(org, xlsx(rows))

    record.refresh_from_db()
    assert (record.status, record.problem_count, len(record.problems)) == (ImportStatus.REJECTED, 14, 10)


def test_a_large_file_whose_draft_changed_since_the_check_is_rejected_at_apply_and_nothing_changes(
    org, catalog, run_jobs
):
    rows = [["Việc mới 1", "NS", ""], ["Việc mới 2", "NS", ""], ["Việc mới 3", "NS", ""]]
    with run_jobs():
        record = check(org, xlsx(rows, headers=DECLARED), kind=ImportKind.DECLARED)
    record.refresh_from_db()
    assert record.status == ImportStatus.PREVIEWED
    org.unit1.code = "NSNN"  # meanwhile the unit's code changes: the file's "NS" names no unit
    org.unit1.save(update_fields=["code"])
    before = catalog_state(org.agency)

    with run_jobs():
        imports.apply(record=record, by=org.catalog_manager)

    record.refresh_from_db()
    assert (record.status, record.problem_count) == (ImportStatus.REJECTED, 3)
    assert "bản nháp đã thay đổi" in record.error
    assert catalog_state(org.agency) == before


def test_a_job_delivered_twice_runs_once(org, catalog, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = check(org, xlsx(GOOD_ROWS))

    assert import_jobs.job_run(record.pk) == ImportStatus.PREVIEWED
    CatalogImport.objects.filter(pk=record.pk).update(summary={"tasks": "kept"})
    assert import_jobs.job_run(record.pk) == ImportStatus.PREVIEWED
    assert CatalogImport.objects.get(pk=record.pk).summary == {"tasks": "kept"}


def test_a_job_that_breaks_is_failed_with_a_message_and_frees_the_agency(
    org, catalog, run_jobs, monkeypatch, sent
):
    monkeypatch.setattr(imports, "parse", lambda **kwargs: 1 / 0)
    with run_jobs():
        record = check(org, xlsx(GOOD_ROWS))
    # ``sent`` swallowed the job: run it here.
    import_jobs.job_run(record.pk)

    record.refresh_from_db()
    assert record.status == ImportStatus.FAILED and record.error
    assert check(org, xlsx(GOOD_ROWS)).status == ImportStatus.CHECKING


def test_a_second_large_file_of_the_agency_waits_for_the_first(org, catalog, sent):
    check(org, xlsx(GOOD_ROWS))

    with pytest.raises(ValidationError, match="đang được kiểm tra hoặc nhập"):
        check(org, xlsx(GOOD_ROWS))

    assert CatalogImport.objects.count() == 1


def test_another_agency_is_not_held_up(org, catalog, sent):
    check(org, xlsx(GOOD_ROWS))

    other = imports.check(
        agency=org.other_agency, kind=ImportKind.CATALOG, filename="x.xlsx", content=xlsx(GOOD_ROWS), by=None
    )

    assert other.status == ImportStatus.CHECKING


def test_the_command_line_checks_and_applies_a_large_file_itself(org, catalog, sent, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "danh-muc.xlsx"
    path.write_bytes(xlsx(GOOD_ROWS))

    call_command("import_catalog", str(path), agency=org.agency.code)

    assert draft_codes(org) == {"C.01", "B.02"} and sent == []


# The sweep -----------------------------------------------------------------------------------------


def test_the_sweep_sends_again_a_job_the_broker_lost_once_a_minute(org, catalog, sent):
    record = check(org, xlsx(GOOD_ROWS))

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=30)):
        assert import_jobs.sweep_import_jobs() == {"failed": 0, "requeued": 0}
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=70)):
        assert import_jobs.sweep_import_jobs() == {"failed": 0, "requeued": 1}
        assert import_jobs.sweep_import_jobs() == {"failed": 0, "requeued": 0}
    assert sent == [record.pk]


def test_the_sweep_fails_a_job_never_taken_or_whose_worker_died(org, catalog, sent):
    waiting = check(org, xlsx(GOOD_ROWS))
    other = imports.check(
        agency=org.other_agency, kind=ImportKind.CATALOG, filename="x.xlsx", content=xlsx(GOOD_ROWS), by=None
    )
    # The other one was taken by a worker that then died (its last beat is now).
    CatalogImport.objects.filter(pk=other.pk).update(started_at=timezone.now(), heartbeat_at=timezone.now())

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=4)):
        assert import_jobs.sweep_import_jobs()["failed"] == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=6)):
        assert import_jobs.sweep_import_jobs()["failed"] == 2

    for record in (waiting, other):
        record.refresh_from_db()
        assert record.status == ImportStatus.FAILED and record.error


def test_a_job_failed_by_the_sweep_is_not_run_when_its_message_finally_arrives(org, catalog, sent):
    record = check(org, xlsx(GOOD_ROWS))
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=6)):
        import_jobs.sweep_import_jobs()

    assert import_jobs.job_run(record.pk) == ImportStatus.FAILED


def test_the_sweep_runs_every_minute_from_beat_and_the_worker_knows_it(db):
    from django_celery_beat.models import PeriodicTask

    from kpi_portal.celery import app

    task = PeriodicTask.objects.get(task="catalog.import_jobs.sweep_import_jobs")

    assert task.enabled and (task.interval.every, task.interval.period) == (1, "minutes")
    app.loader.import_default_modules()
    assert {task.task, import_jobs.run_import.name} <= set(app.tasks)


# The pages -----------------------------------------------------------------------------------------


@pytest.fixture
def manager(client, org):
    client.force_login(org.catalog_manager)
    return client


def upload(client, org, content):
    return client.post(
        url("import", org), {"kind": "catalog", "file": SimpleUploadedFile("danh-muc.xlsx", content)}
    )


def test_the_preview_of_a_job_shows_its_progress_polls_and_has_a_refresh_link(manager, org, catalog, sent):
    response = upload(manager, org, xlsx(GOOD_ROWS))
    record = CatalogImport.objects.get()
    CatalogImport.objects.filter(pk=record.pk).update(progress=42, step="Đang đọc tệp: 1.000 dòng")

    page = manager.get(response.url).content.decode()

    assert 'hx-trigger="every 2s"' in page and 'value="42"' in page and "1.000 dòng" in page
    assert f'href="{url("import_preview", org, record.pk)}"' in page
    fragment = manager.get(response.url, headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith('<div id="import-status"')


def test_a_finished_job_refreshes_the_polling_page(manager, org, catalog, sent):
    upload(manager, org, xlsx(GOOD_ROWS))
    record = CatalogImport.objects.get()
    import_jobs.job_run(record.pk)

    response = manager.get(url("import_preview", org, record.pk), headers={"HX-Request": "true"})

    assert response.headers["HX-Refresh"] == "true"


def test_a_second_upload_while_a_job_runs_is_refused_with_a_message(manager, org, catalog, sent):
    upload(manager, org, xlsx(GOOD_ROWS))

    response = upload(manager, org, xlsx(GOOD_ROWS))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert CatalogImport.objects.count() == 1


def test_an_upload_while_the_broker_is_down_is_kept_for_the_sweep(
    manager, org, catalog, django_capture_on_commit_callbacks, monkeypatch
):
    def broker_down(*args):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(import_jobs.run_import, "delay", broker_down)

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(manager, org, xlsx(GOOD_ROWS))

    assert response.status_code == 302
    assert CatalogImport.objects.get().status == ImportStatus.CHECKING


def test_confirming_a_large_file_shows_its_progress(
    manager, org, catalog, sent, django_capture_on_commit_callbacks
):
    upload(manager, org, xlsx(GOOD_ROWS))
    record = CatalogImport.objects.get()
    import_jobs.job_run(record.pk)

    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(url("import_preview", org, record.pk))

    assert response.url == url("import_preview", org, record.pk)
    record.refresh_from_db()
    assert record.status == ImportStatus.APPLYING and sent == [record.pk]
    assert 'data-status="applying"' in manager.get(response.url).content.decode()


def test_the_problem_list_is_paged_and_the_page_costs_the_same_queries(
    manager, org, catalog, run_jobs, django_assert_max_num_queries
):
    rows = [[f"C.{n:03d}", *BAD_ROW[1:]] for n in range(1, 151)]  # 300 problems
    with run_jobs():
        upload(manager, org, xlsx(rows))
    record = CatalogImport.objects.get()

    with django_assert_max_num_queries(12):
        first = manager.get(url("import_preview", org, record.pk))
    last = manager.get(url("import_preview", org, record.pk), {"page": 3})

    assert len(first.context["problems"]) == 100 and first.context["problem_count"] == 300
    assert [p["row"] for p in last.context["problems"]][-1] == 151


def test_a_bad_page_number_shows_the_last_page(manager, org, catalog, run_jobs):
    with run_jobs():
        upload(manager, org, xlsx([BAD_ROW, BAD_ROW, BAD_ROW]))
    record = CatalogImport.objects.get()

    response = manager.get(url("import_preview", org, record.pk), {"page": "abc'"})

    assert response.status_code == 200


def test_an_outsider_cannot_see_or_poll_a_job(client, org, catalog, sent):
    record = check(org, xlsx(GOOD_ROWS))
    client.force_login(org.member_b)

    assert client.get(url("import_preview", org, record.pk)).status_code == 404
    assert (
        client.get(url("import_preview", org, record.pk), headers={"HX-Request": "true"}).status_code == 404
    )


# A real worker -------------------------------------------------------------------------------------


def _wait_for(record, *statuses):
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        record.refresh_from_db()
        if record.status in statuses:
            return record
        time.sleep(0.2)
    raise AssertionError(f"the job is still {record.status} ({record.step})")


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_checks_then_applies_a_large_file(celery_worker_on_redis, org, catalog):
    rows = [
        [f"C.{n:03d}", f"Công việc {n}", "C", stage, f"Giai đoạn {stage}", 30, "hồ sơ", "Văn bản", ""]
        for n in range(1, 41)
        for stage in (1, 2)
    ]
    record = check(org, xlsx(rows))

    _wait_for(record, ImportStatus.PREVIEWED, ImportStatus.REJECTED, ImportStatus.FAILED)
    assert record.status == ImportStatus.PREVIEWED, (record.problems, record.error)
    imports.apply(record=record, by=org.catalog_manager)
    _wait_for(record, ImportStatus.APPLIED, ImportStatus.REJECTED, ImportStatus.FAILED)

    assert record.status == ImportStatus.APPLIED, (record.problems, record.error)
    assert len(draft_codes(org)) == 40


# The largest files ---------------------------------------------------------------------------------


def _csv_of(tasks: int, stages: int = 4) -> bytes:
    lines = [";".join(spreadsheets.CATALOG_HEADERS)]
    lines += [
        f"C.{n:05d};Công việc số {n};C;{stage};Giai đoạn {stage};30;hồ sơ;Văn bản;"
        for n in range(1, tasks + 1)
        for stage in range(1, stages + 1)
    ]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def test_a_file_of_100_000_rows_is_checked_in_the_background(org, catalog, sent):
    record = check(org, _csv_of(25_000), filename="toan-tinh.csv")
    assert record.status == ImportStatus.CHECKING

    import_jobs.job_run(record.pk)

    record.refresh_from_db()
    assert record.status == ImportStatus.PREVIEWED, record.problems[:3]
    assert (record.summary["tasks"], record.summary["stages"]) == (25_000, 100_000)


def test_a_file_of_more_than_100_000_rows_is_refused_with_a_message(org, catalog, sent):
    record = check(org, _csv_of(25_001), filename="qua-lon.csv")

    import_jobs.job_run(record.pk)

    record.refresh_from_db()
    assert record.status == ImportStatus.REJECTED
    assert "100.000" in record.problems[0]["message"]


def test_a_failed_job_says_so_and_offers_to_upload_again(manager, org, catalog, sent):
    upload(manager, org, xlsx(GOOD_ROWS))
    record = CatalogImport.objects.get()
    import_jobs.job_fail(record.pk)

    page = manager.get(url("import_preview", org, record.pk)).content.decode()

    assert "Tải tệp lên lại" in page and "Không hoàn thành được việc nhập" in page
    assert "hx-trigger" not in page


def test_a_small_file_is_not_applied_while_a_large_one_is_being_written(org, catalog, sent, settings):
    large = check(org, xlsx(GOOD_ROWS))
    CatalogImport.objects.filter(pk=large.pk).update(status=ImportStatus.APPLYING)
    settings.CATALOG_IMPORT_BACKGROUND_ROWS = 2_000
    small = check(org, xlsx(GOOD_ROWS))
    before = catalog_state(org.agency)

    with pytest.raises(ValidationError, match="đang được kiểm tra hoặc nhập"):
        imports.apply(record=small, by=org.catalog_manager)

    assert catalog_state(org.agency) == before

"""HR's quarterly PDF in Chromium: ask for it, watch it progress, download it; staff cannot.

The job is taken by a background thread standing in for the Celery worker (the real worker has its
own test in test_jobs.py), held at the door and then half way, so the page is seen waiting, then
running with a progress bar, then ready: deterministic whatever the machine's speed.
"""

import re
import shutil
import subprocess
import threading

import pytest
from django.db import connection
from playwright.sync_api import expect

from conftest import require
from org import selectors as org_selectors
from reports import pdf
from reports.models import JobStatus, ReportJob

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AGENCY = "Sở Tài chính tỉnh Khánh Hòa"
SCREENSHOTS = "/tmp/reports-pdf-{}.png"


class HeldWorker:
    """Runs each enqueued report job in a thread of its own, once let in, pausing before the layout."""

    def __init__(self, task):
        self.task = task
        self.enter = threading.Event()
        self.layout = threading.Event()
        self.threads: list[threading.Thread] = []

    def delay(self, job_id: int):
        thread = threading.Thread(target=self._run, args=(job_id,), daemon=True)
        thread.start()
        self.threads.append(thread)

    def _run(self, job_id: int):
        try:
            self.enter.wait(60)
            self.task.apply(args=[job_id])
        finally:
            connection.close()


@pytest.fixture
def worker(monkeypatch):
    from reports.tasks import render_report

    held = HeldWorker(render_report)
    render = pdf.render

    def paused(template, context, progress, start):
        held.layout.wait(60)
        return render(template, context, progress, start)

    monkeypatch.setattr("reports.tasks.render_report", held)
    monkeypatch.setattr(pdf, "render", paused)
    yield held
    held.enter.set()
    held.layout.set()
    for thread in held.threads:
        thread.join(60)


ROMAN = ("I", "II", "III", "IV")


def last_quarter() -> tuple[int, int]:
    """(year, number) of the quarter before today's: over, and (at least in part) in the demo's months."""
    today = org_selectors.today()
    index = today.year * 4 + (today.month - 1) // 3 - 1
    return index // 4, index % 4 + 1


def test_tochuc_asks_for_the_quarterly_pdf_watches_it_progress_and_downloads_it(
    open_as, demo, worker, tmp_path, settings
):
    require(shutil.which("pdftotext") is not None, "poppler-utils (pdftotext) is not installed")
    settings.MEDIA_ROOT = tmp_path / "media"
    year, quarter = last_quarter()
    page = open_as("tochuc")

    page.goto("/reports/")
    page.locator("a[href='/reports/pdf/']").first.click()
    form = page.get_by_test_id("request-form")
    form.locator("select[name=kind]").select_option("quarterly")
    form.locator("select[name=agency]").select_option(label=AGENCY)
    form.locator("select[name=quarter]").select_option(f"{year}-Q{quarter}")
    form.get_by_test_id("request").click()

    job = ReportJob.objects.get()
    row = page.locator(f"#job-{job.pk}")
    expect(row).to_have_attribute("data-status", JobStatus.QUEUED)
    expect(row.get_by_test_id("job-progress")).to_be_visible()
    expect(row).to_have_attribute("hx-trigger", "every 2s")

    worker.enter.set()  # the worker takes the job; it stops before laying out the pages
    expect(row).to_have_attribute("data-status", JobStatus.RUNNING)
    bar = row.get_by_test_id("job-progress")
    expect(bar).to_be_visible()
    assert 0 < int(bar.get_attribute("aria-valuenow")) < 100
    expect(row.get_by_test_id("job-step")).not_to_be_empty()
    page.screenshot(path=SCREENSHOTS.format("1-running"), full_page=True)

    worker.layout.set()
    expect(row).to_have_attribute("data-status", JobStatus.DONE, timeout=60_000)
    expect(row).not_to_have_attribute("hx-trigger", "every 2s")
    page.screenshot(path=SCREENSHOTS.format("2-ready"), full_page=True)
    with page.expect_download() as download:
        row.get_by_test_id("download").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == f"bao-cao-quy-{ROMAN[quarter - 1]}-{year}-stc.pdf"

    pdftotext = ["pdftotext", "-layout", str(path), "-"]
    text = subprocess.run(pdftotext, capture_output=True, text=True, check=True).stdout
    assert AGENCY in text
    assert re.search(rf"{AGENCY}\s+84\s", text)  # the agency's row of the units table: 84 people

    for username, status in (("canbo", 403), ("canbo.sxd", 404)):
        outsider = open_as(username)
        for target in (f"/reports/pdf/{job.pk}/download/", f"/reports/pdf/{job.pk}/"):
            assert outsider.goto(target).status == status, (username, target)
        outsider.context.close()

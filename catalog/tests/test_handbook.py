"""The handbook page and its PDF link for every catalog version, and who may open which.

Agency A (STC) has v1 (from 01/01/2026, superseded), v2 (from 01/06/2026, in force on 15/09/2026),
v3 (published, in force from 01/10/2026) and a draft v4. Staff read v1–v3, the catalog manager the
draft too; people of agency B get 404 for all of it. The PDF is prepared by a background job
(test_handbook_jobs.py): here the on-commit enqueue does not run, so pages see the job waiting unless
a test stores a finished file.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse

from catalog import handbook, handbook_jobs
from catalog.models import HandbookFile, HandbookStatus, StandardTask

from .factories import CatalogVersionFactory, DraftFactory, StageFactory, StandardTaskFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 9, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
FAKE_PDF = b"%PDF-1.7 a handbook rendered earlier"
FUTURE_TASK = "Thẩm định phương án sắp xếp tài sản công"
DRAFT_TASK = "Rà soát quy chế chi tiêu nội bộ"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def versions(org, catalog):
    """v1 (the catalog fixture), v2 in force, v3 from a later date, and the draft v4."""

    def version(number, task_name, **kwargs):
        factory = DraftFactory if kwargs.pop("draft", False) else CatalogVersionFactory
        made = factory(agency=org.agency, number=number, **kwargs)
        task = StandardTaskFactory(version=made, code="C.01", name=task_name)
        StageFactory(task=task, order=1, name="Thẩm định hồ sơ", norm_minutes=120)
        return made

    v2 = version(2, "Thẩm định dự toán ngân sách năm", effective_from=datetime.date(2026, 6, 1))
    v3 = version(3, FUTURE_TASK, effective_from=datetime.date(2026, 10, 1))
    draft = version(4, DRAFT_TASK, draft=True)
    return {1: catalog.version, 2: v2, 3: v3, "draft": draft}


def page_url(org):
    return reverse("catalog:handbook", args=[org.agency.code])


def pdf_url(org):
    return reverse("catalog:handbook_pdf", args=[org.agency.code])


def ready(version, content=FAKE_PDF) -> HandbookFile:
    """A PDF as the job leaves it (done, stored), for the version as it is now, in Vietnamese."""
    key = handbook.content_key(handbook.handbook_context(version.agency, version))
    made = HandbookFile.objects.create(
        version=version, language="vi", content_key=key, status=HandbookStatus.DONE, progress=100
    )
    made.file.save(handbook.pdf_filename(version.agency, version), ContentFile(content))
    return made


def options(response) -> list[str]:
    return [choice.label for choice in response.context["choices"]]


# Which version ----------------------------------------------------------------------------------


def test_staff_choose_among_every_published_version_each_with_its_state(client, org, versions):
    client.force_login(org.member1)

    response = client.get(page_url(org))

    assert response.status_code == 200
    assert options(response) == [
        "v3 · hiệu lực từ 01/10/2026 (chưa có hiệu lực)",
        "v2 · từ ngày 01/06/2026 · đang có hiệu lực",
        "v1 · từ ngày 01/01/2026 · hết hiệu lực",
    ]
    assert response.context["version"] == versions[2]  # the version in force unless another is asked for
    assert '<option value="2" selected>' in response.text
    assert "Thẩm định dự toán ngân sách năm" in response.text and "DỰ THẢO" not in response.text


def test_a_version_published_for_a_later_date_is_readable_and_says_from_when(client, org, versions):
    client.force_login(org.member1)

    response = client.get(page_url(org), {"version": "3"})

    assert response.status_code == 200 and FUTURE_TASK in response.text
    assert "Hiệu lực từ 01/10/2026." in response.text


def test_a_superseded_version_stays_readable_and_says_so(client, org, versions):
    client.force_login(org.member1)

    response = client.get(page_url(org), {"version": "1"})

    assert "Thẩm định chi tiết" in response.text
    assert "Phiên bản này đã hết hiệu lực" in response.text


def test_the_catalog_manager_opens_the_draft_watermarked_and_marked_not_in_force(client, org, versions):
    client.force_login(org.catalog_manager)

    response = client.get(page_url(org))

    assert response.context["version"] == versions["draft"] and DRAFT_TASK in response.text
    assert options(response)[0] == "Dự thảo v4, chưa có hiệu lực"
    assert 'data-testid="draft-watermark"' in response.text and ">DỰ THẢO</div>" in response.text
    assert "Dự thảo, chưa có hiệu lực." in response.text
    assert client.get(page_url(org), {"version": "2"}).context["version"] == versions[2]


@pytest.mark.parametrize("asked", ["draft", "4"])
def test_staff_never_see_the_draft(client, org, versions, asked):
    client.force_login(org.member1)

    assert client.get(page_url(org), {"version": asked}).status_code == 404
    assert client.get(pdf_url(org), {"version": asked}).status_code == 404
    assert client.post(pdf_url(org) + f"?version={asked}").status_code == 404
    assert not HandbookFile.objects.filter(version=versions["draft"]).exists()


def test_a_version_waiting_for_approval_is_still_a_draft_to_the_handbook(client, org, versions):
    type(versions["draft"]).objects.filter(pk=versions["draft"].pk).update(
        status="submitted", effective_from=datetime.date(2026, 11, 1)
    )
    client.force_login(org.member1)
    assert client.get(page_url(org), {"version": "4"}).status_code == 404
    assert client.get(page_url(org), {"version": "draft"}).status_code == 404

    client.force_login(org.catalog_manager)
    response = client.get(page_url(org), {"version": "draft"})

    assert response.context["choice"].state == "draft" and ">DỰ THẢO</div>" in response.text
    assert "Hiệu lực từ 01/11/2026" not in response.text


@pytest.mark.parametrize("who", ["member_b", "leader_b"])
def test_people_of_another_agency_get_a_404_for_every_version(client, org, versions, who):
    client.force_login(getattr(org, who))

    for asked in ("", "1", "3", "draft"):
        assert client.get(page_url(org), {"version": asked}).status_code == 404
        assert client.get(pdf_url(org), {"version": asked}).status_code == 404
        assert client.get(pdf_url(org), {"version": asked}, headers={"HX-Request": "true"}).status_code == 404
    assert client.post(pdf_url(org) + "?version=1").status_code == 404
    assert not HandbookFile.objects.exists()


@pytest.mark.parametrize(
    "asked", ["abc", "999", "0", "-1", "²", "1.0", " 2", "02", "99999999999999999999", "draft2", "DRAFT"]
)
def test_a_version_that_does_not_exist_is_not_found_and_prepares_nothing(client, org, versions, asked):
    client.force_login(org.catalog_manager)

    assert client.get(page_url(org), {"version": asked}).status_code == 404
    assert client.get(pdf_url(org), {"version": asked}).status_code == 404
    assert not HandbookFile.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, org, versions):
    for target in (page_url(org), pdf_url(org)):
        response = client.get(target)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_an_agency_without_a_published_version_says_so(client, org):
    client.force_login(org.member1)

    response = client.get(page_url(org))

    assert response.status_code == 200 and "Danh mục chưa được ban hành." in response.text
    assert client.get(pdf_url(org)).status_code == 404


# The PDF ----------------------------------------------------------------------------------------


def test_opening_the_page_writes_nothing_and_asks_for_the_pdf_by_a_post_as_it_loads(client, org, versions):
    client.force_login(org.member1)

    first = client.get(page_url(org), {"version": "3"})

    assert not HandbookFile.objects.exists()  # a GET never writes
    assert first.context["pdf"] is None
    assert f'hx-post="{pdf_url(org)}?version=3" hx-trigger="load"' in first.text
    assert "Chuẩn bị tệp PDF" in first.text  # the same request without JavaScript


def test_the_pdf_is_asked_for_once_and_polled_every_two_seconds(client, org, versions):
    client.force_login(org.member1)

    asked = client.post(pdf_url(org) + "?version=3", headers={"HX-Request": "true"})
    client.post(pdf_url(org) + "?version=3", headers={"HX-Request": "true"})
    again = client.get(page_url(org), {"version": "3"})

    job = HandbookFile.objects.get()
    assert (job.version, job.status, job.language) == (versions[3], HandbookStatus.QUEUED, "vi")
    assert asked.context["pdf"] == again.context["pdf"] == job
    assert asked.text.lstrip().startswith('<div id="handbook-pdf"')
    assert "Đang tạo PDF…" in again.text and 'hx-trigger="every 2s"' in again.text
    assert f'hx-get="{pdf_url(org)}?version=3"' in again.text
    # Without JavaScript a plain link shows the progress again.
    assert f'<a class="small" href="{page_url(org)}?version=3">Làm mới</a>' in again.text


def test_the_polled_fragment_stops_polling_and_links_the_file_once_ready(client, org, versions):
    client.force_login(org.member1)
    client.post(pdf_url(org) + "?version=2")
    job = HandbookFile.objects.get()
    HandbookFile.objects.filter(pk=job.pk).update(
        status=HandbookStatus.RUNNING, progress=40, step="Đang dàn trang"
    )

    running = client.get(pdf_url(org), {"version": "2"}, headers={"HX-Request": "true"})

    assert running.text.lstrip().startswith('<div id="handbook-pdf"') and "<html" not in running.text
    assert 'aria-valuenow="40"' in running.text and "Đang dàn trang" in running.text
    HandbookFile.objects.filter(pk=job.pk).delete()
    ready(versions[2])
    done = client.get(pdf_url(org), {"version": "2"}, headers={"HX-Request": "true"})
    assert "hx-trigger" not in done.text and f'href="{pdf_url(org)}?version=2"' in done.text
    assert "Tải về bản PDF" in done.text


def test_a_ready_pdf_is_served_from_storage_without_rendering_again(client, org, versions, monkeypatch):
    ready(versions[3])
    monkeypatch.setattr(handbook, "render_pdf", lambda *a, **k: pytest.fail("rendered in the request"))
    client.force_login(org.member1)

    response = client.get(pdf_url(org), {"version": "3"})

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == FAKE_PDF
    assert 'filename="cam-nang-kpi-stc-v3.pdf"' in response["Content-Disposition"]
    assert HandbookFile.objects.count() == 1


def test_the_pdf_link_without_javascript_shows_a_waiting_page_until_the_file_is_ready(client, org, versions):
    client.force_login(org.member1)

    offered = client.get(pdf_url(org))  # the version in force
    assert offered.status_code == 200 and "Chuẩn bị tệp PDF" in offered.text
    assert not HandbookFile.objects.exists()
    asked = client.post(pdf_url(org))
    assert asked.status_code == 302
    waiting = client.get(asked.url)

    assert waiting.status_code == 200 and "<html" in waiting.text and "Đang tạo PDF…" in waiting.text
    assert f'<a class="small" href="{pdf_url(org)}?version=2">Làm mới</a>' in waiting.text
    assert HandbookFile.objects.get().version == versions[2]
    HandbookFile.objects.all().delete()
    ready(versions[2])
    assert client.get(pdf_url(org))["Content-Type"] == "application/pdf"


def test_the_draft_pdf_is_for_the_manager_and_named_as_a_draft(client, org, versions):
    ready(versions["draft"])
    client.force_login(org.catalog_manager)

    response = client.get(pdf_url(org), {"version": "draft"})

    assert 'filename="cam-nang-kpi-stc-v4-du-thao.pdf"' in response["Content-Disposition"]


def test_a_draft_edited_after_its_pdf_was_made_gets_a_new_one(client, org, versions):
    old = ready(versions["draft"])
    client.force_login(org.catalog_manager)
    StandardTask.objects.filter(version=versions["draft"]).update(name="Rà soát, sửa đổi quy chế chi tiêu")

    offered = client.get(pdf_url(org), {"version": "draft"})
    assert "Chuẩn bị tệp PDF" in offered.text  # the old file prints the old content
    response = client.post(pdf_url(org) + "?version=draft", follow=True)

    assert "Đang tạo PDF…" in response.text
    new = HandbookFile.objects.exclude(pk=old.pk).get()
    assert new.status == HandbookStatus.QUEUED and new.content_key != old.content_key


def test_a_pdf_whose_file_is_gone_is_prepared_again(client, org, versions, media):
    gone = ready(versions[2])
    (media / gone.file.name).unlink()
    client.force_login(org.member1)

    offered = client.get(pdf_url(org))
    response = client.post(pdf_url(org), follow=True)

    assert "Chuẩn bị tệp PDF" in offered.text
    assert "Đang tạo PDF…" in response.text
    assert HandbookFile.objects.filter(status=HandbookStatus.QUEUED).count() == 1


def test_a_failed_pdf_says_so_and_is_prepared_again_on_request(client, org, versions):
    client.force_login(org.member1)
    client.post(pdf_url(org) + "?version=1")
    job = HandbookFile.objects.get()
    handbook_jobs.pdf_fail(job.pk)

    page = client.get(page_url(org), {"version": "1"})

    assert "Không tạo được tệp PDF" in page.text and "Tạo lại tệp PDF" in page.text
    assert HandbookFile.objects.count() == 1  # a failure is not retried by merely reading the page
    response = client.post(pdf_url(org) + "?version=1")
    assert response.status_code == 302 and response.url == f"{pdf_url(org)}?version=1"
    assert HandbookFile.objects.exclude(pk=job.pk).get().status == HandbookStatus.QUEUED
    client.post(pdf_url(org) + "?version=1")  # asking again while it is prepared makes no second job
    assert HandbookFile.objects.count() == 2


def test_a_request_is_answered_even_when_the_broker_is_down(
    client, org, versions, monkeypatch, django_capture_on_commit_callbacks
):
    def down(*args):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(handbook_jobs.render_handbook_pdf, "delay", down)
    client.force_login(org.member1)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(pdf_url(org), headers={"HX-Request": "true"})
    response = client.get(page_url(org))

    assert response.status_code == 200 and len(callbacks) == 1
    assert "Đang tạo PDF…" in response.text
    assert HandbookFile.objects.get().status == HandbookStatus.QUEUED  # the sweep sends it again


# Query counts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["member1", "catalog_manager"])
def test_the_page_keeps_a_bounded_number_of_queries_whatever_the_catalog_size(
    client, org, versions, who, django_assert_max_num_queries
):
    for number in range(5, 25):
        CatalogVersionFactory(agency=org.agency, number=number, effective_from=datetime.date(2026, 12, 1))
    for version in (versions[2], versions["draft"]):
        for n in range(30):
            task = StandardTaskFactory(version=version, code=f"D.{n:02d}", group="D")
            StageFactory(task=task, order=1)
            StageFactory(task=task, order=2)
    client.force_login(getattr(org, who))
    client.get(page_url(org))  # the first view asks for the PDF

    with django_assert_max_num_queries(16):
        response = client.get(page_url(org))
    assert response.status_code == 200
    assert len(response.context["choices"]) == (24 if who == "catalog_manager" else 23)
    with django_assert_max_num_queries(16):
        assert client.get(pdf_url(org), headers={"HX-Request": "true"}).status_code == 200


def test_the_download_keeps_a_bounded_number_of_queries(client, org, versions, django_assert_max_num_queries):
    ready(versions[3])
    client.force_login(org.member1)

    with django_assert_max_num_queries(16):
        response = client.get(pdf_url(org), {"version": "3"})
    assert response["Content-Type"] == "application/pdf"

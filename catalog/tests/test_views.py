"""The catalog manager's pages: merge, edit, publish, import, export, handbook, history."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog import selectors
from catalog.models import CatalogImport, ImportStatus, VersionStatus

from .fixtures import catalog_state
from .test_import import GOOD_ROWS, xlsx

pytestmark = pytest.mark.usefixtures("frozen_now")


def url(name, org, *args):
    return reverse(f"catalog:{name}", args=[org.agency.code, *args])


@pytest.fixture
def manager(client, org, catalog):
    client.force_login(org.catalog_manager)
    return client


def test_the_overview_reads_like_the_article(manager, org, catalog):
    response = manager.get(url("home", org))

    assert response.context["summary"].declared == 5
    assert response.context["summary"].standard_tasks == 2
    assert "5" in response.text and "→ 2" in response.text


def test_merging_three_declared_tasks_into_a_new_task(manager, org, catalog):
    ids = [d.pk for d in catalog.declared[2:]]

    response = manager.post(
        url("declared_merge", org),
        {"action": "new", "declared": ids, "code": "c.02", "name": "Thẩm tra quyết toán dự án hoàn thành",
         "group": "C", "output_unit": "dự án"},
    )  # fmt: skip

    task = selectors.draft_of(org.agency).tasks.get(code="C.02")
    assert response.url == url("task_edit", org, task.pk)
    assert set(task.declared_tasks.values_list("pk", flat=True)) == set(ids)


@pytest.mark.parametrize(
    "data",
    [
        {"action": "new"},  # nothing selected
        {"action": "new", "declared": ["abc"]},
        {"action": "new", "declared": [999999]},
        {"action": "existing", "declared": [1]},  # no task chosen
        {"action": "existing", "task_code": "Z.99"},
        {"action": "new", "code": "", "name": ""},
        {"action": "explode"},
    ],
)
def test_a_bad_merge_request_shows_a_message_and_changes_nothing(manager, org, catalog, data):
    before = catalog_state(org.agency)
    data = {"declared": [catalog.declared[2].pk], **data}

    response = manager.post(url("declared_merge", org), data)

    assert response.status_code == 200
    assert response.context["merge_form"].errors
    assert 'data-testid="merge-errors"' in response.text
    assert catalog_state(org.agency) == before


def test_a_refused_merge_names_each_field_and_keeps_what_was_ticked_and_typed(manager, org, catalog):
    ticked = [d.pk for d in catalog.declared[2:4]]

    response = manager.post(
        url("declared_merge", org),
        {"action": "new", "declared": ticked, "code": "C.02", "name": "", "group": "B", "output_unit": "",
         "next_query": "merged=no"},
    )  # fmt: skip

    errors = response.context["merge_form"].errors
    assert set(errors) == {"name", "output_unit"}
    assert "<strong>Tên công việc mới</strong>: Bắt buộc" in response.text
    assert "<strong>Đơn vị sản phẩm</strong>: Bắt buộc" in response.text
    assert response.context["selected"] == {str(pk) for pk in ticked}
    for pk in ticked:
        assert f'id="declared-{pk}" checked' in response.text
    assert 'value="C.02"' in response.text
    assert '<option value="B" selected>' in response.text
    # The list keeps its filter: only the declared tasks not merged yet.
    assert all(d.standard_task_id is None for d in response.context["page"].object_list)


def test_the_new_code_is_the_next_free_one_as_a_real_value(manager, org, catalog):
    response = manager.get(url("declared", org))

    assert 'name="code" id="new-code" maxlength="20" value="C.02"' in response.text
    assert response.context["next_codes"] == {"A": "A.01", "B": "B.02", "C": "C.02", "D": "D.01"}


def test_a_new_code_that_already_exists_is_refused(manager, org, catalog):
    before = catalog_state(org.agency)

    response = manager.post(
        url("declared_merge", org),
        {"action": "new", "declared": [catalog.declared[2].pk], "code": "C.01", "name": "Trùng mã",
         "group": "C", "output_unit": "hồ sơ"},
    )  # fmt: skip

    assert response.context["merge_form"].errors == {"code": ["Mã C.01 đã được dùng trong danh mục này."]}
    assert f'id="declared-{catalog.declared[2].pk}" checked' in response.text
    assert catalog_state(org.agency) == before


def test_merging_into_an_existing_task_opens_the_draft(manager, org, catalog):
    manager.post(
        url("declared_merge", org),
        {"action": "existing", "declared": [catalog.declared[3].pk], "task_code": "C.01"},
    )

    draft = selectors.draft_of(org.agency)
    assert draft.tasks.get(code="C.01").declared_tasks.count() == 3
    assert catalog.version.tasks.get(code="C.01").declared_tasks.count() == 0  # merges moved to the draft


def stage_post(task_fields, stages, *, extra=0):
    data = {
        "stages-TOTAL_FORMS": str(len(stages) + extra),
        "stages-INITIAL_FORMS": "0",
        "stages-MIN_NUM_FORMS": "0",
        "stages-MAX_NUM_FORMS": "30",
        **task_fields,
    }
    for index, (order, name, minutes) in enumerate(stages):
        data.update(
            {
                f"stages-{index}-order": order,
                f"stages-{index}-name": name,
                f"stages-{index}-norm_minutes": minutes,
            }
        )
    return data


TASK_FIELDS = {
    "code": "C.09",
    "name": "Thẩm định giá đất cụ thể",
    "group": "C",
    "output_unit": "hồ sơ",
    "evidence_kind": "document",
    "description": "Thẩm định phương án giá đất.",
    "active": "on",
}


def test_creating_a_task_with_two_stages(manager, org, catalog):
    response = manager.post(
        url("task_create", org), stage_post(TASK_FIELDS, [(1, "Tiếp nhận", 60), (2, "Thẩm định", 480)])
    )

    task = selectors.draft_of(org.agency).tasks.get(code="C.09")
    assert response.url == url("task", org, task.pk)
    assert list(task.stages.values_list("order", "norm_minutes")) == [(1, 60), (2, 480)]


@pytest.mark.parametrize(
    "stages",
    [
        [(1, "Tiếp nhận", 0)],
        [(1, "Tiếp nhận", "nửa giờ")],
        [(1, "Tiếp nhận", 60), (1, "Thẩm định", 60)],
        [(1, "", 60)],
        [(1, "Tiếp nhận", 99999999)],
    ],
)
def test_bad_stages_redisplay_the_form_and_save_nothing(manager, org, catalog, stages):
    before = catalog_state(org.agency)

    response = manager.post(url("task_create", org), stage_post(TASK_FIELDS, stages))

    assert response.status_code == 200
    assert response.context["stages"].errors or response.context["stages"].non_form_errors()
    assert catalog_state(org.agency)[1:] == before[1:]


def test_a_duplicate_task_code_is_refused_in_the_form(manager, org, catalog):
    manager.post(url("draft_open", org))

    response = manager.post(
        url("task_create", org), stage_post({**TASK_FIELDS, "code": "C.01"}, [(1, "A", 5)])
    )

    assert "code" in response.context["form"].errors


def test_editing_a_published_task_sends_back_to_it(manager, org, catalog):
    response = manager.get(url("task_edit", org, catalog.budget.pk))

    assert response.url == url("task", org, catalog.budget.pk)


def test_the_catalog_manager_submits_and_the_head_publishes(manager, client, org, catalog):
    manager.post(url("draft_open", org))

    response = manager.post(url("publish", org), {"effective_from": "10/03/2026", "note": "Bản sửa đổi"})

    assert response.url == url("home", org)
    draft = selectors.draft_of(org.agency)
    assert (draft.status, draft.effective_from, draft.submitted_by) == (
        VersionStatus.SUBMITTED,
        datetime.date(2026, 3, 10),
        org.catalog_manager,
    )
    assert org.leader.notifications.filter(title__contains="chờ").exists()
    assert selectors.latest_published(org.agency) == catalog.version

    client.force_login(org.leader)
    page = client.get(url("publish", org))
    assert "Phê duyệt và ban hành" in page.text
    client.post(
        url("publish", org), {"effective_from": "10/03/2026", "note": "Bản sửa đổi", "action": "publish"}
    )

    version = selectors.latest_published(org.agency)
    assert (version.number, version.effective_from, version.status, version.published_by) == (
        2,
        datetime.date(2026, 3, 10),
        VersionStatus.PUBLISHED,
        org.leader,
    )


def test_a_submitted_draft_does_not_change_until_sent_back(manager, client, org, catalog):
    manager.post(url("draft_open", org))
    manager.post(url("publish", org), {"effective_from": "10/03/2026"})
    task = selectors.draft_of(org.agency).tasks.get(code="C.01")

    refused = manager.get(url("task_edit", org, task.pk))
    assert refused.status_code == 302
    client.force_login(org.leader)
    client.post(url("publish", org), {"action": "return", "return-reason": "Định mức C.01 chưa hợp lý"})

    draft = selectors.draft_of(org.agency)
    assert (draft.status, draft.returned_reason) == (VersionStatus.DRAFT, "Định mức C.01 chưa hợp lý")
    assert org.catalog_manager.notifications.filter(body="Định mức C.01 chưa hợp lý").exists()
    client.force_login(org.catalog_manager)
    assert "Định mức C.01 chưa hợp lý" in client.get(url("home", org)).text


def test_a_deputy_cannot_approve_and_sending_back_needs_a_reason(manager, client, org, catalog):
    manager.post(url("draft_open", org))
    manager.post(url("publish", org), {"effective_from": "10/03/2026"})
    client.force_login(org.deputy)

    client.post(url("publish", org), {"effective_from": "10/03/2026", "action": "publish"})
    assert selectors.draft_of(org.agency).status == VersionStatus.SUBMITTED

    client.force_login(org.leader)
    response = client.post(url("publish", org), {"action": "return", "return-reason": "  "})
    assert response.context["return_form"].errors
    assert selectors.draft_of(org.agency).status == VersionStatus.SUBMITTED


@pytest.mark.parametrize("day", ["09/03/2026", "31/02/2026", "mai", ""])
def test_a_bad_effective_date_is_refused(manager, org, catalog, day):
    manager.post(url("draft_open", org))

    response = manager.post(url("publish", org), {"effective_from": day})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert selectors.draft_of(org.agency) is not None


def test_discarding_asks_first_then_discards(manager, org, catalog):
    manager.post(url("draft_open", org))

    assert manager.get(url("draft_discard", org)).status_code == 200
    assert selectors.draft_of(org.agency) is not None
    manager.post(url("draft_discard", org))
    assert selectors.draft_of(org.agency) is None


def test_deleting_a_draft_task_asks_first(manager, org, catalog):
    manager.post(url("draft_open", org))
    task = selectors.draft_of(org.agency).tasks.get(code="B.01")

    assert manager.get(url("task_delete", org, task.pk)).status_code == 200
    manager.post(url("task_delete", org, task.pk))
    assert not selectors.draft_of(org.agency).tasks.filter(code="B.01").exists()


def test_uploading_a_bad_file_shows_the_problems_and_imports_nothing(manager, org, catalog):
    before = catalog_state(org.agency)
    bad = xlsx([["C.01", "Thẩm định", "C", 1, "Tiếp nhận", "abc", "hồ sơ", "Không", ""]])

    response = manager.post(
        url("import", org), {"kind": "catalog", "file": SimpleUploadedFile("danh-muc.xlsx", bad)}, follow=True
    )

    assert response.context["record"].status == ImportStatus.REJECTED
    assert "Định mức (phút)" in response.text
    assert catalog_state(org.agency) == before


def test_uploading_a_good_file_previews_then_imports_on_confirmation(manager, org, catalog):
    response = manager.post(
        url("import", org), {"kind": "catalog", "file": SimpleUploadedFile("danh-muc.xlsx", xlsx(GOOD_ROWS))}
    )
    record = CatalogImport.objects.get()
    assert response.url == url("import_preview", org, record.pk)
    assert selectors.draft_of(org.agency) is None  # nothing changed yet

    manager.post(url("import_preview", org, record.pk))

    assert set(selectors.draft_of(org.agency).tasks.values_list("code", flat=True)) == {"C.01", "B.02"}
    record.refresh_from_db()
    assert record.status == ImportStatus.APPLIED


def test_an_upload_without_a_file_is_refused(manager, org, catalog):
    response = manager.post(url("import", org), {"kind": "catalog"})

    assert response.status_code == 200
    assert "file" in response.context["form"].errors


def test_an_upload_over_the_limit_is_refused_before_reading(manager, org, catalog, settings):
    settings.CATALOG_IMPORT_MAX_BYTES = 100

    response = manager.post(
        url("import", org), {"kind": "catalog", "file": SimpleUploadedFile("big.xlsx", b"x" * 200)}
    )

    assert "file" in response.context["form"].errors
    assert not CatalogImport.objects.exists()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_export_is_a_spreadsheet_with_vietnamese_headers(client, org, catalog, fmt):
    client.force_login(org.member1)

    response = client.get(url("export", org), {"format": fmt})

    assert response.status_code == 200
    assert f".{fmt}" in response["Content-Disposition"]
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
        assert text.startswith("Mã công việc;Tên công việc;Nhóm")  # Excel in Vietnamese splits on ";"
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert [c.value for c in sheet[1]][:3] == ["Mã công việc", "Tên công việc", "Nhóm"]
        assert sheet.max_row == 4  # header + three stages


@pytest.mark.parametrize(
    "params", [{"format": "pdf"}, {"what": "everything"}, {"version": "abc"}, {"version": "99"}]
)
def test_a_bad_export_request_is_not_found(client, org, catalog, params):
    client.force_login(org.member1)

    assert client.get(url("export", org), params).status_code == 404


def test_declared_tasks_export_is_for_the_manager(client, org, catalog):
    client.force_login(org.member1)
    assert client.get(url("export", org), {"what": "declared"}).status_code == 403
    client.force_login(org.catalog_manager)
    assert client.get(url("export", org), {"what": "declared"}).status_code == 200


def test_the_handbook_page_lists_every_task_with_its_stages(client, org, catalog):
    client.force_login(org.member1)

    response = client.get(url("handbook", org))

    assert "task-C.01" in response.text and "Thẩm định chi tiết" in response.text


def test_history_shows_who_changed_what(manager, org, catalog):
    manager.post(
        url("declared_merge", org),
        {"action": "existing", "declared": [catalog.declared[2].pk], "task_code": "C.01"},
    )

    response = manager.get(url("history", org), {"kind": "declared"})

    assert org.catalog_manager.full_name in response.text


@pytest.mark.parametrize("kind", ["tasks", "stages", "declared", "versions", "nonsense"])
def test_history_tabs_keep_a_bounded_number_of_queries(
    manager, org, catalog, kind, django_assert_max_num_queries
):
    with django_assert_max_num_queries(14):
        response = manager.get(url("history", org), {"kind": kind})
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["home", "tasks", "declared", "handbook", "import", "publish"])
def test_pages_keep_a_bounded_number_of_queries_whatever_the_catalog_size(
    manager, org, catalog, name, django_assert_max_num_queries
):
    from .factories import DeclaredTaskFactory, StageFactory, StandardTaskFactory

    manager.post(url("draft_open", org))
    draft = selectors.draft_of(org.agency)
    for n in range(30):
        task = StandardTaskFactory(version=draft, code=f"D.{n:02d}", group="D")
        StageFactory(task=task, order=1)
        DeclaredTaskFactory(agency=org.agency, unit=org.unit1, standard_task=task)

    # The publish page compares both versions stage by stage and counts recent entries: more
    # queries than the others, the same number for 30 tasks as for 3.
    with django_assert_max_num_queries(30 if name == "publish" else 20):
        response = manager.get(url(name, org))
    assert response.status_code == 200

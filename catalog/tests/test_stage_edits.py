"""Editing a task's stages changes exactly what was edited: no stage is lost unless removed on purpose.

The form used to send back only the rows that changed and the service replaced the whole stage list
with them: changing one norm of a four-stage task removed the other three.
"""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog import selectors, services
from catalog.models import Stage, StandardTask, VersionStatus
from catalog.tests.factories import StageFactory
from org.selectors import today
from worklog.tests.factories import DiaryEntryFactory

pytestmark = pytest.mark.usefixtures("frozen_now")

FOUR_STAGES = [
    (1, "Tiếp nhận hồ sơ", 30),
    (2, "Thẩm định", 240),
    (3, "Trình ký", 20),
    (4, "Phát hành", 15),
]


def edit_url(task):
    return reverse("catalog:task_edit", args=[task.agency.code, task.pk])


def as_posted(response) -> dict:
    """The edit form's fields with the values the page shows, as a browser submits them untouched."""
    data = {}
    for form in (response.context["form"], *response.context["stages"]):
        for field in form:
            value = field.value()
            if field.name == "DELETE" or value is None:
                continue
            data[field.html_name] = "on" if value is True else value
    for field in response.context["stages"].management_form:
        data[field.html_name] = field.value()
    if not response.context["form"]["active"].value():
        data.pop("active", None)
    return data


def row(data, stages_response, order) -> int:
    """The index of the stage row showing stage ``order``."""
    for index, form in enumerate(stages_response.context["stages"]):
        if form.initial.get("id") and form.initial["order"] == order:
            return index
    raise AssertionError(f"no row for stage {order}")


def stages_of(task) -> list[tuple]:
    return list(task.stages.order_by("order").values_list("order", "name", "norm_minutes"))


@pytest.fixture
def four_stage_task(org, catalog):
    draft = services.draft_open(agency=org.agency, by=org.catalog_manager)
    task = draft.tasks.get(code="C.01")
    task.stages.all().delete()
    for order, name, minutes in FOUR_STAGES:
        StageFactory(task=task, order=order, name=name, norm_minutes=minutes)
    return task


@pytest.fixture
def manager(client, org):
    client.force_login(org.catalog_manager)
    return client


def test_changing_one_norm_of_a_four_stage_task_keeps_the_four_stages(manager, four_stage_task):
    page = manager.get(edit_url(four_stage_task))
    data = as_posted(page)
    data[f"stages-{row(data, page, 2)}-norm_minutes"] = "300"
    history_before = Stage.history.filter(task_id=four_stage_task.pk).count()

    response = manager.post(edit_url(four_stage_task), data)

    assert response.status_code == 302
    assert stages_of(four_stage_task) == [
        (1, "Tiếp nhận hồ sơ", 30),
        (2, "Thẩm định", 300),
        (3, "Trình ký", 20),
        (4, "Phát hành", 15),
    ]
    assert Stage.history.filter(task_id=four_stage_task.pk).count() == history_before + 1
    change = Stage.history.filter(task_id=four_stage_task.pk).latest("history_id")
    assert (change.history_type, change.order, change.norm_minutes) == ("~", 2, 300)


def test_adding_a_fifth_stage_keeps_the_other_four(manager, four_stage_task):
    page = manager.get(edit_url(four_stage_task))
    data = as_posted(page)
    data["stages-4-name"] = "Lưu hồ sơ"
    data["stages-4-norm_minutes"] = "10"

    manager.post(edit_url(four_stage_task), data)

    assert stages_of(four_stage_task) == [*FOUR_STAGES, (5, "Lưu hồ sơ", 10)]


def test_saving_the_form_untouched_writes_nothing(manager, four_stage_task):
    history_before = Stage.history.count(), StandardTask.history.count()

    manager.post(edit_url(four_stage_task), as_posted(manager.get(edit_url(four_stage_task))))

    assert stages_of(four_stage_task) == FOUR_STAGES
    assert (Stage.history.count(), StandardTask.history.count()) == history_before


def test_removing_a_stage_asks_first_and_says_how_much_work_used_it(manager, org, catalog, four_stage_task):
    published = catalog.budget.stages.get(order=2)
    for _ in range(3):
        DiaryEntryFactory(person=org.member1, unit=org.unit1, stage=published)
    page = manager.get(edit_url(four_stage_task))
    data = as_posted(page)
    data[f"stages-{row(data, page, 2)}-DELETE"] = "on"

    deleted_before = Stage.history.filter(task_id=four_stage_task.pk, history_type="-").count()

    asked = manager.post(edit_url(four_stage_task), data)

    assert asked.status_code == 200
    assert stages_of(four_stage_task) == FOUR_STAGES
    [use] = asked.context["removals"]
    assert (use.stage.name, use.entries) == ("Thẩm định", 3)
    assert "3 mục nhật ký" in asked.text

    confirmed = manager.post(edit_url(four_stage_task), {**data, "confirm_removal": "1"})

    assert confirmed.status_code == 302
    assert Stage.history.filter(task_id=four_stage_task.pk, history_type="-").count() == deleted_before + 1
    assert stages_of(four_stage_task) == [FOUR_STAGES[0], *FOUR_STAGES[2:]]
    removal = Stage.history.filter(task_id=four_stage_task.pk, history_type="-").latest("history_id")
    assert (removal.name, removal.history_user) == ("Thẩm định", org.catalog_manager)
    # The published stage the entries point at is still there, with its norm.
    published.refresh_from_db()
    assert published.norm_minutes == 240


def test_two_stages_can_swap_places(manager, four_stage_task):
    page = manager.get(edit_url(four_stage_task))
    data = as_posted(page)
    data[f"stages-{row(data, page, 1)}-order"] = "2"
    data[f"stages-{row(data, page, 2)}-order"] = "1"

    manager.post(edit_url(four_stage_task), data)

    assert stages_of(four_stage_task) == [
        (1, "Thẩm định", 240),
        (2, "Tiếp nhận hồ sơ", 30),
        (3, "Trình ký", 20),
        (4, "Phát hành", 15),
    ]


def test_a_page_left_open_while_a_stage_was_removed_elsewhere_changes_nothing(manager, org, four_stage_task):
    page = manager.get(edit_url(four_stage_task))
    data = as_posted(page)
    data[f"stages-{row(data, page, 1)}-norm_minutes"] = "45"
    four_stage_task.stages.get(order=3).delete()

    response = manager.post(edit_url(four_stage_task), data)

    assert response.status_code == 200
    assert "Tải lại trang" in response.text
    assert stages_of(four_stage_task) == [FOUR_STAGES[0], FOUR_STAGES[1], FOUR_STAGES[3]]


def test_a_stage_of_another_task_cannot_be_named_in_the_form(manager, catalog, four_stage_task):
    other = StandardTask.objects.get(version=four_stage_task.version, code="B.01").stages.get()
    page = manager.get(edit_url(four_stage_task))
    data = as_posted(page)
    data[f"stages-{row(data, page, 1)}-id"] = str(other.pk)

    response = manager.post(edit_url(four_stage_task), data)

    assert response.status_code == 200
    assert stages_of(four_stage_task) == FOUR_STAGES
    other.refresh_from_db()
    assert other.task.code == "B.01"


def test_a_published_version_cannot_lose_a_stage(org, catalog):
    with pytest.raises(ValidationError, match="sửa đổi danh mục đã ban hành"):
        services.task_update(
            task=catalog.budget,
            data=services.TaskInput(code="C.01", name="x", group="C", output_unit="hồ sơ"),
            remove_stages=[catalog.budget.stages.get(order=1).pk],
            by=org.catalog_manager,
        )
    assert catalog.budget.stages.count() == 2


def test_opening_and_discarding_a_draft_record_the_declared_tasks_moves(org, catalog):
    merged = catalog.declared[0]
    before = merged.history.count()

    draft = services.draft_open(agency=org.agency, by=org.catalog_manager)
    copy = draft.tasks.get(code="C.01")
    services.draft_discard(agency=org.agency, by=org.catalog_manager)

    merged.refresh_from_db()
    assert merged.standard_task == catalog.budget
    moves = list(merged.history.order_by("history_id")[before:])
    assert [m.standard_task_id for m in moves] == [copy.pk, catalog.budget.pk]
    assert {m.history_user for m in moves} == {org.catalog_manager}


# --- property: any sequence of edits, then publish, never drops a stage that was not removed ---

EDIT = st.one_of(
    st.tuples(st.just("norm"), st.integers(0, 9), st.integers(1, 600)),
    st.tuples(st.just("name"), st.integers(0, 9), st.sampled_from(["Dự thảo", "Thẩm định lại", "Ký số"])),
    st.tuples(st.just("add"), st.sampled_from(["Lưu trữ", "Báo cáo"]), st.integers(1, 600)),
    st.tuples(st.just("remove"), st.integers(0, 9)),
    st.tuples(st.just("swap"), st.integers(0, 9), st.integers(0, 9)),
)
CODES = itertools.count(100)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=st.lists(EDIT, min_size=1, max_size=6))
def test_any_sequence_of_edits_then_publish_keeps_every_stage_not_removed(manager, org, catalog, edits):
    draft = services.draft_open(agency=org.agency, by=org.catalog_manager)
    task = services.task_create(
        version=draft,
        data=services.TaskInput(
            code=f"C.{next(CODES)}",
            name="Nhiệm vụ thử",
            group="C",
            output_unit="hồ sơ",
            stages=tuple(services.StageInput(*stage) for stage in FOUR_STAGES),
        ),
        by=org.catalog_manager,
    )
    # What the stages must be: id -> (order, name, minutes), changed only by the edits made.
    expected = {s.pk: (s.order, s.name, s.norm_minutes) for s in task.stages.all()}
    for edit in edits:
        page = manager.get(edit_url(task))
        data = as_posted(page)
        rows = sorted(expected, key=lambda pk: expected[pk][0])
        index_of = {
            f.initial.get("id"): i for i, f in enumerate(page.context["stages"]) if f.initial.get("id")
        }
        kind = edit[0]
        if kind == "norm":
            pk = rows[edit[1] % len(rows)]
            data[f"stages-{index_of[pk]}-norm_minutes"] = str(edit[2])
            expected[pk] = (expected[pk][0], expected[pk][1], edit[2])
        elif kind == "name":
            pk = rows[edit[1] % len(rows)]
            data[f"stages-{index_of[pk]}-name"] = edit[2]
            expected[pk] = (expected[pk][0], edit[2], expected[pk][2])
        elif kind == "add":
            blank = len(rows)
            data[f"stages-{blank}-name"], data[f"stages-{blank}-norm_minutes"] = edit[1], str(edit[2])
            order = int(data[f"stages-{blank}-order"])
        elif kind == "remove":
            if len(rows) == 1:
                continue
            pk = rows[edit[1] % len(rows)]
            data[f"stages-{index_of[pk]}-DELETE"] = "on"
            data["confirm_removal"] = "1"
            del expected[pk]
        else:
            a, b = rows[edit[1] % len(rows)], rows[edit[2] % len(rows)]
            data[f"stages-{index_of[a]}-order"], data[f"stages-{index_of[b]}-order"] = (
                str(expected[b][0]),
                str(expected[a][0]),
            )
            expected[a], expected[b] = (expected[b][0], *expected[a][1:]), (expected[a][0], *expected[b][1:])

        response = manager.post(edit_url(task), data)

        assert response.status_code == 302, response.context and response.context["form"].errors
        if kind == "add":
            added = task.stages.get(order=order)
            expected[added.pk] = (order, edit[1], edit[2])
        assert {s.pk: (s.order, s.name, s.norm_minutes) for s in task.stages.all()} == expected

    version = services.catalog_publish(agency=org.agency, effective_from=today(), by=org.leader)

    assert version.status == VersionStatus.PUBLISHED
    assert stages_of(version.tasks.get(code=task.code)) == sorted(expected.values())


# --- the publish preview: old → new for every change, and how much recent work it concerns ---


def test_the_publish_preview_shows_old_and_new_norms_and_recent_entries_of_each_changed_stage(
    manager, org, catalog, django_assert_max_num_queries
):
    published = catalog.budget.stages.get(order=2)
    for day in (today() - datetime.timedelta(days=10), today() - datetime.timedelta(days=40)):
        DiaryEntryFactory(person=org.member1, unit=org.unit1, stage=published, date=day)
    DiaryEntryFactory(
        person=org.member1, unit=org.unit1, stage=published, date=today() - datetime.timedelta(days=200)
    )
    services.stage_norm_set(
        agency=org.agency,
        task_code="C.01",
        order=2,
        norm_minutes=300,
        reason="Hiệu chỉnh theo dữ liệu: trung vị 300 phút/sản phẩm",
        by=org.catalog_manager,
    )
    draft = selectors.draft_of(org.agency)
    reply = draft.tasks.get(code="B.01")
    services.task_update(
        task=reply,
        data=services.TaskInput(code="B.01", name="Soạn văn bản trả lời", group="B", output_unit="văn bản"),
        stages=[services.StageInput(2, "Trình ký", 15)],
        by=org.catalog_manager,
    )

    with django_assert_max_num_queries(30):
        response = manager.get(reverse("catalog:publish", args=[org.agency.code]))

    budget, reply_change = sorted(
        response.context["preview"], key=lambda change: change.after.code, reverse=True
    )
    [stage] = budget.stages
    assert (stage.before.norm_minutes, stage.after.norm_minutes, stage.entries) == (240, 300, 2)
    assert stage.reason == "Hiệu chỉnh theo dữ liệu: trung vị 300 phút/sản phẩm"
    assert budget.fields == []
    assert [(s.order, s.before is None, s.after.norm_minutes) for s in reply_change.stages] == [(2, True, 15)]
    assert ("tên công việc", "Soạn thảo văn bản trả lời", "Soạn văn bản trả lời") in reply_change.fields
    assert "<strong>300 phút</strong>" in response.text
    assert "Thẩm định chi tiết · 240 phút" in response.text


def test_an_outsider_cannot_see_the_publish_preview(client, org, catalog):
    client.force_login(org.member_b)

    response = client.get(reverse("catalog:publish", args=[org.agency.code]))

    assert response.status_code in (403, 404)


def test_an_import_preview_names_the_stages_the_file_leaves_out_with_the_work_that_used_them(
    client, org, catalog
):
    from catalog.models import ImportKind

    from .test_import import GOOD_ROWS, check, xlsx

    DiaryEntryFactory(person=org.member1, unit=org.unit1, stage=catalog.budget.stages.get(order=2))
    rows = [row for row in GOOD_ROWS if not (row[0] == "C.01" and row[3] == 2)]

    record = check(org, xlsx(rows))

    assert record.kind == ImportKind.CATALOG
    assert record.summary["removed_stages"] == [
        {"code": "C.01", "order": 2, "name": "Thẩm định chi tiết", "entries": 1}
    ]
    client.force_login(org.catalog_manager)
    page = client.get(reverse("catalog:import_preview", args=[org.agency.code, record.pk]))
    assert "C.01 · 2. Thẩm định chi tiết — đã được dùng trong 1 mục nhật ký" in page.text

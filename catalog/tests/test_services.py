"""The catalog's lifecycle: draft, merge, publish; published versions never change."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from catalog import selectors, services
from catalog.models import CatalogVersion, DeclaredTask, VersionStatus
from catalog.services import StageInput, TaskInput

from .fixtures import catalog_state, task_fingerprint

pytestmark = pytest.mark.usefixtures("frozen_now")  # 10/03/2026


def new_task(code="C.02", name="Thẩm tra quyết toán dự án hoàn thành", stages=((1, "Thẩm tra", 480),)):
    return TaskInput(
        code=code,
        name=name,
        group="C",
        output_unit="dự án",
        stages=tuple(StageInput(order, stage_name, minutes) for order, stage_name, minutes in stages),
    )


def test_opening_a_draft_copies_the_published_version_and_takes_the_merges_along(org, catalog):
    draft = services.draft_open(agency=org.agency, by=org.catalog_manager)

    assert (draft.number, draft.status) == (2, VersionStatus.DRAFT)
    assert [task_fingerprint(t) for t in selectors.tasks_of(draft)] == [
        task_fingerprint(t) for t in selectors.tasks_of(catalog.version)
    ]
    assert set(
        DeclaredTask.objects.filter(standard_task__isnull=False).values_list(
            "standard_task__version", flat=True
        )
    ) == {draft.pk}
    assert services.draft_open(agency=org.agency, by=org.catalog_manager) == draft


def test_a_published_version_cannot_be_edited(org, catalog):
    with pytest.raises(ValidationError, match="danh mục đã ban hành"):
        services.task_update(task=catalog.budget, data=new_task(code="C.01"), by=org.catalog_manager)
    with pytest.raises(ValidationError, match="danh mục đã ban hành"):
        services.task_create(version=catalog.version, data=new_task(), by=org.catalog_manager)


def test_merging_three_declared_tasks_into_a_new_standard_task(org, catalog):
    ids = [d.pk for d in catalog.declared[2:]]

    task = services.declared_merge_into_new(
        agency=org.agency, declared_ids=ids, data=new_task(stages=()), by=org.catalog_manager
    )

    assert task.version.is_draft
    assert set(task.declared_tasks.values_list("pk", flat=True)) == set(ids)
    assert selectors.summary(org.agency, task.version).merged == 5


def test_merging_into_an_existing_task_and_undoing_it_before_publishing(org, catalog):
    draft = services.draft_open(agency=org.agency, by=org.catalog_manager)
    budget = draft.tasks.get(code="C.01")
    third = catalog.declared[2]

    services.declared_merge(agency=org.agency, declared_ids=[third.pk], task=budget, by=org.catalog_manager)
    assert budget.declared_tasks.count() == 3
    services.declared_unmerge(agency=org.agency, declared_ids=[third.pk], by=org.catalog_manager)

    third.refresh_from_db()
    assert third.standard_task is None
    assert third.history.first().history_user == org.catalog_manager


def test_merges_cannot_change_while_no_draft_is_open(org, catalog):
    with pytest.raises(ValidationError, match="Hãy mở bản nháp"):
        services.declared_unmerge(
            agency=org.agency, declared_ids=[catalog.declared[0].pk], by=org.catalog_manager
        )


def test_declared_tasks_of_another_agency_cannot_be_merged(org, catalog):
    from .factories import DeclaredTaskFactory

    foreign = DeclaredTaskFactory(agency=org.other_agency, person=org.member_b)
    draft = services.draft_open(agency=org.agency, by=org.catalog_manager)

    with pytest.raises(ValidationError, match="không còn tồn tại"):  # as far as this agency can tell
        services.declared_merge(
            agency=org.agency,
            declared_ids=[foreign.pk],
            task=draft.tasks.get(code="C.01"),
            by=org.catalog_manager,
        )
    foreign.refresh_from_db()
    assert foreign.standard_task is None


def test_discarding_the_draft_undoes_its_merges(org, catalog):
    before = catalog_state(org.agency)
    services.declared_merge_into_new(
        agency=org.agency, declared_ids=[catalog.declared[2].pk], data=new_task(), by=org.catalog_manager
    )

    services.draft_discard(agency=org.agency, by=org.catalog_manager)

    assert catalog_state(org.agency) == before


def test_publishing_needs_stages_on_every_task_in_use(org, catalog):
    services.declared_merge_into_new(
        agency=org.agency,
        declared_ids=[catalog.declared[2].pk],
        data=new_task(stages=()),
        by=org.catalog_manager,
    )

    with pytest.raises(ValidationError, match=r"C\.02"):
        services.catalog_publish(agency=org.agency, effective_from=datetime.date(2026, 3, 10), by=org.leader)
    assert selectors.draft_of(org.agency) is not None


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (datetime.date(2026, 3, 9), "không được là một ngày trong quá khứ"),
        (datetime.date(2025, 12, 31), r"không được trước ngày áp dụng của phiên bản 1 \(01/01/2026\)"),
    ],
)
def test_publishing_refuses_a_date_that_would_rewrite_history(org, catalog, day, message):
    services.draft_open(agency=org.agency, by=org.catalog_manager)

    with pytest.raises(ValidationError, match=message):
        services.catalog_publish(agency=org.agency, effective_from=day, by=org.leader)


def test_a_later_norm_leaves_earlier_figures_unchanged(org, catalog):
    draft = services.draft_open(agency=org.agency, by=org.catalog_manager)
    budget = draft.tasks.get(code="C.01")
    services.task_update(
        task=budget,
        data=TaskInput(
            code="C.01",
            name=budget.name,
            group="C",
            output_unit="hồ sơ",
            evidence_kind="document",
            description=budget.description,
        ),
        stages=[
            StageInput(1, "Tiếp nhận, kiểm tra hồ sơ", 90, id=budget.stages.get(order=1).pk),
            StageInput(2, "Thẩm định chi tiết", 240, id=budget.stages.get(order=2).pk),
        ],
        by=org.catalog_manager,
    )

    services.catalog_publish(agency=org.agency, effective_from=datetime.date(2026, 3, 20), by=org.leader)

    assert selectors.norm_on(org.agency, "C.01", 1, datetime.date(2026, 3, 19)) == 60
    assert selectors.norm_on(org.agency, "C.01", 1, datetime.date(2026, 3, 20)) == 90
    assert selectors.version_on(org.agency, datetime.date(2026, 3, 19)) == catalog.version
    # The stage an earlier diary entry points at still says 60 minutes.
    assert catalog.budget.stages.get(order=1).norm_minutes == 60
    assert list(selectors.picker_tasks(org.agency, datetime.date(2026, 3, 10))) == list(
        selectors.tasks_of(catalog.version, active_only=True)
    )


def test_publishing_the_draft_makes_it_the_catalog_from_its_date(org, catalog):
    services.declared_merge_into_new(
        agency=org.agency, declared_ids=[catalog.declared[2].pk], data=new_task(), by=org.catalog_manager
    )

    version = services.catalog_publish(
        agency=org.agency, effective_from=datetime.date(2026, 3, 10), note="Thêm C.02", by=org.leader
    )

    assert version.status == VersionStatus.PUBLISHED
    assert version.published_by == org.leader
    assert selectors.version_on(org.agency, datetime.date(2026, 3, 10)) == version
    assert selectors.draft_of(org.agency) is None
    assert CatalogVersion.objects.filter(agency=org.agency).count() == 2


def test_a_stage_list_with_a_repeated_order_is_refused_whole(org, catalog):
    draft = services.draft_open(agency=org.agency, by=org.catalog_manager)
    before = catalog_state(org.agency)

    with pytest.raises(ValidationError, match="trùng số thứ tự"):
        services.task_update(
            task=draft.tasks.get(code="B.01"),
            data=new_task(code="B.01"),
            stages=[StageInput(1, "Dự thảo", 30), StageInput(1, "Trình ký", 20)],
            by=org.catalog_manager,
        )
    assert catalog_state(org.agency) == before


def test_reordering_stages_keeps_the_rows(org, catalog):
    draft = services.draft_open(agency=org.agency, by=org.catalog_manager)
    task = draft.tasks.get(code="C.01")

    services.task_update(
        task=task,
        data=TaskInput(code="C.01", name=task.name, group="C", output_unit="hồ sơ", evidence_kind="document"),
        stages=[
            StageInput(1, "Thẩm định chi tiết", 240, id=task.stages.get(order=2).pk),
            StageInput(2, "Tiếp nhận, kiểm tra hồ sơ", 60, id=task.stages.get(order=1).pk),
        ],
        by=org.catalog_manager,
    )

    assert list(task.stages.order_by("order").values_list("name", flat=True)) == [
        "Thẩm định chi tiết",
        "Tiếp nhận, kiểm tra hồ sơ",
    ]

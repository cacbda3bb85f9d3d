"""The province's common catalog: groups A, B and D kept by the Department of Home Affairs, each
agency's own group C beside them, and proposals from the agencies."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalog import selectors, services
from catalog.models import CatalogProposal, CatalogVersion, ProposalStatus, StandardTask, VersionStatus
from catalog.services import StageInput, TaskInput
from catalog.tests.factories import CatalogVersionFactory, StageFactory, StandardTaskFactory
from org.models import Role
from org.tests.factories import TODAY, MembershipFactory, RoleAssignmentFactory
from worklog import services as worklog_services
from worklog.services import EntryInput

pytestmark = pytest.mark.usefixtures("frozen_now")


@pytest.fixture
def province(org):
    return org.agency.province


@pytest.fixture
def noivu(org, province):
    """The Department of Home Affairs' HR officer, with province scope."""
    person = MembershipFactory(unit=org.other_agency.units.get(code="QLXD"), person__username="noivu").person
    RoleAssignmentFactory(person=person, role=Role.HR, agency=None, province=province)
    return person


@pytest.fixture
def sxd(org):
    """SXD's own catalog: its group C task C.20 and a B.01 of its own, in force since 1/1/2026."""
    version = CatalogVersionFactory(agency=org.other_agency, number=1)
    design = StandardTaskFactory(version=version, code="C.20", name="Thẩm định thiết kế xây dựng")
    StageFactory(task=design, order=1, name="Thẩm định hồ sơ", norm_minutes=120)
    reply = StandardTaskFactory(version=version, code="B.01", name="Văn bản trả lời của SXD", group="B")
    StageFactory(task=reply, order=1, name="Dự thảo", norm_minutes=45)
    return version


def publish_common(province, noivu, org, on=TODAY) -> CatalogVersion:
    services.draft_open(agency=province, by=noivu, start_from=org.agency)
    return services.catalog_publish(agency=province, effective_from=on, by=noivu)


def codes_in_force(agency, on=TODAY) -> dict[str, str]:
    """code → whose catalog (an agency code, or the province's)."""
    return {
        t.code: (t.version.agency.code if t.version.agency else t.version.province.code)
        for t in selectors.tasks_in_force(agency, on).select_related("version__agency", "version__province")
    }


def state() -> tuple:
    return (
        tuple(CatalogVersion.objects.order_by("pk").values_list("pk", "status", "number")),
        tuple(StandardTask.objects.order_by("pk").values_list("pk", "code", "group", "name")),
        CatalogProposal.objects.count(),
    )


def test_the_common_catalog_is_in_force_in_every_agency_beside_its_own_group_c(
    org, catalog, sxd, province, noivu
):
    common = publish_common(province, noivu, org)

    assert list(common.tasks.values_list("code", "group")) == [("B.01", "B")]
    assert codes_in_force(org.agency) == {"B.01": "KHA", "C.01": "STC"}
    assert codes_in_force(org.other_agency) == {"B.01": "KHA", "C.20": "SXD"}
    # Before its effective date each agency still works with its own catalog, whole.
    assert codes_in_force(org.other_agency, TODAY - datetime.timedelta(days=1)) == {
        "B.01": "SXD",
        "C.20": "SXD",
    }
    assert selectors.norm_on(org.other_agency, "B.01", 1, TODAY) == 90


def test_staff_log_work_on_a_common_stage_with_its_norm_frozen(org, catalog, province, noivu):
    common = publish_common(province, noivu, org)
    stage = common.tasks.get(code="B.01").stages.get()

    entry = worklog_services.entry_create(
        person=org.member1, day=TODAY, data=EntryInput(stage=stage, quantity=Decimal("2")), by=org.member1
    ).entry

    assert (entry.task.version, entry.norm_minutes, entry.standard_minutes) == (common, 90, Decimal("180"))
    with pytest.raises(ValidationError):
        worklog_services.entry_create(
            person=org.member1,
            day=TODAY,
            data=EntryInput(stage=catalog.reply.stages.get(), quantity=Decimal("1")),
            by=org.member1,
        )


def test_an_agency_draft_under_the_common_catalog_holds_only_its_group_c(org, catalog, province, noivu):
    publish_common(province, noivu, org)

    draft = services.draft_open(agency=org.agency, by=org.catalog_manager)

    assert list(draft.tasks.values_list("code", flat=True)) == ["C.01"]


def test_an_agency_draft_still_holding_common_groups_cannot_be_published(org, catalog, province, noivu):
    services.draft_open(agency=org.agency, by=org.catalog_manager)  # opened before: B.01 copied in
    publish_common(province, noivu, org)

    with pytest.raises(ValidationError, match=r"B\.01"):
        services.catalog_publish(agency=org.agency, effective_from=TODAY, by=org.leader)


def task(code, group="C", minutes=60):
    return TaskInput(
        code=code,
        name="Công việc thử",
        group=group,
        output_unit="hồ sơ",
        stages=(StageInput(1, "Bước", minutes),),
    )


@pytest.mark.parametrize(
    ("where", "data", "message"),
    [
        ("province", task("C.90", group="C"), "nhóm C là danh mục riêng"),
        ("province", task("C.01", group="B"), "danh mục riêng của STC"),
        ("province", task("B.90", group="B", minutes=0), "Định mức phải"),
        ("agency", task("B.01", group="C"), "danh mục dùng chung của tỉnh"),
        ("agency", task("A.90", group="A"), "Nhóm A, B và D lấy từ danh mục dùng chung"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(
    org, catalog, province, noivu, where, data, message
):
    publish_common(province, noivu, org)
    owner, by = (province, noivu) if where == "province" else (org.agency, org.catalog_manager)
    draft = services.draft_open(agency=owner, by=by)
    before = state()

    with pytest.raises(ValidationError, match=message):
        services.task_create(version=draft, data=data, by=by)

    assert state() == before


def test_the_province_task_page_refuses_a_group_c_with_the_message(client, org, catalog, province, noivu):
    client.force_login(noivu)
    client.post(reverse("catalog:draft_open", args=[province.code]), {"start_from": "STC"})
    before = state()

    response = client.post(
        reverse("catalog:task_create", args=[province.code]),
        {"code": "C.77", "name": "Sai nhóm", "group": "C", "output_unit": "hồ sơ", "evidence_kind": "none",
         "active": "on", "stages-TOTAL_FORMS": "1", "stages-INITIAL_FORMS": "0", "stages-MIN_NUM_FORMS": "0",
         "stages-MAX_NUM_FORMS": "30", "stages-0-order": "1", "stages-0-name": "Bước",
         "stages-0-norm_minutes": "30"},
    )  # fmt: skip

    assert response.status_code == 200
    assert "nhóm C là danh mục riêng của từng cơ quan" in response.text
    assert state() == before


def test_another_agency_reads_the_common_catalog_but_cannot_change_it(
    client, org, catalog, sxd, province, noivu
):
    common = publish_common(province, noivu, org)
    services.draft_open(agency=province, by=noivu)
    draft_task = selectors.draft_of(province).tasks.get(code="B.01")
    RoleAssignmentFactory(person=org.leader_b, role=Role.CATALOG_MANAGER, agency=org.other_agency)
    client.force_login(org.leader_b)

    assert client.get(reverse("catalog:home", args=[province.code])).status_code == 200
    published_task = common.tasks.get(code="B.01")
    assert client.get(reverse("catalog:task", args=[province.code, published_task.pk])).status_code == 200
    assert client.get(reverse("catalog:task_edit", args=[province.code, draft_task.pk])).status_code == 403
    assert client.post(reverse("catalog:publish", args=[province.code])).status_code == 403
    assert client.post(reverse("catalog:draft_discard", args=[province.code])).status_code == 403
    # STC's catalog manager neither.
    client.force_login(org.catalog_manager)
    assert client.get(reverse("catalog:task_edit", args=[province.code, draft_task.pk])).status_code == 403


def test_an_outsider_of_the_province_does_not_see_the_common_catalog(client, org, province, noivu):
    from org.tests.factories import AgencyFactory, ProvinceFactory, UnitFactory

    elsewhere = AgencyFactory(code="STC-DN", province=ProvinceFactory(code="DNG", name="Đà Nẵng"))
    person = MembershipFactory(unit=UnitFactory(agency=elsewhere, code="P1"), person__username="dn").person
    client.force_login(person)

    assert client.get(reverse("catalog:home", args=[province.code])).status_code == 404


# --- proposals ---


def test_an_agency_proposes_and_the_province_decides_with_a_reason(client, org, catalog, province, noivu):
    publish_common(province, noivu, org)
    client.force_login(org.catalog_manager)
    page = reverse("catalog:proposals", args=[org.agency.code])

    client.post(page, {"task_code": "B.01", "text": "Định mức 90 phút thấp hơn thực tế: trung vị 120 phút."})

    proposal = CatalogProposal.objects.get()
    assert (proposal.agency, proposal.task_code, proposal.status) == (org.agency, "B.01", ProposalStatus.OPEN)
    client.force_login(noivu)
    province_page = reverse("catalog:proposals", args=[province.code])
    assert "trung vị 120 phút" in client.get(province_page).text

    client.post(province_page, {"proposal": proposal.pk, "decision": "reject", "reason": "Chưa đủ số liệu."})

    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision_reason, proposal.decided_by) == (
        ProposalStatus.REJECTED,
        "Chưa đủ số liệu.",
        noivu,
    )
    assert org.catalog_manager.notifications.filter(body="Chưa đủ số liệu.").exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"task_code": "Z.99", "text": "Một đề xuất đủ dài để gửi."}, "task_code"),
        ({"task_code": "B.01", "text": "ngắn"}, "text"),
        ({"task_code": "B.01", "text": ""}, "text"),
    ],
)
def test_a_bad_proposal_is_refused_and_nothing_is_sent(client, org, catalog, province, noivu, data, field):
    publish_common(province, noivu, org)
    client.force_login(org.catalog_manager)

    response = client.post(reverse("catalog:proposals", args=[org.agency.code]), data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not CatalogProposal.objects.exists()


def test_a_decision_without_a_reason_is_refused(client, org, catalog, province, noivu):
    publish_common(province, noivu, org)
    proposal = services.proposal_create(
        agency=org.agency, task_code="B.01", text="Đề nghị tăng định mức.", by=org.catalog_manager
    )
    client.force_login(noivu)

    client.post(
        reverse("catalog:proposals", args=[province.code]), {"proposal": proposal.pk, "decision": "accept"}
    )

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN


def test_staff_cannot_open_the_proposals(client, org, catalog, province, noivu):
    client.force_login(org.member1)

    assert client.get(reverse("catalog:proposals", args=[org.agency.code])).status_code == 403
    assert client.get(reverse("catalog:proposals", args=[province.code])).status_code == 403


def test_the_proposal_pages_keep_a_bounded_number_of_queries(
    client, org, catalog, province, noivu, django_assert_max_num_queries
):
    publish_common(province, noivu, org)
    for n in range(20):
        services.proposal_create(
            agency=org.agency, task_code="B.01", text=f"Đề xuất số {n:02d}.", by=org.catalog_manager
        )
    client.force_login(noivu)

    with django_assert_max_num_queries(15):
        response = client.get(reverse("catalog:proposals", args=[province.code]))

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 20


def test_the_first_common_draft_starts_from_the_chosen_agency_and_only_its_groups_a_b_d(
    client, org, catalog, province, noivu
):
    client.force_login(noivu)

    client.post(reverse("catalog:draft_open", args=[province.code]), {"start_from": "STC"})

    draft = selectors.draft_of(province)
    assert (draft.province, draft.agency, draft.status) == (province, None, VersionStatus.DRAFT)
    assert list(draft.tasks.values_list("code", "agency")) == [("B.01", None)]

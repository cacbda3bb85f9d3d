"""Catalog fixtures shared by every app's tests (loaded by the root conftest.py)."""

from dataclasses import dataclass

import pytest

from catalog.models import CatalogVersion, DeclaredTask, StandardTask
from catalog.tests.factories import (
    CatalogVersionFactory,
    DeclaredTaskFactory,
    StageFactory,
    StandardTaskFactory,
)


@dataclass
class Catalog:
    """Agency A's published version 1 (two tasks) and five declared tasks, two merged."""

    version: CatalogVersion
    budget: StandardTask  # C.01, stages 60 + 240 minutes
    reply: StandardTask  # B.01, one stage of 90 minutes
    declared: list[DeclaredTask]


@pytest.fixture
def catalog(org) -> Catalog:
    version = CatalogVersionFactory(agency=org.agency, number=1)
    budget = StandardTaskFactory(version=version, code="C.01", name="Thẩm định dự toán ngân sách")
    StageFactory(task=budget, order=1, name="Tiếp nhận, kiểm tra hồ sơ", norm_minutes=60)
    StageFactory(task=budget, order=2, name="Thẩm định chi tiết", norm_minutes=240)
    reply = StandardTaskFactory(version=version, code="B.01", name="Soạn thảo văn bản trả lời", group="B")
    StageFactory(task=reply, order=1, name="Dự thảo văn bản", norm_minutes=90)
    texts = [
        (org.unit1, "Thẩm định dự toán Sở Y tế", budget),
        (org.unit1, "Thẩm định dự toán Sở Giáo dục", budget),
        (org.unit1, "Thẩm tra quyết toán dự án đường ven biển", None),
        (org.unit2, "Thẩm tra QTDA hoàn thành Cam Ranh", None),
        (org.unit2, "Quyết toán dự án hoàn thành Ninh Hòa", None),
    ]
    declared = [
        DeclaredTaskFactory(agency=org.agency, unit=unit, text=text, standard_task=task)
        for unit, text, task in texts
    ]
    return Catalog(version=version, budget=budget, reply=reply, declared=declared)


def catalog_state(agency) -> tuple:
    """Everything an import or a refused action must leave unchanged."""
    versions = CatalogVersion.objects.filter(agency=agency).order_by("number")
    tasks = StandardTask.objects.filter(agency=agency).select_related("version")
    declared = DeclaredTask.objects.filter(agency=agency).order_by("pk")
    return (
        tuple(versions.values_list("number", "status")),
        tuple((t.version.number, *task_fingerprint(t)) for t in tasks.order_by("version__number", "code")),
        tuple(declared.values_list("text", "unit_id", "standard_task__code")),
    )


def task_fingerprint(task: StandardTask) -> tuple:
    stages = tuple(task.stages.order_by("order").values_list("order", "name", "norm_minutes"))
    fields = ("code", "name", "group", "output_unit", "evidence_kind", "description", "active")
    return (*(getattr(task, f) for f in fields), stages)

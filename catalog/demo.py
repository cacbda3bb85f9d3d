"""Load the demo catalogs (see demo_data.py) as published version 1 of each agency."""

from __future__ import annotations

import datetime

from django.utils import timezone

from org.models import Agency, Unit, User

from .demo_data import (
    SNV_DECLARED,
    SNV_TASKS,
    STC_DECLARED,
    STC_TASKS,
    SXD_DECLARED,
    SXD_TASKS,
    DemoDeclared,
    DemoTask,
)
from .models import CatalogVersion, DeclaredTask, Stage, StandardTask, VersionStatus

EFFECTIVE_FROM = datetime.date(2026, 1, 1)
# Declared after the catalog was published and not merged yet: work for the catalog manager.
STC_NEW_DECLARED = [
    ("Rà soát, sắp xếp tài sản công sau hợp nhất tỉnh Khánh Hòa và Ninh Thuận", "GCS"),
    ("Tổng hợp nhà, đất dôi dư của các xã sau sắp xếp đơn vị hành chính", "GCS"),
    ("Bàn giao hồ sơ tài sản công của huyện cũ cho các xã mới", "GCS"),
    ("Hướng dẫn quyết toán kinh phí hoạt động năm 2025 của các xã mới thành lập", "NS"),
    ("Cập nhật dữ liệu dự án lên Hệ thống thông tin quốc gia về đầu tư công", "DT"),
]
CATALOGS = {
    "STC": (STC_TASKS, STC_DECLARED),
    "SXD": (SXD_TASKS, SXD_DECLARED),
    "SNV": (SNV_TASKS, SNV_DECLARED),
}


def seed_catalogs(by: User | None) -> dict[str, tuple[int, int]]:
    """(standard tasks, declared tasks) per agency. An agency that has a catalog keeps it."""
    counts = {}
    for code, (tasks, declared) in CATALOGS.items():
        agency = Agency.objects.get(code=code)
        if not CatalogVersion.objects.filter(agency=agency).exists():
            _load(agency, tasks, declared, by)
        if code == "STC":
            _add_unmerged(agency, STC_NEW_DECLARED)
        counts[code] = (
            StandardTask.objects.filter(
                version__agency=agency, version__status=VersionStatus.PUBLISHED
            ).count(),
            DeclaredTask.objects.filter(agency=agency).count(),
        )
    return counts


def _add_unmerged(agency: Agency, declared: list[tuple[str, str]]) -> None:
    units = {u.code: u for u in Unit.objects.filter(agency=agency)}
    for text, unit in declared:
        DeclaredTask.objects.get_or_create(
            agency=agency, unit=units[unit], text=text, defaults={"source": "Dữ liệu mẫu (kê khai mới)"}
        )


def _load(
    agency: Agency, tasks: tuple[DemoTask, ...], declared: tuple[DemoDeclared, ...], by: User | None
) -> None:
    version = CatalogVersion.objects.create(
        agency=agency,
        number=1,
        status=VersionStatus.PUBLISHED,
        effective_from=EFFECTIVE_FROM,
        published_at=timezone.now(),
        published_by=by,
        created_by=by,
        note="Danh mục ban đầu (dữ liệu mẫu)",
    )
    created = StandardTask.objects.bulk_create(
        StandardTask(
            version=version,
            agency=agency,
            code=t.code,
            name=t.name,
            group=t.group,
            description=t.description,
            output_unit=t.output_unit,
            evidence_kind=t.evidence,
        )
        for t in tasks
    )
    by_code = {task.code: task for task in created}
    Stage.objects.bulk_create(
        Stage(task=by_code[t.code], order=order, name=s.name, norm_minutes=s.minutes)
        for t in tasks
        for order, s in enumerate(t.stages, start=1)
    )
    units = {u.code: u for u in Unit.objects.filter(agency=agency)}
    DeclaredTask.objects.bulk_create(
        DeclaredTask(
            agency=agency,
            unit=units[d.unit],
            text=d.text,
            source="Dữ liệu mẫu",
            standard_task=by_code[d.task],
        )
        for d in declared
    )

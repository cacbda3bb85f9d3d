"""Reads of the task catalog."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from django.db import models
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from org.models import Agency, Province
from org.selectors import today as version_today

from . import usage
from .models import (
    COMMON_GROUPS,
    WORKING_STATUSES,
    CatalogVersion,
    DeclaredTask,
    Stage,
    StandardTask,
    TaskGroup,
    VersionStatus,
)

# Whose catalog: an agency's own, or a province's common catalog (groups A, B and D).
Owner = Agency | Province


def owned_by(owner: Owner) -> Q:
    """The versions of ``owner``'s catalog."""
    if isinstance(owner, Province):
        return Q(province=owner, agency__isnull=True)
    return Q(agency=owner)


def published_versions(agency: Owner) -> QuerySet[CatalogVersion]:
    return CatalogVersion.objects.filter(owned_by(agency), status=VersionStatus.PUBLISHED)


def version_on(agency: Owner, on: datetime.date) -> CatalogVersion | None:
    """The published version staff pick from on date ``on``.

    The one with the latest effective date not after ``on``; if two share that
    date, the one published later (the higher number).
    """
    return (
        published_versions(agency)
        .filter(effective_from__lte=on)
        .order_by("-effective_from", "-number")
        .first()
    )


def latest_published(agency: Owner) -> CatalogVersion | None:
    return published_versions(agency).order_by("-number").first()


def current_version(agency: Owner, on: datetime.date) -> CatalogVersion | None:
    """What readers are shown: the version in force, or the first one while none is in force yet."""
    return version_on(agency, on) or latest_published(agency)


def draft_of(agency: Owner) -> CatalogVersion | None:
    """The version being worked on: a draft, or one waiting for the head's approval."""
    return CatalogVersion.objects.filter(owned_by(agency), status__in=WORKING_STATUSES).first()


def working_version(agency: Owner) -> CatalogVersion | None:
    """What the catalog manager works on: the draft, or else the latest published version."""
    return draft_of(agency) or latest_published(agency)


def tasks_of(version: CatalogVersion, *, active_only: bool = False) -> QuerySet[StandardTask]:
    """A version's tasks with their stages loaded, in group and code order."""
    tasks = version.tasks.prefetch_related(Prefetch("stages", queryset=Stage.objects.order_by("order")))
    if active_only:
        tasks = tasks.filter(active=True)
    return tasks.annotate(declared_count=Count("declared_tasks")).order_by("group", "code")


def task_list(
    version: CatalogVersion,
    *,
    search: str = "",
    group: str = "",
    active: bool | None = None,
    agency: Agency | None = None,
) -> QuerySet[StandardTask]:
    """The tasks of ``version``; with ``agency``, the whole catalog in force today (the province's
    common groups with the agency's own), ``version`` being the agency's version in force."""
    tasks: QuerySet[StandardTask]
    if agency is not None:
        tasks = (
            tasks_in_force(agency, version_today())
            .prefetch_related(Prefetch("stages", queryset=Stage.objects.order_by("order")))
            .annotate(declared_count=Count("declared_tasks"))
            .order_by("group", "code")
        )
    else:
        tasks = tasks_of(version)
    if search:
        tasks = tasks.filter(Q(code__icontains=search) | Q(name__icontains=search))
    if group:
        tasks = tasks.filter(group=group)
    if active is not None:
        tasks = tasks.filter(active=active)
    return tasks


def declared_list(
    agency: Agency, *, search: str = "", unit_id: int | None = None, merged: bool | None = None
) -> QuerySet[DeclaredTask]:
    declared = DeclaredTask.objects.filter(agency=agency).select_related("unit", "person", "standard_task")
    if search:
        declared = declared.filter(Q(text__icontains=search) | Q(standard_task__code__icontains=search))
    if unit_id:
        declared = declared.filter(unit_id=unit_id)
    if merged is True:
        declared = declared.filter(standard_task__isnull=False)
    elif merged is False:
        declared = declared.filter(standard_task__isnull=True)
    return declared.order_by("unit__code", "text", "pk")


@dataclass(frozen=True)
class CatalogSummary:
    declared: int
    merged: int
    standard_tasks: int
    stages: int

    @property
    def unmerged(self) -> int:
        return self.declared - self.merged


def summary(agency: Owner, version: CatalogVersion | None) -> CatalogSummary:
    """The figures of the article: N declared tasks → M standard tasks."""
    declared = DeclaredTask.objects.filter(agency=agency if isinstance(agency, Agency) else None).aggregate(
        total=Count("pk"), merged=Count("pk", filter=Q(standard_task__isnull=False))
    )
    if version is None:
        return CatalogSummary(declared["total"], declared["merged"], 0, 0)
    tasks = version.tasks.filter(active=True).aggregate(
        tasks=Count("pk", distinct=True), stages=Count("stages")
    )
    return CatalogSummary(declared["total"], declared["merged"], tasks["tasks"], tasks["stages"])


def norm_on(agency: Agency, code: str, stage_order: int, on: datetime.date) -> int | None:
    """Minutes per unit of output of a stage on a date, from the catalog in force that day."""
    return (
        Stage.objects.filter(task__in=tasks_in_force(agency, on), task__code=code, order=stage_order)
        .values_list("norm_minutes", flat=True)
        .first()
    )


def common_version_on(agency: Agency, on: datetime.date) -> CatalogVersion | None:
    """The version of the province's common catalog in force for ``agency`` on ``on``, if any."""
    return version_on(Province(pk=agency.province_id), on)


def tasks_in_force(agency: Agency, on: datetime.date) -> QuerySet[StandardTask]:
    """The catalog an agency's staff work with on a date, in use or not: once the province's common
    catalog is in force, its groups A, B and D and the agency's own group C; before, the agency's
    version of that day whole. The one rule every app asks (``picker_tasks``, ``stages_in_force``)."""
    common = common_version_on(agency, on)
    own = version_on(agency, on)
    if common is None and own is None:
        return StandardTask.objects.none()
    if common is None:
        return StandardTask.objects.filter(version=own)
    rule = Q(version=common, group__in=COMMON_GROUPS)
    if own is not None:
        rule |= Q(version=own) & ~Q(group__in=COMMON_GROUPS)
    return StandardTask.objects.filter(rule)


def stages_in_force(agency: Agency, on: datetime.date, *, active_only: bool = True) -> QuerySet[Stage]:
    tasks = tasks_in_force(agency, on)
    if active_only:
        tasks = tasks.filter(active=True)
    return Stage.objects.filter(task__in=tasks).select_related("task")


def picker_tasks(agency: Agency, on: datetime.date) -> QuerySet[StandardTask]:
    """Tasks staff may log work against on a date: the active tasks in force that day."""
    tasks = tasks_in_force(agency, on).filter(active=True)
    return (
        tasks.prefetch_related(Prefetch("stages", queryset=Stage.objects.order_by("order")))
        .annotate(declared_count=Count("declared_tasks"))
        .order_by("group", "code")
    )


@dataclass(frozen=True)
class Changes:
    added: list[StandardTask]
    removed: list[StandardTask]
    changed: list[StandardTask]

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def _fingerprint(task: StandardTask) -> tuple:
    return (
        task.name,
        task.group,
        task.description,
        task.output_unit,
        task.evidence_kind,
        task.active,
        tuple((s.order, s.name, s.norm_minutes) for s in task.stages.all()),
    )


def changes(published: CatalogVersion | None, draft: CatalogVersion) -> Changes:
    """What publishing ``draft`` would change, task by task (matched by code)."""
    before = {t.code: t for t in tasks_of(published)} if published else {}
    after = {t.code: t for t in tasks_of(draft)}
    return Changes(
        added=[t for code, t in after.items() if code not in before],
        removed=[t for code, t in before.items() if code not in after],
        changed=[
            t for code, t in after.items() if code in before and _fingerprint(t) != _fingerprint(before[code])
        ],
    )


@dataclass(frozen=True)
class StageUse:
    """A stage and the diary entries recorded on it (in every version of the catalog)."""

    stage: Stage
    entries: int


def stage_uses(task: StandardTask, stage_ids: Iterable[int]) -> list[StageUse]:
    """The stages of ``task`` among ``stage_ids``, in order, each with how much work used it."""
    ids = list(stage_ids)
    if not ids:
        return []
    # The saved code: a form bound to ``task`` may have set the one being typed.
    code = StandardTask.objects.values_list("code", flat=True).get(pk=task.pk)
    stages = list(Stage.objects.filter(task_id=task.pk, pk__in=ids).order_by("order"))
    counts = usage.stage_usage(task.version.owner, [(code, stage.order) for stage in stages])
    return [StageUse(stage, counts[(code, stage.order)]) for stage in stages]


def next_codes(version: CatalogVersion) -> dict[str, str]:
    """The next free code of each group in ``version``: C.27 after C.26 (two digits at least)."""
    highest: dict[str, int] = dict.fromkeys(TaskGroup.values, 0)
    for code in version.tasks.values_list("code", flat=True):
        group, _dot, suffix = code.partition(".")
        if group in highest and suffix.isdigit():
            highest[group] = max(highest[group], int(suffix))
    return {group: f"{group}.{n + 1:02d}" for group, n in highest.items()}


@dataclass(frozen=True)
class StageChange:
    """One stage of a task as the draft changes it: ``before``/``after`` are None when added/removed."""

    order: int
    before: Stage | None
    after: Stage | None
    entries: int  # diary entries on the published stage in the recent months
    reason: str = ""  # why, when the change said (a calibration's evidence)


@dataclass(frozen=True)
class TaskChange:
    before: StandardTask
    after: StandardTask
    fields: list[tuple[str, str, str]]  # (label, old, new)
    stages: list[StageChange]


def _field_changes(before: StandardTask, after: StandardTask) -> list[tuple[str, str, str]]:
    changed = []
    for name in ("name", "group", "output_unit", "evidence_kind", "active", "description"):
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            field = cast(models.Field, StandardTask._meta.get_field(name))
            label = str(field.verbose_name)
            if field.choices:
                old, new = getattr(before, f"get_{name}_display")(), getattr(after, f"get_{name}_display")()
            elif isinstance(old, bool):
                old, new = yesno(old), yesno(new)
            changed.append((label, str(old), str(new)))
    return changed


def yesno(value: bool) -> str:
    return str(_("yes") if value else _("no"))


def publish_preview(
    agency: Owner, published: CatalogVersion | None, draft: CatalogVersion, *, since: datetime.date
) -> list[TaskChange]:
    """Every changed task of ``draft`` against ``published``, field by field and stage by stage
    (old → new), with the entries each changed stage had since ``since``."""
    if published is None:
        return []
    before = {t.code: t for t in tasks_of(published)}
    changed = [
        task
        for task in tasks_of(draft)
        if task.code in before and _fingerprint(task) != _fingerprint(before[task.code])
    ]
    reasons = {
        row["id"]: row["history_change_reason"]
        for row in Stage.history.filter(task__version=draft, history_date__gte=draft.created_at)
        .exclude(history_change_reason__isnull=True)
        .exclude(history_change_reason__startswith="copy of")
        .order_by("history_id")
        .values("id", "history_change_reason")
    }
    result, keys = [], []
    for task in changed:
        old_stages = {s.order: s for s in before[task.code].stages.all()}
        new_stages = {s.order: s for s in task.stages.all()}
        stages = []
        for order in sorted(old_stages.keys() | new_stages.keys()):
            old, new = old_stages.get(order), new_stages.get(order)
            if old and new and (old.name, old.norm_minutes) == (new.name, new.norm_minutes):
                continue
            stages.append((order, old, new))
            if old is not None:
                keys.append((task.code, order))
        result.append((task, stages))
    counts = usage.stage_usage(agency, keys, since=since)
    return [
        TaskChange(
            before=before[task.code],
            after=task,
            fields=_field_changes(before[task.code], task),
            stages=[
                StageChange(
                    order=order,
                    before=old,
                    after=new,
                    entries=counts.get((task.code, order), 0),
                    reason=reasons.get(new.pk, "") if new else "",
                )
                for order, old, new in stages
            ],
        )
        for task, stages in result
    ]

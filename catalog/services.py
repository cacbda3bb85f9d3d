"""Writes to the task catalog.

Only a draft changes. Every service checks that, validates, saves and records
who acted (django-simple-history), inside one transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kpi_portal.history import set_history_user
from org import selectors as org_selectors
from org.models import Agency, Province, User
from org.notifications import notify
from org.selectors import today

from . import selectors
from .models import (
    COMMON_GROUPS,
    MAX_NORM_MINUTES,
    WORKING_STATUSES,
    CatalogProposal,
    CatalogVersion,
    DeclaredTask,
    EvidenceKind,
    ProposalStatus,
    Stage,
    StandardTask,
    TaskGroup,
    VersionStatus,
)
from .selectors import Owner

# Added to the order of stages that move while a task is saved, so that two can swap places.
REORDER_OFFSET = 1000

TASK_FIELDS = ("code", "name", "group", "description", "output_unit", "evidence_kind", "active")


@dataclass(frozen=True)
class StageInput:
    """A stage as it should be: ``id`` names the draft row it changes; ``None`` adds a stage."""

    order: int
    name: str
    norm_minutes: int
    id: int | None = None


@dataclass(frozen=True)
class TaskInput:
    code: str
    name: str
    group: str
    output_unit: str
    evidence_kind: str = EvidenceKind.NONE
    description: str = ""
    active: bool = True
    stages: tuple[StageInput, ...] = ()


def _lock_agency(agency: Owner) -> None:
    """Serialise catalog writes of one catalog (two managers, one draft): its agency's or its
    province's row. A province's lock also orders its common catalog's code checks against the
    agencies' (each agency's writes lock the province too when it has a common catalog)."""
    type(agency).objects.select_for_update().filter(pk=agency.pk).first()
    if isinstance(agency, Agency) and _has_common_catalog(agency):
        Province.objects.select_for_update().filter(pk=agency.province_id).first()


def _has_common_catalog(agency: Agency) -> bool:
    """The agency's province keeps a common catalog (published or being prepared)."""
    return CatalogVersion.objects.filter(province_id=agency.province_id, agency__isnull=True).exists()


def _require_draft(version: CatalogVersion) -> None:
    if version.is_submitted:
        raise ValidationError(
            _("This draft is waiting for the head's approval. Ask the head to send it back to change it.")
        )
    if not version.is_draft:
        raise ValidationError(_("A published catalog cannot be changed. Open a draft to make changes."))


@transaction.atomic
def draft_open(*, agency: Owner, by: User | None, start_from: Agency | None = None) -> CatalogVersion:
    """The catalog's draft, created as a copy of its latest published version if there is none.

    Once the province keeps a common catalog, an agency's draft holds only its own group C; the
    province's first common draft may start from the groups A, B and D of an agency's catalog
    (``start_from``).
    """
    _lock_agency(agency)
    draft = selectors.draft_of(agency)
    if draft is not None:
        return draft
    base = selectors.latest_published(agency)
    groups: Collection[str] | None = None
    if isinstance(agency, Province):
        groups = COMMON_GROUPS
        if base is None and start_from is not None:
            if start_from.province_id != agency.pk:
                raise ValidationError(_("Start from an agency of this province."))
            base = selectors.latest_published(start_from)
    elif _has_common_catalog(agency):
        groups = [g for g in TaskGroup.values if g not in COMMON_GROUPS]
    numbers = CatalogVersion.objects.filter(selectors.owned_by(agency)).aggregate(n=Max("number"))
    draft = CatalogVersion(
        **_owner_fields(agency), number=(numbers["n"] or 0) + 1, status=VersionStatus.DRAFT, created_by=by
    )
    set_history_user(draft, by=by)
    draft.save()
    if base is not None:
        _copy_tasks(base, draft, by, groups=groups)
    return draft


def _owner_fields(owner: Owner) -> dict[str, Owner]:
    return {"province": owner} if isinstance(owner, Province) else {"agency": owner}


def _copy_tasks(
    source: CatalogVersion, target: CatalogVersion, by: User | None, *, groups: Collection[str] | None = None
) -> None:
    reason = f"copy of v{source.number}"
    originals = list(source.tasks.prefetch_related("stages"))
    if groups is not None:
        originals = [t for t in originals if t.group in groups]
    copies = [
        StandardTask(version=target, agency=target.agency, **{f: getattr(t, f) for f in TASK_FIELDS})
        for t in originals
    ]
    bulk_create_with_history(copies, StandardTask, default_user=by, default_change_reason=reason)
    copy_of = {t.code: t for t in StandardTask.objects.filter(version=target)}
    stages = [
        Stage(task=copy_of[t.code], order=s.order, name=s.name, norm_minutes=s.norm_minutes)
        for t in originals
        for s in t.stages.all()
    ]
    bulk_create_with_history(stages, Stage, default_user=by, default_change_reason=reason)
    # Declared tasks follow their standard task into the version being edited.
    code_of = {t.pk: t.code for t in originals}
    declared = list(DeclaredTask.objects.filter(standard_task__in=originals))
    for item in declared:
        item.standard_task = copy_of[code_of[cast(int, item.standard_task_id)]]
    _save_merges(declared, by, reason)


@transaction.atomic
def draft_discard(*, agency: Owner, by: User) -> None:
    """Throw the draft away; merges made in it are undone."""
    _lock_agency(agency)
    draft = selectors.draft_of(agency)
    if draft is None:
        raise ValidationError(_("There is no draft to discard."))
    base = selectors.latest_published(agency)
    published = {t.code: t for t in base.tasks.all()} if base else {}
    declared = list(DeclaredTask.objects.filter(standard_task__version=draft).select_related("standard_task"))
    for item in declared:
        item.standard_task = published.get(cast(StandardTask, item.standard_task).code)
    _save_merges(declared, by, f"discard of draft v{draft.number}")
    for task in draft.tasks.all():
        set_history_user(task, by=by)
    set_history_user(draft, by=by)
    draft.delete()


def _validate_stages(stages: Sequence[StageInput]) -> None:
    errors = []
    orders = [s.order for s in stages]
    if len(set(orders)) != len(orders):
        errors.append(_("Two stages have the same order number."))
    for stage in stages:
        if stage.order < 1:
            errors.append(_("Stage orders start at 1."))
        if not stage.name.strip():
            errors.append(_("Every stage needs a name."))
        if not 1 <= stage.norm_minutes <= MAX_NORM_MINUTES:
            errors.append(
                _("A norm must be between 1 and %(max)s minutes.")
                % {"max": number_format(MAX_NORM_MINUTES, force_grouping=True)}
            )
    if errors:
        raise ValidationError(sorted(set(errors)))


def _stage_values(stage: Stage) -> tuple[int, str, int]:
    return stage.order, stage.name, stage.norm_minutes


def _sync_stages(
    task: StandardTask, stages: Sequence[StageInput], by: User | None, *, remove: Collection[int] = ()
) -> None:
    """Change, add and remove exactly the stages named: ``stages`` change the rows their ``id``
    names (or add one when it has none) and ``remove`` lists the rows to delete. A row named by
    neither stays as it is, so a partial edit can never drop a stage that was not removed."""
    existing = {s.pk: s for s in task.stages.all()}
    remove = set(remove)
    unknown = {s.id for s in stages if s.id is not None} | remove
    if unknown - existing.keys():
        raise ValidationError(_("A stage of this task changed meanwhile. Reload the page and edit again."))
    if remove & {s.id for s in stages if s.id is not None}:
        raise ValidationError(_("A stage cannot be changed and removed at once."))
    kept = {pk: stage for pk, stage in existing.items() if pk not in remove}
    final = {pk: stage.order for pk, stage in kept.items()}
    final.update({s.id: s.order for s in stages if s.id is not None})
    orders = list(final.values()) + [s.order for s in stages if s.id is None]
    if len(set(orders)) != len(orders):
        raise ValidationError(_("Two stages have the same order number."))
    for pk in remove:
        set_history_user(existing[pk], by=by)
        existing[pk].delete()
    changed = [
        (kept[s.id], s)
        for s in stages
        if s.id is not None
        and (kept[s.id].order, kept[s.id].name, kept[s.id].norm_minutes)
        != (s.order, s.name.strip(), s.norm_minutes)
    ]
    # Orders are unique per task: rows that move step aside first, so two stages can swap places.
    moving = [stage.pk for stage, data in changed if stage.order != data.order]
    if moving:
        Stage.objects.filter(pk__in=moving).update(order=F("order") + REORDER_OFFSET)
    for stage, data in changed:
        stage.order, stage.name, stage.norm_minutes = data.order, data.name.strip(), data.norm_minutes
        set_history_user(stage, by=by)
        stage.full_clean(exclude=["task"], validate_constraints=False)
        stage.save()
    for data in stages:
        if data.id is None:
            stage = Stage(task=task, order=data.order, name=data.name.strip(), norm_minutes=data.norm_minutes)
            set_history_user(stage, by=by)
            stage.full_clean(exclude=["task"], validate_constraints=False)
            stage.save()


def _require_unique_code(version: CatalogVersion, code: str, task: StandardTask | None = None) -> None:
    clash = version.tasks.filter(code=code)
    if task is not None:
        clash = clash.exclude(pk=task.pk)
    if clash.exists():
        raise ValidationError({"code": _("Code %(code)s is already used in this catalog.") % {"code": code}})
    if version.is_common:
        # A common task's code must not be an agency's own (group C) code: staff would see it twice.
        agencies = (
            StandardTask.objects.filter(
                code=code,
                version__agency__province_id=cast(int, version.province_id),
                version__status__in=[*WORKING_STATUSES, VersionStatus.PUBLISHED],
            )
            .exclude(group__in=COMMON_GROUPS)
            .values_list("version__agency__code", flat=True)
            .distinct()
        )
        if agencies:
            raise ValidationError(
                {
                    "code": _("Code %(code)s is used by the own catalog of %(agencies)s.")
                    % {"code": code, "agencies": ", ".join(sorted(agencies))}
                }
            )
    elif StandardTask.objects.filter(
        code=code,
        version__province_id=cast(Agency, version.agency).province_id,
        version__agency__isnull=True,
    ).exists():
        raise ValidationError(
            {"code": _("Code %(code)s is used by the province's common catalog.") % {"code": code}}
        )


def _require_group(version: CatalogVersion, group: str) -> None:
    """The common catalog holds groups A, B and D; an agency under it keeps only its group C."""
    if version.is_common and group not in COMMON_GROUPS:
        raise ValidationError(
            {"group": _("The common catalog holds groups A, B and D; group C is each agency's own.")}
        )
    if not version.is_common and group in COMMON_GROUPS and _has_common_catalog(cast(Agency, version.agency)):
        raise ValidationError(
            {
                "group": _(
                    "Groups A, B and D come from the province's common catalog: propose a change to it "
                    "instead."
                )
            }
        )


@transaction.atomic
def task_create(*, version: CatalogVersion, data: TaskInput, by: User | None) -> StandardTask:
    _lock_agency(version.owner)
    _require_draft(version)
    _require_group(version, data.group)
    _require_unique_code(version, data.code)
    _validate_stages(data.stages)
    task = StandardTask(version=version, agency=version.agency, **{f: getattr(data, f) for f in TASK_FIELDS})
    task.full_clean()
    set_history_user(task, by=by)
    task.save()
    _sync_stages(task, data.stages, by)
    return task


@transaction.atomic
def task_update(
    *,
    task: StandardTask,
    data: TaskInput,
    by: User | None,
    stages: Sequence[StageInput] = (),
    remove_stages: Collection[int] = (),
) -> StandardTask:
    """Change a draft task's fields, the stages in ``stages`` (by id; new ones without) and
    remove the stages whose ids are in ``remove_stages``; every other stage stays as it is."""
    _lock_agency(task.version.owner)
    task = StandardTask.objects.select_related("version").get(pk=task.pk)
    _require_draft(task.version)
    if data.group != task.group or data.code != task.code:
        _require_group(task.version, data.group)
        _require_unique_code(task.version, data.code, task)
    _validate_stages(stages)
    changed = [f for f in TASK_FIELDS if getattr(task, f) != getattr(data, f)]
    for field in changed:
        setattr(task, field, getattr(data, field))
    if changed:
        task.full_clean()
        set_history_user(task, by=by)
        task.save(update_fields=changed)
    _sync_stages(task, stages, by, remove=remove_stages)
    return task


@transaction.atomic
def stage_norm_set(
    *, agency: Agency, task_code: str, order: int, norm_minutes: int, reason: str, by: User | None
) -> Stage:
    """Set one stage's norm in the draft (opened if needed), with ``reason`` in the history.

    The stage is found by its task's code and its order, as in every version, so a
    change measured on a published version lands on the same stage of the draft.
    """
    draft = draft_open(agency=agency, by=by)
    stage = Stage.objects.filter(task__version=draft, task__code=task_code, order=order).first()
    if stage is None:
        raise ValidationError(
            _("The draft has no stage %(order)s in task %(code)s.") % {"order": order, "code": task_code}
        )
    if not 1 <= norm_minutes <= MAX_NORM_MINUTES:
        raise ValidationError(
            _("A norm must be between 1 and %(max)s minutes.")
            % {"max": number_format(MAX_NORM_MINUTES, force_grouping=True)}
        )
    if stage.norm_minutes != norm_minutes:
        stage.norm_minutes = norm_minutes
        set_history_user(stage, by=by, reason=reason)
        stage.save(update_fields=["norm_minutes"])
    return stage


@transaction.atomic
def task_delete(*, task: StandardTask, by: User | None) -> None:
    """Delete a draft task; the declared tasks merged into it become unmerged."""
    _lock_agency(task.version.owner)
    _require_draft(task.version)
    set_history_user(task, by=by)
    task.delete()


def _declared_of(agency: Agency, ids: Iterable[int]) -> list[DeclaredTask]:
    ids = set(ids)
    if not ids:
        raise ValidationError(_("Select at least one declared task."))
    declared = list(DeclaredTask.objects.filter(agency=agency, pk__in=ids))
    if len(declared) != len(ids):
        raise ValidationError(_("Some of the selected declared tasks no longer exist. Reload the page."))
    return declared


def _save_merges(declared: list[DeclaredTask], by: User | None, reason: str | None = None) -> None:
    """Save the declared tasks' ``standard_task``, one history row each."""
    bulk_update_with_history(
        declared, DeclaredTask, ["standard_task"], default_user=by, default_change_reason=reason
    )


def _set_standard_task(declared: list[DeclaredTask], task: StandardTask | None, by: User) -> None:
    for item in declared:
        item.standard_task = task
    _save_merges(declared, by)


@transaction.atomic
def declared_merge(*, agency: Agency, declared_ids: Iterable[int], task: StandardTask, by: User) -> int:
    """Merge declared tasks into a standard task of the draft; returns how many."""
    _lock_agency(agency)
    if task.agency_id != agency.pk:
        raise ValidationError(_("That standard task belongs to another agency."))
    _require_draft(task.version)
    declared = _declared_of(agency, declared_ids)
    _set_standard_task(declared, task, by)
    return len(declared)


@transaction.atomic
def declared_merge_into_new(
    *, agency: Agency, declared_ids: Iterable[int], data: TaskInput, by: User
) -> StandardTask:
    """Create a standard task in the draft and merge the declared tasks into it."""
    declared = _declared_of(agency, declared_ids)
    version = draft_open(agency=agency, by=by)
    task = task_create(version=version, data=data, by=by)
    _set_standard_task(declared, task, by)
    return task


@transaction.atomic
def declared_unmerge(*, agency: Agency, declared_ids: Iterable[int], by: User) -> int:
    """Undo merges. Only while a draft is open: a published catalog does not change."""
    _lock_agency(agency)
    if selectors.draft_of(agency) is None:
        raise ValidationError(_("Open a draft before changing merges."))
    declared = _declared_of(agency, declared_ids)
    _set_standard_task(declared, None, by)
    return len(declared)


def _publish_problems(owner: Owner, draft: CatalogVersion, effective_from: datetime.date) -> list[str]:
    """Why ``draft`` cannot be published from ``effective_from`` (nothing when it can)."""
    errors: list[str] = []
    active = draft.tasks.filter(active=True)
    if not active.exists():
        errors.append(_("The draft has no task in use."))
    without_stages = list(active.filter(stages__isnull=True).values_list("code", flat=True))
    if without_stages:
        errors.append(
            _("Every task in use needs at least one stage with a norm; missing for: %(codes)s.")
            % {"codes": ", ".join(without_stages)}
        )
    if isinstance(owner, Province):
        own = list(draft.tasks.exclude(group__in=COMMON_GROUPS).values_list("code", flat=True))
        if own:
            errors.append(
                _("The common catalog holds groups A, B and D only; remove %(codes)s.")
                % {"codes": ", ".join(own)}
            )
    elif _has_common_catalog(owner):
        common = list(active.filter(group__in=COMMON_GROUPS).values_list("code", flat=True))
        if common:
            errors.append(
                _(
                    "Groups A, B and D come from the province's common catalog: remove %(codes)s or mark "
                    "them not in use."
                )
                % {"codes": ", ".join(common)}
            )
    current = selectors.latest_published(owner)
    if current is not None:
        # Set on every published version: the published_catalog_has_effective_date constraint.
        current_from = cast(datetime.date, current.effective_from)
        if effective_from < current_from:
            errors.append(
                _("The effective date cannot be before that of version %(number)s (%(date)s).")
                % {"number": current.number, "date": current_from.strftime("%d/%m/%Y")}
            )
        elif effective_from < today():
            errors.append(_("The effective date cannot be in the past: recorded work keeps its catalog."))
    return errors


def _may_publish(owner: Owner, by: User | None) -> bool:
    """The province's common catalog is published by those who keep it; an agency's by its head.
    ``by`` is None for the command line and the demo, run by whoever runs the server."""
    if by is None:
        return True
    if isinstance(owner, Province):
        return by.has_perm("catalog.manage_catalog", owner)
    return by.has_perm("catalog.approve_catalog", owner)


@transaction.atomic
def catalog_publish(
    *, agency: Owner, effective_from: datetime.date, by: User | None, note: str = ""
) -> CatalogVersion:
    """Publish the draft: from ``effective_from`` on, staff pick their tasks from it.

    An agency's catalog is published by its head (a catalog manager submits it: ``catalog_submit``);
    the province's common catalog by the Department of Home Affairs. Refuses a date before the
    current version's, and a past date once a version exists, because entries already made must
    keep the catalog they were made with.
    """
    _lock_agency(agency)
    draft = selectors.draft_of(agency)
    if draft is None:
        raise ValidationError(_("There is no draft to publish."))
    if not _may_publish(agency, by):
        raise ValidationError(
            _("Only the agency's head can publish its catalog: submit the draft for approval.")
        )
    errors = _publish_problems(agency, draft, effective_from)
    if errors:
        raise ValidationError(errors)
    draft.status = VersionStatus.PUBLISHED
    draft.effective_from = effective_from
    draft.published_at = timezone.now()
    draft.published_by = by
    draft.note = note.strip() or draft.note
    set_history_user(draft, by=by)
    draft.save(update_fields=["status", "effective_from", "published_at", "published_by", "note"])
    return draft


@transaction.atomic
def catalog_submit(
    *, agency: Agency, effective_from: datetime.date, by: User, note: str = ""
) -> CatalogVersion:
    """Send the agency's draft to its head for approval; it no longer changes meanwhile."""
    _lock_agency(agency)
    draft = selectors.draft_of(agency)
    if draft is None or not draft.is_draft:
        raise ValidationError(_("There is no draft to submit."))
    errors = _publish_problems(agency, draft, effective_from)
    if errors:
        raise ValidationError(errors)
    draft.status = VersionStatus.SUBMITTED
    draft.effective_from = effective_from
    draft.note = note.strip()
    draft.submitted_at = timezone.now()
    draft.submitted_by = by
    draft.returned_reason = ""
    set_history_user(draft, by=by)
    draft.save(
        update_fields=["status", "effective_from", "note", "submitted_at", "submitted_by", "returned_reason"]
    )
    url = reverse("catalog:publish", kwargs={"code": agency.code})
    for head in org_selectors.agency_heads(agency, today()):
        notify(
            recipient=head,
            key=f"catalog-submitted-{draft.pk}-{draft.submitted_at:%Y%m%d%H%M%S%f}",
            title=_("Catalog version %(number)s of %(agency)s waits for your approval")
            % {"number": draft.number, "agency": agency.code},
            body=_("Submitted by %(name)s, to apply from %(date)s.")
            % {"name": by.get_full_name(), "date": effective_from.strftime("%d/%m/%Y")},
            url=url,
        )
    return draft


@transaction.atomic
def catalog_return(*, agency: Agency, reason: str, by: User) -> CatalogVersion:
    """The head sends a submitted draft back to the catalog manager, saying why."""
    _lock_agency(agency)
    draft = selectors.draft_of(agency)
    if draft is None or not draft.is_submitted:
        raise ValidationError(_("No draft is waiting for approval."))
    if not _may_publish(agency, by):
        raise ValidationError(_("Only the agency's head can send the draft back."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say what should change before it can be approved.")})
    draft.status = VersionStatus.DRAFT
    draft.returned_reason = reason.strip()[:500]
    draft.effective_from = None
    set_history_user(draft, by=by)
    draft.save(update_fields=["status", "returned_reason", "effective_from"])
    if draft.submitted_by is not None:
        notify(
            recipient=draft.submitted_by,
            key=f"catalog-returned-{draft.pk}-{timezone.now():%Y%m%d%H%M%S%f}",
            title=_("Catalog version %(number)s was sent back") % {"number": draft.number},
            body=draft.returned_reason,
            url=reverse("catalog:home", kwargs={"code": agency.code}),
        )
    return draft


@transaction.atomic
def catalog_replace(*, agency: Agency, tasks: Sequence[TaskInput], by: User | None) -> CatalogVersion:
    """Make the draft hold exactly ``tasks`` (an import): update by code, add, remove.

    Declared tasks stay merged into tasks whose code survives; those of removed
    tasks become unmerged.
    """
    version = draft_open(agency=agency, by=by)
    existing = {t.code: t for t in version.tasks.all()}
    wanted = {t.code for t in tasks}
    for code, task in existing.items():
        if code not in wanted:
            task_delete(task=task, by=by)
    for data in tasks:
        if data.code in existing:
            # The file holds the whole task: a stage is the row of the same order, and an order the
            # file leaves out is removed (the import's preview lists those removals).
            rows = {stage.order: stage.pk for stage in existing[data.code].stages.all()}
            stages = [replace(stage, id=rows.get(stage.order)) for stage in data.stages]
            removed = [pk for order, pk in rows.items() if order not in {s.order for s in data.stages}]
            task_update(task=existing[data.code], data=data, stages=stages, remove_stages=removed, by=by)
        else:
            task_create(version=version, data=data, by=by)
    return version


def _declared_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def declared_existing_count(*, agency: Agency, items: Sequence) -> int:
    """How many of ``items`` (text, unit) the agency already has."""
    existing = {
        (_declared_key(text), unit_id)
        for text, unit_id in DeclaredTask.objects.filter(agency=agency).values_list("text", "unit_id")
    }
    return sum(1 for item in items if (_declared_key(item.text), item.unit.pk) in existing)


@transaction.atomic
def declared_import(*, agency: Agency, items: Sequence, source: str, by: User | None) -> tuple[int, int]:
    """Add declared tasks (text, unit, optional standard task code); returns (added, already there).

    Importing the same file twice adds nothing the second time. Codes are
    merged into the draft, which is opened if needed.
    """
    _lock_agency(agency)
    tasks: dict[str, StandardTask] = {}
    if any(item.code for item in items):
        draft = draft_open(agency=agency, by=by)
        tasks = {t.code: t for t in draft.tasks.all()}
        missing = sorted({item.code for item in items if item.code and item.code not in tasks})
        if missing:
            raise ValidationError(
                _("No standard task with code %(code)s in the catalog.") % {"code": ", ".join(missing)}
            )
    existing = {
        (_declared_key(text), unit_id)
        for text, unit_id in DeclaredTask.objects.filter(agency=agency).values_list("text", "unit_id")
    }
    new = [
        DeclaredTask(
            agency=agency,
            unit=item.unit,
            text=item.text,
            source=source[:200],
            standard_task=tasks.get(item.code) if item.code else None,
        )
        for item in items
        if (_declared_key(item.text), item.unit.pk) not in existing
    ]
    bulk_create_with_history(new, DeclaredTask, default_user=by)
    return len(new), len(items) - len(new)


@transaction.atomic
def proposal_create(*, agency: Agency, task_code: str, text: str, by: User) -> CatalogProposal:
    """An agency proposes an adjustment of the province's common catalog (a task, or a new one)."""
    errors: dict[str, str] = {}
    code = task_code.strip().upper()
    if (
        code
        and not StandardTask.objects.filter(
            code=code, version__province_id=agency.province_id, version__agency__isnull=True
        ).exists()
    ):
        errors["task_code"] = _("The common catalog has no task %(code)s.") % {"code": code}
    if len(text.strip()) < 10:
        errors["text"] = _("Say what should change and why (at least 10 characters).")
    if errors:
        raise ValidationError(errors)
    proposal = CatalogProposal(
        agency=agency, province_id=agency.province_id, task_code=code, text=text.strip(), created_by=by
    )
    set_history_user(proposal, by=by)
    proposal.save()
    return proposal


@transaction.atomic
def proposal_decide(*, proposal: CatalogProposal, accept: bool, reason: str, by: User) -> CatalogProposal:
    """The province accepts or rejects a proposal, with its reason; the proposer is told."""
    proposal = CatalogProposal.objects.select_for_update().select_related("agency").get(pk=proposal.pk)
    if proposal.status != ProposalStatus.OPEN:
        raise ValidationError(_("This proposal was already decided."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    proposal.status = ProposalStatus.ACCEPTED if accept else ProposalStatus.REJECTED
    proposal.decision_reason = reason.strip()
    proposal.decided_at = timezone.now()
    proposal.decided_by = by
    set_history_user(proposal, by=by)
    proposal.save(update_fields=["status", "decision_reason", "decided_at", "decided_by"])
    notify(
        recipient=proposal.created_by,
        key=f"catalog-proposal-{proposal.pk}-decided",
        title=_("Your proposal for the common catalog was %(decision)s")
        % {"decision": proposal.get_status_display().lower()},
        body=proposal.decision_reason,
        url=reverse("catalog:proposals", kwargs={"code": proposal.agency.code}),
    )
    return proposal

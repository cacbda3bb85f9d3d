from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from simple_history.utils import get_history_manager_for_model

from kpi_portal import periods
from kpi_portal import spreadsheets as tables
from kpi_portal.access import check_perm
from kpi_portal.forms import add_service_errors
from kpi_portal.text import safe_next
from org.models import Agency, Province
from org.selectors import today

from . import selectors, services, spreadsheets
from .forms import (
    DecisionForm,
    DeclaredFilterForm,
    MergeForm,
    ProposalForm,
    PublishForm,
    ReturnForm,
    TaskFilterForm,
    TaskForm,
    stage_formset,
)
from .models import (
    CatalogProposal,
    CatalogVersion,
    DeclaredTask,
    Stage,
    StandardTask,
    TaskGroup,
    VersionStatus,
)
from .selectors import Owner

DECLARED_PAGE_SIZE = 50
TASK_PAGE_SIZE = 50
HISTORY_PAGE_SIZE = 30


def _get_agency(request, code: str, *, manage: bool = False) -> Agency:
    """The agency whose catalog is asked for: 404 to outsiders, 403 to readers asking to change it."""
    agency = get_object_or_404(Agency, code=code)
    perm = "catalog.manage_catalog" if manage else "catalog.view_catalog"
    check_perm(request.user, perm, agency, scope="catalog.view_catalog")
    return agency


def _get_owner(request, code: str, *, manage: bool = False) -> Owner:
    """Whose catalog a page is about: an agency's (its code), or its province's common catalog (the
    province's code); the same rules as ``_get_agency``."""
    agency = Agency.objects.filter(code=code).first()
    if agency is not None:
        return _get_agency(request, code, manage=manage)
    province = get_object_or_404(Province, code=code)
    perm = "catalog.manage_catalog" if manage else "catalog.view_catalog"
    check_perm(request.user, perm, province, scope="catalog.view_catalog")
    return province


def _manages(request, agency: Owner) -> bool:
    return request.user.has_perm("catalog.manage_catalog", agency)


def _shown_version(request, agency: Owner) -> CatalogVersion | None:
    """The version a page shows: ``?version=draft`` or ``?version=N`` when asked; otherwise the
    draft for a catalog manager who has one open, and the version in force for everyone else."""
    manages = _manages(request, agency)
    asked = request.GET.get("version", "")
    if asked == "draft":
        draft = selectors.draft_of(agency) if manages else None
        if draft is None:
            raise Http404
        return draft
    if asked:
        if not (asked.isascii() and asked.isdigit()):
            raise Http404
        return get_object_or_404(
            CatalogVersion.objects.filter(selectors.owned_by(agency)),
            number=int(asked),
            status=VersionStatus.PUBLISHED,
        )
    draft = selectors.draft_of(agency) if manages else None
    return draft or selectors.current_version(agency, today())


def _get_task(request, agency: Owner, pk: int) -> StandardTask:
    tasks = StandardTask.objects.select_related("version").filter(
        version__in=CatalogVersion.objects.filter(selectors.owned_by(agency))
    )
    task = get_object_or_404(tasks, pk=pk)
    if not task.version.status == VersionStatus.PUBLISHED and not _manages(request, agency):
        raise Http404
    return task


@login_required
def catalog_index(request):
    """Straight to the catalog of one's agency; a choice for those who read several."""
    agencies = [
        agency
        for agency in Agency.objects.select_related("province").order_by("code")
        if request.user.has_perm("catalog.view_catalog", agency)
    ]
    # The province's common catalog, for those who keep it (the others reach it from their agency's).
    provinces = [
        province
        for province in Province.objects.order_by("code")
        if request.user.has_perm("catalog.manage_catalog", province)
    ]
    if len(agencies) == 1 and not provinces:
        return redirect("catalog:home", code=agencies[0].code)
    return render(request, "catalog/index.html", {"agencies": agencies, "provinces": provinces})


@login_required
def home(request, code: str):
    agency = _get_owner(request, code)
    manages = _manages(request, agency)
    in_force = selectors.version_on(agency, today())
    approves = request.user.has_perm("catalog.approve_catalog", agency)
    draft = selectors.draft_of(agency) if manages or approves else None
    shown = draft or selectors.current_version(agency, today())
    common = None
    if isinstance(agency, Agency):
        common = selectors.common_version_on(agency, today())
    return render(
        request,
        "catalog/home.html",
        {
            "agency": agency,
            "manages": manages,
            "in_force": in_force,
            "draft": draft,
            "shown": shown,
            "summary": selectors.summary(agency, shown),
            "versions": selectors.published_versions(agency)
            .select_related("published_by")
            .order_by("-number"),
            "today": today(),
            "is_common": isinstance(agency, Province),
            "common": common,
            "approves": approves,
            "start_agencies": (
                Agency.objects.filter(province=agency).order_by("code")
                if isinstance(agency, Province) and manages and in_force is None
                else []
            ),
        },
    )


@login_required
def task_list(request, code: str):
    agency = _get_owner(request, code)
    version = _shown_version(request, agency)
    form = TaskFilterForm(request.GET or None)
    tasks = StandardTask.objects.none()
    common = None
    if version is not None:
        search, group = "", ""
        if form.is_valid():
            search, group = form.cleaned_data["q"].strip(), form.cleaned_data["group"]
        in_force_of = None
        if isinstance(agency, Agency) and version == selectors.version_on(agency, today()):
            # The catalog in force: with the province's common groups when it has them.
            common = selectors.common_version_on(agency, today())
            in_force_of = agency if common else None
        tasks = selectors.task_list(version, search=search, group=group, agency=in_force_of)
    page = Paginator(tasks, TASK_PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(
        request,
        "catalog/task_list.html",
        {
            "agency": agency,
            "version": version,
            "manages": _manages(request, agency),
            "form": form,
            "page": page,
            "querystring": querystring.urlencode(),
            "common": common,
        },
    )


@login_required
def task_detail(request, code: str, pk: int):
    agency = _get_owner(request, code)
    task = _get_task(request, agency, pk)
    manages = _manages(request, agency)
    declared = (
        task.declared_tasks.select_related("unit", "person").order_by("unit__code", "text") if manages else []
    )
    return render(
        request,
        "catalog/task_detail.html",
        {
            "agency": agency,
            "task": task,
            "stages": task.stages.order_by("order"),
            "declared": declared,
            "manages": manages,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request, code: str):
    agency = _get_owner(request, code, manage=True)
    draft = selectors.draft_of(agency)
    own = agency if isinstance(agency, Agency) else None
    form = TaskForm(request.POST or None, instance=StandardTask(agency=own, version=draft))
    stages = stage_formset(data=request.POST or None)
    if request.method == "POST" and form.is_valid() and stages.is_valid():
        try:
            with transaction.atomic():
                version = services.draft_open(agency=agency, by=request.user)
                task = services.task_create(
                    version=version, data=form.to_input(stages.to_inputs()), by=request.user
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Standard task %(code)s created in the draft.") % {"code": task.code})
            return redirect("catalog:task", code=agency.code, pk=task.pk)
    return render(
        request, "catalog/task_form.html", {"agency": agency, "form": form, "stages": stages, "task": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request, code: str, pk: int):
    """Edit a draft task: what was changed is saved, nothing else. Removing a stage is ticked
    on its row and confirmed on a second step that says how much recorded work used it."""
    agency = _get_owner(request, code, manage=True)
    task = _get_task(request, agency, pk)
    if not task.version.is_draft:
        messages.info(request, _("Published versions do not change. Open a draft to edit this task."))
        return redirect("catalog:task", code=agency.code, pk=task.pk)
    form = TaskForm(request.POST or None, instance=task)
    stages = stage_formset(task, data=request.POST or None)
    removals: list[selectors.StageUse] = []
    if request.method == "POST" and form.is_valid() and stages.is_valid():
        removals = selectors.stage_uses(task, stages.removals())
        if removals and request.POST.get("confirm_removal") != "1":
            messages.warning(request, _("Confirm the removal of the stages listed below, or untick them."))
        else:
            try:
                services.task_update(
                    task=task,
                    data=form.to_input(),
                    stages=stages.to_inputs(),
                    remove_stages=[use.stage.pk for use in removals],
                    by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("catalog:task", code=agency.code, pk=task.pk)
    return render(
        request,
        "catalog/task_form.html",
        {"agency": agency, "form": form, "stages": stages, "task": task, "removals": removals},
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_delete(request, code: str, pk: int):
    agency = _get_owner(request, code, manage=True)
    task = _get_task(request, agency, pk)
    if request.method == "POST":
        try:
            services.task_delete(task=task, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("catalog:task", code=agency.code, pk=task.pk)
        messages.success(request, _("Task %(code)s deleted from the draft.") % {"code": task.code})
        return redirect("catalog:tasks", code=agency.code)
    return render(
        request,
        "catalog/task_confirm_delete.html",
        {"agency": agency, "task": task, "declared_count": task.declared_tasks.count()},
    )


def _declared_page(request, agency: Agency, query: QueryDict, merge_form: MergeForm | None = None):
    """The declared tasks filtered by ``query`` with the merge form; after a refused merge,
    the form as it was sent (its errors by field, the ticked rows still ticked)."""
    form = DeclaredFilterForm(query or None, agency=agency)
    search, unit_id, merged = "", None, None
    if form.is_valid():
        search = form.cleaned_data["q"].strip()
        unit_id = form.cleaned_data["unit"].pk if form.cleaned_data["unit"] else None
        merged = {"yes": True, "no": False}.get(form.cleaned_data["merged"])
    declared = selectors.declared_list(agency, search=search, unit_id=unit_id, merged=merged)
    page = Paginator(declared, DECLARED_PAGE_SIZE).get_page(query.get("page"))
    working = selectors.working_version(agency)
    next_codes = selectors.next_codes(working) if working else {}
    if merge_form is None:
        merge_form = MergeForm(
            declared_ids=[], task_choices=[], initial={"code": next_codes.get(TaskGroup.C, "C.01")}
        )
    querystring = query.copy()
    querystring.pop("page", None)
    posted = cast(QueryDict, merge_form.data)
    selected = {str(pk) for pk in posted.getlist("declared")} if merge_form.is_bound else set()
    return render(
        request,
        "catalog/declared_list.html",
        {
            "agency": agency,
            "form": form,
            "page": page,
            "querystring": querystring.urlencode(),
            "query": query.urlencode(),
            "draft": selectors.draft_of(agency),
            "tasks": working.tasks.order_by("group", "code") if working else [],
            "next_codes": next_codes,
            "summary": selectors.summary(agency, working),
            "merge_form": merge_form,
            "selected": selected,
        },
    )


@login_required
def declared_list(request, code: str):
    agency = _get_agency(request, code, manage=True)
    return _declared_page(request, agency, request.GET)


@login_required
@require_POST
def declared_merge(request, code: str):
    agency = _get_agency(request, code, manage=True)
    working = selectors.working_version(agency)
    task_choices = [(t.code, f"{t.code} {t.name}") for t in working.tasks.all()] if working else []
    form = MergeForm(
        request.POST,
        declared_ids=DeclaredTask.objects.filter(agency=agency).values_list("pk", flat=True),
        task_choices=task_choices,
    )
    query = QueryDict(request.POST.get("next_query", ""))
    back = reverse("catalog:declared", kwargs={"code": agency.code})
    if query:
        back += "?" + query.urlencode()
    if not form.is_valid():
        return _declared_page(request, agency, query, form)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            if data["action"] == "unmerge":
                count = services.declared_unmerge(
                    agency=agency, declared_ids=data["declared"], by=request.user
                )
                messages.success(request, _("%(count)s declared task(s) unmerged.") % {"count": count})
                return redirect(back)
            if data["action"] == "new":
                task = services.declared_merge_into_new(
                    agency=agency,
                    declared_ids=data["declared"],
                    data=services.TaskInput(
                        code=data["code"].strip().upper(),
                        name=data["name"].strip(),
                        group=data["group"],
                        output_unit=data["output_unit"].strip(),
                    ),
                    by=request.user,
                )
                messages.success(
                    request,
                    _(
                        "%(count)s declared task(s) merged into the new standard task %(code)s. "
                        "Now add its stages and norms."
                    )
                    % {"count": len(data["declared"]), "code": task.code},
                )
                return redirect("catalog:task_edit", code=agency.code, pk=task.pk)
            draft = services.draft_open(agency=agency, by=request.user)
            task = draft.tasks.get(code=data["task_code"])
            count = services.declared_merge(
                agency=agency, declared_ids=data["declared"], task=task, by=request.user
            )
    except ValidationError as error:
        add_service_errors(form, error)
        return _declared_page(request, agency, query, form)
    messages.success(
        request, _("%(count)s declared task(s) merged into %(code)s.") % {"count": count, "code": task.code}
    )
    return redirect(back)


@login_required
@require_POST
def draft_open(request, code: str):
    agency = _get_owner(request, code, manage=True)
    start_from = None
    if isinstance(agency, Province) and request.POST.get("start_from"):
        start_from = Agency.objects.filter(province=agency, code=request.POST["start_from"]).first()
        if start_from is None:
            messages.error(request, _("Choose an agency of the province to start from."))
            return redirect("catalog:home", code=agency.code)
    draft = services.draft_open(agency=agency, by=request.user, start_from=start_from)
    messages.success(request, _("Draft version %(number)s is open for changes.") % {"number": draft.number})
    return redirect(safe_next(request, reverse("catalog:home", kwargs={"code": agency.code})))


@login_required
@require_http_methods(["GET", "POST"])
def draft_discard(request, code: str):
    agency = _get_owner(request, code, manage=True)
    draft = selectors.draft_of(agency)
    if draft is None:
        messages.info(request, _("There is no draft to discard."))
        return redirect("catalog:home", code=agency.code)
    if request.method == "POST":
        services.draft_discard(agency=agency, by=request.user)
        messages.success(request, _("The draft was discarded; the published catalog is unchanged."))
        return redirect("catalog:home", code=agency.code)
    return render(request, "catalog/draft_discard.html", {"agency": agency, "draft": draft})


@login_required
@require_http_methods(["GET", "POST"])
def publish(request, code: str):
    """Publish the draft. An agency's catalog manager submits it to the head, who publishes it or
    sends it back with a reason; the province's common catalog is published by those who keep it."""
    agency = _get_owner(request, code)
    manages = _manages(request, agency)
    approves = request.user.has_perm("catalog.approve_catalog", agency)
    if not (manages or approves):
        check_perm(request.user, "catalog.manage_catalog", agency)
    draft = selectors.draft_of(agency)
    if draft is None:
        messages.info(request, _("There is no draft to publish."))
        return redirect("catalog:home", code=agency.code)
    publishes = isinstance(agency, Province) or approves
    initial = {"effective_from": draft.effective_from or today(), "note": draft.note}
    form = PublishForm(request.POST or None, initial=initial)
    return_form = ReturnForm(request.POST or None, prefix="return")
    published = selectors.latest_published(agency)
    # Entries of the last three months show how much work a changed stage concerns.
    since = periods.add_months(today(), -3)
    action = request.POST.get("action", "")
    if request.method == "POST" and action == "return" and approves and isinstance(agency, Agency):
        if return_form.is_valid():
            try:
                services.catalog_return(
                    agency=agency, reason=return_form.cleaned_data["reason"], by=request.user
                )
            except ValidationError as error:
                add_service_errors(return_form, error)
            else:
                messages.success(request, _("The draft was sent back to the catalog manager."))
                return redirect("catalog:home", code=agency.code)
    elif request.method == "POST" and form.is_valid():
        effective_from, note = form.cleaned_data["effective_from"], form.cleaned_data["note"]
        try:
            if publishes:
                version = services.catalog_publish(
                    agency=agency, effective_from=effective_from, note=note, by=request.user
                )
            elif draft.is_draft and isinstance(agency, Agency):
                version = services.catalog_submit(
                    agency=agency, effective_from=effective_from, note=note, by=request.user
                )
            else:
                raise ValidationError(_("The draft is already waiting for the head's approval."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if version.status == VersionStatus.PUBLISHED:
                message = _("Version %(number)s published; it applies from %(date)s.")
            else:
                message = _("Version %(number)s was sent to the head for approval, to apply from %(date)s.")
            messages.success(
                request, message % {"number": version.number, "date": effective_from.strftime("%d/%m/%Y")}
            )
            return redirect("catalog:home", code=agency.code)
    return render(
        request,
        "catalog/publish.html",
        {
            "agency": agency,
            "draft": draft,
            "form": form,
            "return_form": return_form,
            "publishes": publishes,
            "approves": approves,
            "summary": selectors.summary(agency, draft),
            "changes": selectors.changes(published, draft),
            "preview": selectors.publish_preview(agency, published, draft, since=since),
            "since": since,
        },
    )


@login_required
def export(request, code: str):
    agency = _get_owner(request, code)
    what = request.GET.get("what", "catalog")
    fmt = request.GET.get("format", "xlsx")
    if what not in ("catalog", "declared") or fmt not in ("xlsx", "csv"):
        raise Http404
    if what == "declared":
        if isinstance(agency, Province):
            raise Http404
        check_perm(request.user, "catalog.manage_catalog", agency)
        headers, rows = spreadsheets.DECLARED_HEADERS, spreadsheets.declared_rows(agency)
        name = f"dau-viec-ke-khai-{agency.code.lower()}"
    else:
        version = _shown_version(request, agency)
        if version is None:
            raise Http404
        headers, rows = spreadsheets.CATALOG_HEADERS, spreadsheets.catalog_rows(version)
        name = f"danh-muc-{agency.code.lower()}-v{version.number}"
    if fmt == "xlsx":
        content = tables.to_xlsx(headers, rows, title=agency.code)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = tables.to_csv(headers, rows)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


HISTORY_KINDS = {
    "tasks": (StandardTask, _("Standard tasks")),
    "stages": (Stage, _("Stages and norms")),
    "declared": (DeclaredTask, _("Declared tasks")),
    "versions": (CatalogVersion, _("Versions")),
}


@login_required
def history(request, code: str):
    agency = _get_owner(request, code, manage=True)
    kind = request.GET.get("kind", "tasks")
    if kind not in HISTORY_KINDS:
        kind = "tasks"
    model = HISTORY_KINDS[kind][0]
    records = get_history_manager_for_model(model).select_related("history_user")
    versions = CatalogVersion.history.filter(selectors.owned_by(agency)).values("id")
    if model is Stage:
        task_ids = StandardTask.history.filter(version_id__in=versions).values("id")
        records = records.filter(task_id__in=task_ids)
    elif model is StandardTask:
        records = records.filter(version_id__in=versions)
    elif model is CatalogVersion:
        records = records.filter(selectors.owned_by(agency))
    elif isinstance(agency, Province):
        records = records.none()
    else:
        records = records.filter(agency=agency)
    page = Paginator(records.order_by("-history_date", "-history_id"), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "catalog/history.html",
        {
            "agency": agency,
            "kind": kind,
            "kinds": [(key, label) for key, (_model, label) in HISTORY_KINDS.items()],
            "page": page,
            "querystring": f"kind={kind}",
        },
    )


PROPOSAL_PAGE_SIZE = 30


@login_required
@require_http_methods(["GET", "POST"])
def proposals(request, code: str):
    """Proposals to adjust the province's common catalog: an agency's catalog manager makes them and
    follows them; the Department of Home Affairs decides each with a reason."""
    owner = _get_owner(request, code, manage=True)
    if isinstance(owner, Province):
        listed = CatalogProposal.objects.filter(province=owner)
        form = None
        decision = DecisionForm(request.POST or None)
        if request.method == "POST":
            if decision.is_valid():
                proposal = get_object_or_404(listed, pk=decision.cleaned_data["proposal"])
                try:
                    services.proposal_decide(
                        proposal=proposal,
                        accept=decision.cleaned_data["decision"] == "accept",
                        reason=decision.cleaned_data["reason"],
                        by=request.user,
                    )
                except ValidationError as error:
                    add_service_errors(decision, error)
                else:
                    messages.success(request, _("Decision recorded; the agency is notified."))
                    return redirect("catalog:proposals", code=owner.code)
            messages.error(request, " ".join(str(e) for errors in decision.errors.values() for e in errors))
    else:
        listed = CatalogProposal.objects.filter(agency=owner)
        common = selectors.common_version_on(owner, today()) or selectors.latest_published(
            Province(pk=owner.province_id)
        )
        choices = [(t.code, f"{t.code} · {t.name}") for t in common.tasks.order_by("code")] if common else []
        form = ProposalForm(request.POST or None, task_choices=choices)
        decision = None
        if request.method == "POST" and form.is_valid():
            try:
                services.proposal_create(
                    agency=owner,
                    task_code=form.cleaned_data["task_code"],
                    text=form.cleaned_data["text"],
                    by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Proposal sent to the Department of Home Affairs."))
                return redirect("catalog:proposals", code=owner.code)
    listed = listed.select_related("agency", "created_by", "decided_by").order_by(
        "status", "-created_at", "-pk"
    )
    page = Paginator(listed, PROPOSAL_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/proposals.html",
        {"agency": owner, "is_common": isinstance(owner, Province), "form": form, "page": page},
    )

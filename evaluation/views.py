"""Review queue, monthly scoring, explained scores, appeals, weights. Thin: the rules are in services."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kpi_portal.forms import add_service_errors
from kpi_portal.text import safe_next
from org import calendar
from org import selectors as org_selectors
from org.models import Agency, AuditEvent, Role, User
from worklog.models import DiaryEntry, EntryStatus

from . import scoring, selectors, services
from .forms import (
    AppealDecisionForm,
    AppealForm,
    CriteriaForm,
    MeasureForm,
    QueueFilterForm,
    ReasonForm,
    ReturnForm,
    SchemeForm,
    parse_month,
)
from .models import Appeal, AppealStatus, Criterion, EvaluationStatus, MonthlyEvaluation

QUEUE_DAYS_PER_PAGE = 25


def _tabs(request) -> dict:
    return {"is_reviewer": _is_reviewer(request.user), "read_agencies": selectors.read_agencies(request.user)}


def _is_reviewer(user: User) -> bool:
    scope = org_selectors.access_scope(user)
    return scope.heads_unit or bool(scope.reviewee_ids)


def _require_reviewer(request) -> None:
    if not _is_reviewer(request.user):
        raise PermissionDenied(_("Only unit heads and their delegates review entries."))


# The review queue --------------------------------------------------------------------------------


def _queue_context(request) -> dict:
    """The queue with the filters applied; the filter's choices come from the people and tasks waiting."""
    filters = QueueFilterForm(request.GET)
    dates = {"start": None, "end": None}
    if filters.is_valid():
        dates = {"start": filters.cleaned_data["start"], "end": filters.cleaned_data["end"]}
    data = filters.cleaned_data if filters.is_valid() else {}
    queue = selectors.review_queue(
        request.user,
        person_id=data.get("person"),
        task_id=data.get("task"),
        flagged_only=bool(data.get("flagged")),
        **dates,
    )
    form = QueueFilterForm(request.GET or None, people=queue.people, tasks=queue.tasks)
    form.is_valid()
    page = Paginator(queue.days, QUEUE_DAYS_PER_PAGE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return {
        "form": form,
        "queue": queue,
        "page": page,
        "querystring": querystring.urlencode(),
        "here": request.get_full_path(),
        **_tabs(request),
    }


@login_required
def queue(request):
    _require_reviewer(request)
    template = "evaluation/_queue_panel.html" if request.htmx else "evaluation/queue.html"
    return render(request, template, _queue_context(request))


def _approvals(post) -> dict[int, services.Approval]:
    """The ticked entries with their versions and marks; ValueError on anything malformed."""
    approvals = {}
    for raw in post.getlist("entry"):
        pk = int(raw)
        approvals[pk] = services.Approval(
            version=int(post.get(f"version-{pk}", "")),
            major_errors=int(post.get(f"errors-{pk}") or 0),
            delays=int(post.get(f"delays-{pk}") or 0),
        )
    return approvals


@login_required
@require_POST
def approve(request):
    _require_reviewer(request)
    try:
        approvals = _approvals(request.POST)
    except ValueError:
        messages.error(request, _("The form was incomplete. Reload the queue and try again."))
    else:
        try:
            count = services.entries_approve(approvals=approvals, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(count)s entries approved.") % {"count": count})
    return redirect(safe_next(request, reverse("evaluation:queue")))


def _get_submitted_entry_for_reviewer(request, pk: int) -> DiaryEntry:
    """A submitted entry the user reviews; anything else is simply not found."""
    entry = get_object_or_404(
        DiaryEntry.objects.select_related("person", "task", "stage", "agency"),
        pk=pk,
        status=EntryStatus.SUBMITTED,
    )
    if (
        entry.person_id == request.user.pk
        or org_selectors.reviewer_for(entry.person, entry.date) != request.user
    ):
        raise Http404
    return entry


@login_required
@require_http_methods(["GET", "POST"])
def entry_return(request, pk: int):
    _require_reviewer(request)
    entry = _get_submitted_entry_for_reviewer(request, pk)
    back = safe_next(request, reverse("evaluation:queue"))
    # Prefixed: several return forms can be open inside the queue's approval form at once.
    form = ReturnForm(request.POST or None, initial={"version": entry.version}, prefix=f"return-{entry.pk}")
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_return(
                entry=entry,
                by=request.user,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The entry of %(name)s was returned.") % {"name": entry.person.get_full_name()}
            )
            if request.htmx:
                return HttpResponse(headers={"HX-Redirect": back})
            return redirect(back)
    template = "evaluation/_return_form.html" if request.htmx else "evaluation/entry_return.html"
    status = 400 if request.method == "POST" and not request.htmx else 200
    return render(request, template, {"entry": entry, "form": form, "next": back}, status=status)


# Evaluations -------------------------------------------------------------------------------------


def _this_month() -> datetime.date:
    return selectors.month_start(org_selectors.today())


def _can_read(user: User, evaluation: MonthlyEvaluation) -> bool:
    if user.pk == evaluation.person_id:
        return True
    if org_selectors.access_scope(user).reads_agency(evaluation.agency):
        return True
    return services.evaluator_of(evaluation) == user


def _get_evaluation_for_user(request, pk: int) -> MonthlyEvaluation:
    evaluation = get_object_or_404(
        MonthlyEvaluation.objects.select_related("person", "agency", "unit", "scored_by", "finalised_by"),
        pk=pk,
    )
    if not _can_read(request.user, evaluation):
        raise Http404
    return evaluation


@login_required
def my_evaluations(request):
    today = org_selectors.today()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    if not 2000 <= year <= today.year:
        year = today.year
    evaluations = MonthlyEvaluation.objects.filter(person=request.user, month__year=year).order_by("-month")
    this_month = _this_month()
    previous_month = selectors.month_start(this_month - datetime.timedelta(days=1))
    return render(
        request,
        "evaluation/mine.html",
        {
            "evaluations": evaluations,
            "periods": selectors.period_results(request.user, year),
            "year": year,
            "years": range(today.year, today.year - 5, -1),
            "open_months": [this_month, previous_month],
            **_tabs(request),
        },
    )


@login_required
def person_month(request, person_id: int, year: int, month: int):
    """Open (creating it when needed) the evaluation of a person for a month."""
    person = get_object_or_404(org_selectors.visible_people(request.user), pk=person_id)
    try:
        first = datetime.date(year, month, 1)
    except ValueError:
        raise Http404 from None
    evaluation = selectors.evaluation_of(person, first)
    if evaluation is None:
        try:
            evaluation = services.evaluation_open(person=person, month=first)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("evaluation:mine" if person == request.user else "evaluation:scores")
    if not _can_read(request.user, evaluation):
        raise Http404
    return redirect("evaluation:detail", evaluation.pk)


@login_required
def scores(request):
    """The months a reviewer scores: everyone they review, with where each evaluation stands."""
    _require_reviewer(request)
    month = parse_month(request.GET.get("month"), default=_this_month())
    month = min(month, _this_month())
    rows = selectors.people_to_score(request.user, month)
    return render(
        request,
        "evaluation/scores.html",
        {
            "month": month,
            "rows": rows,
            "previous": selectors.month_start(month - datetime.timedelta(days=1)),
            "next": selectors.month_start(selectors.month_end(month) + datetime.timedelta(days=1)),
            "this_month": _this_month(),
            **_tabs(request),
        },
    )


def _criteria_initial(evaluation: MonthlyEvaluation, criteria, by: str) -> dict:
    """A criteria form filled with what ``by`` gave before; the supervisor starts from the self-assessment."""
    own = criteria[by]
    source = own or criteria["self"]
    initial = {"version": evaluation.version}
    for criterion, given in source.items():
        initial[f"points_{criterion}"] = given.points
        if own:
            initial[f"comment_{criterion}"] = given.comment
    initial["comment"] = evaluation.self_comment if by == "self" else evaluation.supervisor_comment
    return initial


def _explanation(evaluation: MonthlyEvaluation) -> dict:
    """Everything the explained-score page shows, each number traced to entries and criteria."""
    scheme = selectors.scheme_of(evaluation.agency)
    entries = list(selectors.month_entries(evaluation.person, evaluation.month))
    criteria = selectors.criteria_of(evaluation)
    members = selectors.member_evaluations(evaluation) if evaluation.is_unit_head else []
    working_days = len(calendar.working_days(evaluation.agency, evaluation.month, evaluation.month_end))
    factor = None
    if evaluation.is_unit_head:
        factor = scoring.unit_factor([e.rating for _m, e in members if e and e.rating])
    live = scoring.task_result(scheme, selectors.entry_marks(entries), working_days, unit_factor=factor)
    deductions = {d.entry_id: d for d in live.deductions}
    rows = [(entry, deductions.get(entry.pk)) for entry in entries]
    supervisor_points = {c: s.points for c, s in criteria["supervisor"].items()}
    stored = evaluation.status in (EvaluationStatus.SCORED, EvaluationStatus.FINAL)
    changed_since = stored and (live.total != evaluation.task_score)
    general_rows = [
        (
            criterion,
            scheme.criterion_points(criterion.value),
            criteria["self"].get(criterion.value),
            criteria["supervisor"].get(criterion.value),
        )
        for criterion in Criterion
    ]
    return {
        "scheme": scheme,
        "live": live,
        "rows": rows,
        "members": members,
        "general_rows": general_rows,
        "general_live": scoring.general_score(scheme, supervisor_points) if supervisor_points else None,
        "stored": stored,
        "changed_since": changed_since,
        "quantity_percent": live.quantity_ratio * 100,
        "own_points": scheme.task_points - scheme.unit_points,
        "personal_share": live.total - (live.unit or 0),
        "approved_hours": live.approved_minutes / 60,
        "expected_hours": live.expected_minutes / 60,
        "measures": selectors.disciplined_in(evaluation.person, evaluation.month, evaluation.month_end),
        "criteria": criteria,
    }


@login_required
def detail(request, pk: int):
    evaluation = _get_evaluation_for_user(request, pk)
    return render(request, "evaluation/detail.html", _detail_context(request, evaluation))


def _detail_context(request, evaluation: MonthlyEvaluation, **forms) -> dict:
    user = request.user
    context = _explanation(evaluation)
    criteria = context["criteria"]
    is_person = user.pk == evaluation.person_id
    is_evaluator = not is_person and services.evaluator_of(evaluation) == user
    is_leader = not is_person and services.is_leader(user, evaluation.agency)
    appeal = selectors.appeal_of(evaluation)
    deadline = services.appeal_deadline(evaluation)
    scheme = context["scheme"]
    if is_person and evaluation.status in (EvaluationStatus.OPEN, EvaluationStatus.SELF_ASSESSED):
        forms.setdefault(
            "self_form", CriteriaForm(scheme=scheme, initial=_criteria_initial(evaluation, criteria, "self"))
        )
    if is_evaluator and evaluation.status in (EvaluationStatus.SELF_ASSESSED, EvaluationStatus.SCORED):
        forms.setdefault(
            "score_form",
            CriteriaForm(scheme=scheme, initial=_criteria_initial(evaluation, criteria, "supervisor")),
        )
    can_appeal = (
        is_person
        and evaluation.is_final
        and appeal is None
        and deadline is not None
        and org_selectors.today() <= deadline
    )
    if can_appeal:
        forms.setdefault("appeal_form", AppealForm())
    if is_leader and appeal is not None and appeal.status == AppealStatus.PENDING:
        initial = _criteria_initial(evaluation, criteria, "supervisor")
        initial["version"] = appeal.version
        forms.setdefault("decision_form", AppealDecisionForm(scheme=scheme, initial=initial))
    quota = None
    if is_leader and evaluation.status == EvaluationStatus.SCORED:
        quota = selectors.quota(
            evaluation.agency, evaluation.month, counting=evaluation, rating=evaluation.rating
        )
    history = AuditEvent.objects.filter(
        object_type__in=["monthlyevaluation", "appeal"],
        object_id__in=[evaluation.pk] + ([appeal.pk] if appeal else []),
    ).select_related("actor")
    history = [
        event
        for event in history
        if (event.object_type == "monthlyevaluation" and event.object_id == evaluation.pk)
        or (appeal and event.object_type == "appeal" and event.object_id == appeal.pk)
    ]
    return context | {
        "evaluation": evaluation,
        "is_person": is_person,
        "is_evaluator": is_evaluator,
        "is_leader": is_leader,
        "appeal": appeal,
        "deadline": deadline,
        "quota": quota,
        "history": history,
        "exempt_form": ReasonForm() if is_leader else None,
        **forms,
    }


def _criteria_post(request, evaluation: MonthlyEvaluation, action, form_name: str):
    form = CriteriaForm(request.POST, scheme=selectors.scheme_of(evaluation.agency))
    if form.is_valid():
        try:
            action(
                evaluation=evaluation,
                by=request.user,
                points=form.points(),
                comments=form.comments(),
                comment=form.cleaned_data["comment"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return None
    return render(
        request,
        "evaluation/detail.html",
        _detail_context(request, evaluation, **{form_name: form}),
        status=400,
    )


@login_required
@require_POST
def self_assess(request, pk: int):
    evaluation = _get_evaluation_for_user(request, pk)
    if request.user.pk != evaluation.person_id:
        raise PermissionDenied(_("Only the person assesses themself."))
    response = _criteria_post(request, evaluation, services.self_assess, "self_form")
    if response is None:
        messages.success(request, _("Your self-assessment was saved; your supervisor scores next."))
        return redirect("evaluation:detail", pk)
    return response


@login_required
@require_POST
def score(request, pk: int):
    evaluation = _get_evaluation_for_user(request, pk)
    response = _criteria_post(request, evaluation, services.evaluation_score, "score_form")
    if response is None:
        messages.success(request, _("The month is scored; the agency leader finalises it."))
        return redirect("evaluation:detail", pk)
    return response


def _version(request) -> int | None:
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError):
        return None


@login_required
@require_POST
def finalise(request, pk: int):
    evaluation = _get_evaluation_for_user(request, pk)
    version = _version(request)
    if version is None:
        return HttpResponseBadRequest(_("The form was incomplete. Reload the page and try again."))
    try:
        services.evaluation_finalise(evaluation=evaluation, by=request.user, version=version)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The evaluation is final; the person was notified."))
    return redirect(safe_next(request, reverse("evaluation:detail", args=[pk])))


@login_required
@require_POST
def appeal(request, pk: int):
    evaluation = _get_evaluation_for_user(request, pk)
    form = AppealForm(request.POST)
    if form.is_valid():
        try:
            services.appeal_file(evaluation=evaluation, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your appeal was sent to the agency leader."))
            return redirect("evaluation:detail", pk)
    return render(
        request, "evaluation/detail.html", _detail_context(request, evaluation, appeal_form=form), status=400
    )


@login_required
@require_POST
def appeal_decide(request, pk: int):
    evaluation = _get_evaluation_for_user(request, pk)
    appeal = get_object_or_404(Appeal, evaluation=evaluation)
    form = AppealDecisionForm(request.POST, scheme=selectors.scheme_of(evaluation.agency))
    if form.is_valid():
        try:
            services.appeal_decide(
                appeal=appeal,
                by=request.user,
                amend=form.cleaned_data["amend"],
                decision=form.cleaned_data["decision"],
                version=form.cleaned_data["version"],
                points=form.points() if form.cleaned_data["amend"] else None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The decision was recorded; the person was notified."))
            return redirect("evaluation:detail", pk)
    return render(
        request,
        "evaluation/detail.html",
        _detail_context(request, evaluation, decision_form=form),
        status=400,
    )


@login_required
@require_POST
def exempt(request, pk: int, entry_id: int):
    evaluation = _get_evaluation_for_user(request, pk)
    entry = get_object_or_404(DiaryEntry, pk=entry_id, person_id=evaluation.person_id)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.objective_cause_confirm(entry=entry, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The objective cause is confirmed; the deduction no longer counts."))
    else:
        messages.error(request, _("Describe the objective cause you confirm."))
    return redirect("evaluation:detail", pk)


# The agency's month, weights, discipline ------------------------------------------------------------


def _get_agency_for_reader(request, code: str) -> Agency:
    agency = get_object_or_404(Agency, code=code)
    if not org_selectors.access_scope(request.user).reads_agency(agency):
        raise Http404
    return agency


@login_required
@require_http_methods(["GET", "POST"])
def agency_month(request, code: str):
    agency = _get_agency_for_reader(request, code)
    month = parse_month(request.GET.get("month"), default=_this_month())
    month = min(month, _this_month())
    is_leader = services.is_leader(request.user, agency)
    if request.method == "POST":
        if not is_leader:
            raise PermissionDenied(_("Only the agency leader finalises evaluations."))
        try:
            chosen = {
                int(pk): int(request.POST.get(f"version-{pk}", ""))
                for pk in request.POST.getlist("evaluation")
            }
        except ValueError:
            messages.error(request, _("The form was incomplete. Reload the page and try again."))
        else:
            try:
                count = services.evaluations_finalise(evaluations=chosen, by=request.user)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("%(count)s evaluations are final.") % {"count": count})
        return redirect(f"{reverse('evaluation:agency_month', args=[agency.code])}?month={month:%Y-%m}")
    evaluations = list(selectors.agency_evaluations(agency, month))
    counts: dict[str, int] = {}
    for evaluation in evaluations:
        if evaluation.is_final:
            counts[evaluation.rating] = counts.get(evaluation.rating, 0) + 1
    return render(
        request,
        "evaluation/agency_month.html",
        {
            "agency": agency,
            "month": month,
            "evaluations": evaluations,
            "quota": selectors.quota(agency, month),
            "counts": counts,
            "is_leader": is_leader,
            "previous": selectors.month_start(month - datetime.timedelta(days=1)),
            "next": selectors.month_start(selectors.month_end(month) + datetime.timedelta(days=1)),
            "this_month": _this_month(),
            "can_edit_scheme": services.can_edit_scheme(request.user, agency),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def scheme_edit(request, code: str):
    agency = _get_agency_for_reader(request, code)
    if not services.can_edit_scheme(request.user, agency):
        raise PermissionDenied(_("Only an administrator of the agency changes its weights."))
    scheme = selectors.scheme_of(agency)
    form = SchemeForm(request.POST or None, instance=scheme, initial={"version": scheme.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.scheme_update(
                scheme=scheme,
                by=request.user,
                values={name: form.cleaned_data[name] for name in services.SCHEME_FIELDS},
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The weights were saved."))
            return redirect(f"{reverse('evaluation:agency_month', args=[agency.code])}")
    history = AuditEvent.objects.filter(object_type="scoringscheme", object_id=scheme.pk).select_related(
        "actor"
    )
    return render(
        request, "evaluation/scheme_form.html", {"agency": agency, "form": form, "history": history}
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_new(request, person_id: int):
    person = get_object_or_404(org_selectors.visible_people(request.user), pk=person_id)
    membership = org_selectors.membership_on(person, org_selectors.today())
    if membership is None or not org_selectors.access_scope(request.user).has_role(
        membership.unit.agency, Role.HR, Role.ADMINISTRATOR
    ):
        raise PermissionDenied(_("Only HR or an administrator records disciplinary measures."))
    form = MeasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_record(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The disciplinary measure was recorded."))
            return redirect("org:person", person.pk)
    return render(request, "evaluation/measure_form.html", {"person": person, "form": form})

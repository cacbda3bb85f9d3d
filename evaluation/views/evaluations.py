"""Pages of the monthly evaluation: my evaluations, scoring, the explained score, finalising, appeals.

Thin: access check (``evaluation.rules``), form, service, redirect or render; the rules of the
evaluation itself are in ``evaluation.services``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kpi_portal import periods, standards
from kpi_portal.access import check_perm, check_scope, permission_required
from kpi_portal.forms import add_service_errors
from kpi_portal.text import safe_next
from org import calendar
from org import selectors as org_selectors
from org.models import AuditEvent
from worklog import selectors as worklog_selectors
from worklog.models import DiaryEntry

from .. import leaders, scoring, selectors, services
from ..forms import (
    AppealDecisionForm,
    AppealForm,
    CriteriaForm,
    ReasonForm,
    parse_month,
)
from ..models import Appeal, AppealStatus, EvaluationStatus, MonthlyEvaluation


def _tabs(request) -> dict:
    return {"read_agencies": org_selectors.read_agencies(request.user)}


def this_month() -> datetime.date:
    return periods.month_start(org_selectors.today())


def _get_evaluation_for_user(request, pk: int, perm: str | None = None) -> MonthlyEvaluation:
    """The evaluation: 404 to those who may not read it, 403 to readers without ``perm`` (when given)."""
    evaluation = get_object_or_404(
        MonthlyEvaluation.objects.select_related("person", "agency", "unit", "scored_by", "finalised_by"),
        pk=pk,
    )
    check_scope(request.user, "evaluation.view_evaluation", evaluation)
    if perm is not None:
        check_perm(request.user, perm, evaluation)
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
    current = this_month()
    previous_month = periods.previous_month(current)
    return render(
        request,
        "evaluation/mine.html",
        {
            "evaluations": evaluations,
            "periods": selectors.period_results(request.user, year),
            "year": year,
            "years": range(today.year, today.year - 5, -1),
            "open_months": [current, previous_month],
            **_tabs(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_month(request, person_id: int, year: int, month: int):
    """The evaluation of a person for a month: its page when it exists; otherwise a button opens it.

    A GET never creates it (a link followed by a crawler or a prefetch must not write); the POST does.
    """
    person = get_object_or_404(org_selectors.visible_people(request.user), pk=person_id)
    try:
        first = datetime.date(year, month, 1)
    except ValueError:
        raise Http404 from None
    evaluation = selectors.evaluation_of(person, first)
    if evaluation is None and request.method == "GET":
        return render(
            request,
            "evaluation/person_month.html",
            {"person": person, "month": first, "begun": first <= this_month(), **_tabs(request)},
        )
    if evaluation is None:
        try:
            evaluation = services.evaluation_open(person=person, month=first)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("evaluation:mine" if person == request.user else "evaluation:scores")
    check_scope(request.user, "evaluation.view_evaluation", evaluation)
    return redirect("evaluation:detail", evaluation.pk)


@login_required
@permission_required("evaluation.score_evaluations")
def scores(request):
    """The months a reviewer scores: everyone they review, with where each evaluation stands."""
    month = parse_month(request.GET.get("month"), default=this_month())
    month = min(month, this_month())
    rows = selectors.people_to_score(request.user, month)
    return render(
        request,
        "evaluation/scores.html",
        {
            "month": month,
            "rows": rows,
            "previous": periods.previous_month(month),
            "next": periods.next_month(month),
            "this_month": this_month(),
            **_tabs(request),
        },
    )


def _criteria_initial(evaluation: MonthlyEvaluation, criteria, by: str) -> dict:
    """A criteria form filled with what ``by`` gave before; the supervisor starts from the self-assessment."""
    own = criteria[by]
    source = own or criteria["self"]
    initial: dict[str, Any] = {"version": evaluation.version}
    for criterion, given in source.items():
        initial[f"points_{criterion}"] = given.points
        if own:
            initial[f"comment_{criterion}"] = given.comment
    initial["comment"] = evaluation.self_comment if by == "self" else evaluation.supervisor_comment
    return initial


def _explanation(evaluation: MonthlyEvaluation) -> dict:
    """Everything the explained-score page shows, each number traced to entries and criteria."""
    scheme = selectors.scheme_of(evaluation.agency)
    criteria = selectors.criteria_of(evaluation)
    # The same leader parts as the score itself (``services.records.compute``).
    leader, factor = leaders.unit_factor_of(evaluation)
    members = leader.members if leader is not None else []
    # A scored month is explained on the basis it was scored on, even if the agency changed it since.
    work = selectors.month_work(
        evaluation,
        scheme,
        factor,
        basis=evaluation.task_basis or None,
        capacity_ratio=leaders.capacity_ratio_of(evaluation, leader),
    )
    live, entries = work.result, work.entries
    deductions = {d.entry_id: d for d in live.deductions}
    rows = [(entry, deductions.get(entry.pk)) for entry in entries]
    credited = {p.assignment_id: p for p in live.products}
    progress = worklog_selectors.assignment_progress(work.assignments)
    products = [(a, credited.get(a.pk), progress[a.pk]) for a in work.assignments]
    supervisor_points = {c: s.points for c, s in criteria["supervisor"].items()}
    stored = evaluation.status in (EvaluationStatus.SCORED, EvaluationStatus.FINAL)
    # The stored task score is the exact one rounded: compare it as stored.
    changed_since = stored and (standards.rounded(live.total) != evaluation.task_score)
    general_criteria = selectors.general_criteria(evaluation)
    general_rows = [
        (
            criterion,
            scheme.criterion_points(criterion.key),
            criteria["self"].get(criterion.key),
            criteria["supervisor"].get(criterion.key),
        )
        for criterion in general_criteria
    ]
    return {
        "scheme": scheme,
        "live": live,
        "leader": leader,
        "members_unrated": leader.unrated if leader is not None else 0,
        "rows": rows,
        "products": products,
        "members": members,
        "general_rows": general_rows,
        "general_criteria": general_criteria,
        "criteria_version": evaluation.criteria_version,
        "general_live": scoring.general_score(scheme, supervisor_points) if supervisor_points else None,
        "stored": stored,
        "changed_since": changed_since,
        "quantity_percent": live.quantity_ratio * 100,
        "quality_percent": live.quality_ratio * 100,
        "progress_percent": live.progress_ratio * 100,
        "quality_hours": live.quality_minutes / 60,
        "progress_hours": live.progress_minutes / 60,
        "own_points": live.own_points,
        "personal_share": live.personal_share,
        "approved_hours": live.approved_minutes / 60,
        "expected_hours": live.expected_minutes / 60,
        "assigned_hours": live.assigned_minutes / 60,
        "own_hours": live.own_initiative_minutes / 60,
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
    can_self_assess = user.has_perm("evaluation.self_assess", evaluation)
    is_evaluator = user.has_perm("evaluation.score_evaluation", evaluation)
    appeal = selectors.appeal_of(evaluation)
    deadline = services.appeal_deadline(evaluation)
    scheme = context["scheme"]
    if can_self_assess and evaluation.status in (EvaluationStatus.OPEN, EvaluationStatus.SELF_ASSESSED):
        forms.setdefault(
            "self_form",
            CriteriaForm(
                scheme=scheme,
                criteria=context["general_criteria"],
                initial=_criteria_initial(evaluation, criteria, "self"),
            ),
        )
    self_deadline = services.self_assessment_deadline(evaluation)
    without_self = evaluation.status == EvaluationStatus.OPEN and org_selectors.today() > self_deadline
    if is_evaluator and (
        evaluation.status in (EvaluationStatus.SELF_ASSESSED, EvaluationStatus.SCORED) or without_self
    ):
        initial = _criteria_initial(evaluation, criteria, "supervisor")
        initial["capacity"] = evaluation.capacity_percent
        forms.setdefault(
            "score_form",
            CriteriaForm(
                scheme=scheme,
                criteria=context["general_criteria"],
                leader=context["leader"] is not None,
                initial=initial,
            ),
        )
    can_appeal = (
        user.has_perm("evaluation.appeal_evaluation", evaluation)
        and evaluation.is_final
        and appeal is None
        and deadline is not None
        and org_selectors.today() <= deadline
    )
    if can_appeal:
        forms.setdefault("appeal_form", AppealForm())
    can_decide = user.has_perm("evaluation.decide_appeal", evaluation)
    if can_decide and appeal is not None and appeal.status == AppealStatus.PENDING:
        initial = _criteria_initial(evaluation, criteria, "supervisor")
        initial["version"] = appeal.version
        forms.setdefault(
            "decision_form",
            AppealDecisionForm(scheme=scheme, criteria=context["general_criteria"], initial=initial),
        )
    quota = None
    if (
        user.has_perm("evaluation.finalise_evaluation", evaluation)
        and evaluation.status == EvaluationStatus.SCORED
    ):
        quota = selectors.quota(
            evaluation.agency, evaluation.month, counting=evaluation, rating=evaluation.rating
        )
    events = AuditEvent.objects.filter(
        object_type__in=["monthlyevaluation", "appeal"],
        object_id__in=[evaluation.pk] + ([appeal.pk] if appeal else []),
    ).select_related("actor")
    history = [
        event
        for event in events
        if (event.object_type == "monthlyevaluation" and event.object_id == evaluation.pk)
        or (appeal and event.object_type == "appeal" and event.object_id == appeal.pk)
    ]
    return context | {
        "evaluation": evaluation,
        "is_evaluator": is_evaluator,
        "appeal": appeal,
        "deadline": deadline,
        "self_deadline": self_deadline,
        "provisional": not calendar.month_closed(evaluation.agency, evaluation.month, org_selectors.today()),
        "without_self": without_self,
        "quota": quota,
        "history": history,
        **forms,
    }


def _criteria_post(request, evaluation: MonthlyEvaluation, action, form_name: str, *, leader: bool = False):
    form = CriteriaForm(
        request.POST,
        scheme=selectors.scheme_of(evaluation.agency),
        criteria=selectors.general_criteria(evaluation),
        leader=leader,
    )
    if form.is_valid():
        extra = {"capacity": form.capacity_level()} if leader else {}
        try:
            action(
                evaluation=evaluation,
                by=request.user,
                points=form.points(),
                comments=form.comments(),
                comment=form.cleaned_data["comment"],
                version=form.cleaned_data["version"],
                **extra,
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
    evaluation = _get_evaluation_for_user(request, pk, "evaluation.self_assess")
    response = _criteria_post(request, evaluation, services.self_assess, "self_form")
    if response is None:
        messages.success(request, _("Your self-assessment was saved; your supervisor scores next."))
        return redirect("evaluation:detail", pk)
    return response


@login_required
@require_POST
def score(request, pk: int):
    evaluation = _get_evaluation_for_user(request, pk, "evaluation.score_evaluation")
    response = _criteria_post(
        request,
        evaluation,
        services.evaluation_score,
        "score_form",
        leader=leaders.leader_kind(evaluation) is not None,
    )
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
    evaluation = _get_evaluation_for_user(request, pk, "evaluation.finalise_evaluation")
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
    evaluation = _get_evaluation_for_user(request, pk, "evaluation.appeal_evaluation")
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
    evaluation = _get_evaluation_for_user(request, pk, "evaluation.decide_appeal")
    appeal = get_object_or_404(Appeal, evaluation=evaluation)
    form = AppealDecisionForm(
        request.POST,
        scheme=selectors.scheme_of(evaluation.agency),
        criteria=selectors.general_criteria(evaluation),
    )
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
    entry = get_object_or_404(
        DiaryEntry.objects.select_related("agency"), pk=entry_id, person_id=evaluation.person_id
    )
    check_perm(request.user, "worklog.exempt_entry", entry)
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

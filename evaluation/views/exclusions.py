"""The entries of a person's month that still wait for review or were excluded from it: the page the
reviewer or the agency leader opens when finalising is refused because entries wait."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kpi_portal import periods
from worklog.models import DiaryEntry, EntryStatus

from ..models import MonthlyEvaluation
from ..services import exclusions
from .evaluations import _get_evaluation_for_user, _version


def _get_evaluation_for_decider(request, pk: int) -> MonthlyEvaluation:
    """The evaluation, to its reviewer or an agency leader: 404 outside their scope, 403 to other readers."""
    evaluation = _get_evaluation_for_user(request, pk)
    user = request.user
    if not (
        user.has_perm("evaluation.score_evaluation", evaluation)
        or user.has_perm("evaluation.finalise_evaluation", evaluation)
    ):
        raise PermissionDenied
    return evaluation


@login_required
def month_entries(request, pk: int):
    """Read by whoever reads the evaluation (the person too); excluded and taken back by its reviewer
    or an agency leader."""
    evaluation = _get_evaluation_for_user(request, pk)
    user = request.user
    can_decide = user.has_perm("evaluation.score_evaluation", evaluation) or user.has_perm(
        "evaluation.finalise_evaluation", evaluation
    )
    entries = (
        DiaryEntry.objects.filter(
            person_id=evaluation.person_id,
            date__range=(evaluation.month, periods.month_end(evaluation.month)),
            status__in=[EntryStatus.SUBMITTED, EntryStatus.EXCLUDED],
        )
        .select_related("task", "stage", "excluded_by")
        .order_by("date", "pk")
    )
    return render(
        request,
        "evaluation/month_entries.html",
        {
            "evaluation": evaluation,
            "entries": entries,
            "can_decide": can_decide,
            "here": request.get_full_path(),
        },
    )


@login_required
@require_POST
def entry_include(request, pk: int, entry_id: int):
    evaluation = _get_evaluation_for_decider(request, pk)
    entry = get_object_or_404(
        DiaryEntry.objects.select_related("person", "task", "agency"),
        pk=entry_id,
        person_id=evaluation.person_id,
        date__range=(evaluation.month, periods.month_end(evaluation.month)),
    )
    try:
        exclusions.entry_include(entry=entry, by=request.user, version=_version(request))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The exclusion was taken back: the entry waits for review again."))
    return redirect("evaluation:month_entries", pk)

"""Accepting and dismissing the suggestions of the day page; the rules are in evidence/suggestions.py."""

from __future__ import annotations

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kpi_portal.text import figure

from . import suggestions


def _item(request) -> tuple[str, int, datetime.date]:
    """The suggestion posted: its kind, id and day; 404 for anything that is not one of the user's own."""
    kind, pk = request.POST.get("kind", ""), request.POST.get("item", "")
    if kind not in suggestions.KINDS or not pk.isdigit() or len(pk) > 18:
        raise Http404
    try:
        return kind, int(pk), suggestions.item_day(request.user, kind, int(pk))
    except ObjectDoesNotExist as error:
        raise Http404 from error


@login_required
@require_POST
def accept(request):
    kind, pk, day = _item(request)
    stage, token = request.POST.get("stage", ""), request.POST.get("client_token", "")
    try:
        client_token = uuid.UUID(token) if token else None
    except ValueError:
        client_token = None
    if not stage.isdigit() or len(stage) > 18:
        messages.error(request, _("Choose the task and stage from the list."))
        return redirect("worklog:day", day=day)
    try:
        result = suggestions.accept(
            person=request.user,
            kind=kind,
            pk=pk,
            stage_id=int(stage),
            by=request.user,
            client_token=client_token,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Logged with the evidence %(evidence)s.") % {"evidence": result.entry.evidence_ref}
        )
        if result.over_eight_hours:
            messages.warning(
                request,
                _("This day now has %(hours)s standard hours, more than 8: it will be flagged for review.")
                % {"hours": figure(result.day_minutes / 60, 1)},
            )
    return redirect("worklog:day", day=day)


@login_required
@require_POST
def dismiss(request):
    kind, pk, day = _item(request)
    suggestions.dismiss(person=request.user, kind=kind, pk=pk)
    messages.success(request, _("The suggestion will not be offered again."))
    return redirect("worklog:day", day=day)

"""Justifying and clearing flags. The rules (who may, with what text) are in services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kpi_portal.access import check_perm, check_scope
from kpi_portal.text import safe_next

from . import services
from .models import EntryFlag


def _done(request, target: str):
    if request.htmx:
        return HttpResponse(headers={"HX-Redirect": target})
    return redirect(target)


def _get_flag(request, pk: int, perm: str) -> EntryFlag:
    """A flag the user may act on: 404 when they may not read its entry, 403 when they only read it."""
    flag = get_object_or_404(EntryFlag.objects.select_related("entry__person", "entry__agency"), pk=pk)
    check_scope(request.user, "evidence.view_flag", flag)
    check_perm(request.user, perm, flag)
    return flag


@login_required
@require_POST
def justify(request, pk: int):
    flag = _get_flag(request, pk, "evidence.justify_flag")
    target = safe_next(request, reverse("worklog:day", args=[flag.entry.date.isoformat()]))
    try:
        services.flag_justify(flag=flag, by=request.user, text=request.POST.get("justification", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your justification was saved; your reviewer will read it."))
    return _done(request, target)


@login_required
@require_POST
def clear(request, pk: int):
    flag = _get_flag(request, pk, "evidence.clear_flag")
    target = safe_next(request, reverse("review:queue"))
    try:
        # Named per flag: the queue's approval form may hold several reason fields.
        reason = request.POST.get(f"reason-{flag.pk}") or request.POST.get("reason", "")
        services.flag_clear(flag=flag, by=request.user, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The flag was cleared."))
    return _done(request, target)

"""Importing E-Office exports in the browser: HR officers and administrators of the agency."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods

from kpi_portal.access import check_perm
from org.models import Agency

from . import imports
from .forms import ImportForm
from .models import CalendarAssignment, OutgoingDocument

TEMPLATE_NAMES = {
    imports.ImportKind.DOCUMENTS: "cong-van-di",
    imports.ImportKind.CALENDAR: "lich-cong-tac",
}
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _get_agency_for_import(request, code: str) -> Agency:
    """The agency whose evidence is imported: 404 to outsiders, 403 to its members without the role."""
    agency = get_object_or_404(Agency, code=code)
    check_perm(request.user, "evidence.import_evidence", agency, scope="org.view_agency")
    return agency


def _holdings(agency: Agency) -> dict:
    """How much evidence the agency has, and when it was last imported (two queries)."""
    documents = OutgoingDocument.objects.filter(agency=agency).aggregate(
        count=Count("pk"), last=Max("imported_at")
    )
    assignments = CalendarAssignment.objects.filter(agency=agency).aggregate(
        count=Count("pk"), last=Max("imported_at")
    )
    return {"documents": documents, "assignments": assignments}


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, code: str):
    agency = _get_agency_for_import(request, code)
    initial = {"kind": imports.ImportKind.DOCUMENTS}
    form = ImportForm(request.POST or None, request.FILES or None, initial=initial)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = imports.import_file(
            agency=agency,
            kind=form.cleaned_data["kind"],
            filename=upload.name,
            content=upload.read(),
            by=request.user,
        )
    context = {"agency": agency, "form": form, "result": result, "holdings": _holdings(agency)}
    return render(request, "evidence/import.html", context)


@login_required
@require_GET
def import_template(request, code: str):
    agency = _get_agency_for_import(request, code)
    kind, fmt = request.GET.get("kind", ""), request.GET.get("format", "xlsx")
    if kind not in imports.ImportKind.values or fmt not in CONTENT_TYPES:
        raise Http404
    response = HttpResponse(imports.template(kind, fmt), content_type=CONTENT_TYPES[fmt])
    name = f"{TEMPLATE_NAMES[kind]}-{agency.code.lower()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

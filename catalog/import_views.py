"""The spreadsheet import pages: upload and check a file, then confirm it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import imports
from .forms import ImportForm
from .models import CatalogImport, ImportKind, ImportStatus
from .views import _get_agency


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, code: str):
    agency = _get_agency(request, code, manage=True)
    form = ImportForm(request.POST or None, request.FILES or None, initial={"kind": ImportKind.CATALOG})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        record = imports.check(
            agency=agency,
            kind=form.cleaned_data["kind"],
            filename=upload.name,
            content=upload.read(),
            by=request.user,
        )
        return redirect("catalog:import_preview", code=agency.code, pk=record.pk)
    recent = CatalogImport.objects.filter(agency=agency).select_related("created_by").defer("content")[:10]
    return render(request, "catalog/import_upload.html", {"agency": agency, "form": form, "recent": recent})


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request, code: str, pk: int):
    agency = _get_agency(request, code, manage=True)
    record = get_object_or_404(CatalogImport.objects.select_related("created_by"), pk=pk, agency=agency)
    if request.method == "POST":
        if record.status != ImportStatus.PREVIEWED:
            messages.error(request, _("This file was already handled; upload it again to import it."))
            return redirect("catalog:import_preview", code=agency.code, pk=record.pk)
        try:
            imports.apply(record=record, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("catalog:import_preview", code=agency.code, pk=record.pk)
        messages.success(request, _("Imported %(file)s into the draft.") % {"file": record.filename})
        return redirect("catalog:home", code=agency.code)
    return render(request, "catalog/import_preview.html", {"agency": agency, "record": record})

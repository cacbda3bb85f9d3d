"""The spreadsheet import pages: upload and check a file, then confirm it.

A large file is checked and applied by a background job (``catalog.import_jobs``): the preview page
then shows its progress, which htmx fetches again every 2 seconds (the same view answers an htmx
request with the status fragment only); without JavaScript, a link reloads the page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRefresh

from . import imports
from .import_forms import ImportForm
from .models import CatalogImport, ImportKind, ImportStatus
from .views import _get_agency

PROBLEMS_PER_PAGE = 100


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, code: str):
    agency = _get_agency(request, code, manage=True)
    form = ImportForm(request.POST or None, request.FILES or None, initial={"kind": ImportKind.CATALOG})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record = imports.check(
                agency=agency,
                kind=form.cleaned_data["kind"],
                filename=upload.name,
                content=upload.read(),
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("catalog:import_preview", code=agency.code, pk=record.pk)
    recent = (
        CatalogImport.objects.filter(agency=agency)
        .select_related("created_by")
        .defer("content", "problems", "summary")[:10]
    )
    return render(request, "catalog/import_upload.html", {"agency": agency, "form": form, "recent": recent})


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request, code: str, pk: int):
    agency = _get_agency(request, code, manage=True)
    # The file itself (up to CATALOG_IMPORT_MAX_BYTES) is never needed to show the page.
    imports_of_agency = CatalogImport.objects.filter(agency=agency).defer("content")
    record = get_object_or_404(imports_of_agency.select_related("created_by"), pk=pk)
    if request.method == "POST":
        if record.status != ImportStatus.PREVIEWED:
            messages.error(request, _("This file was already handled; upload it again to import it."))
            return redirect("catalog:import_preview", code=agency.code, pk=record.pk)
        try:
            record = imports.apply(record=record, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("catalog:import_preview", code=agency.code, pk=record.pk)
        if record.status == ImportStatus.APPLYING:
            return redirect("catalog:import_preview", code=agency.code, pk=record.pk)
        messages.success(request, _("Imported %(file)s into the draft.") % {"file": record.filename})
        return redirect("catalog:home", code=agency.code)
    context: dict[str, object] = {"agency": agency, "record": record}
    if request.htmx and record.background:
        if not record.is_unfinished:
            return HttpResponseClientRefresh()  # finished: the whole page changes (problems, summary)
        return render(request, "catalog/_import_status.html", context)
    if record.problems:
        context["problems"] = Paginator(record.problems, PROBLEMS_PER_PAGE).get_page(request.GET.get("page"))
        # Imports checked before the count was kept have all their problems in the list.
        context["problem_count"] = record.problem_count or len(record.problems)
    return render(request, "catalog/import_preview.html", context)

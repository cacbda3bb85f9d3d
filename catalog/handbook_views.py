"""The KPI handbook of any catalog version: the page, and its PDF prepared in the background.

``handbook_pdf`` is the PDF of one version: the stored file when it is ready; otherwise a page saying
it is being prepared, or offering to prepare it. GETs only read: the PDF is asked for by a POST (the
page sends it by itself through htmx when it loads; without JavaScript, a button), which also
prepares again a PDF whose job failed. Asked by htmx (``HX-Request``) both answer with the status
fragment the page polls every 2 seconds until the file is ready.
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from org.selectors import today

from . import handbook, handbook_jobs
from .handbook import VersionChoice
from .models import HandbookStatus
from .views import _get_agency, _manages


def _choices(request, agency) -> tuple[list[VersionChoice], VersionChoice | None]:
    """The versions the user may open and the one asked for (``?version=``): 404 for any other."""
    choices = handbook.version_choices(agency, manages=_manages(request, agency), on=today())
    asked = request.GET.get("version", "")
    choice = handbook.chosen_version(choices, asked)
    if asked and choice is None:
        raise Http404
    return choices, choice


def _pdf_context(request, agency, choice: VersionChoice) -> dict:
    context = handbook.handbook_context(agency, choice.version)
    if request.method == "POST":
        context["pdf"] = handbook_jobs.pdf_request(version=choice.version, context=context, again=True)
    else:
        context["pdf"] = handbook_jobs.pdf_find(version=choice.version, context=context)
    return context


@login_required
@require_safe
def handbook_page(request, code: str):
    agency = _get_agency(request, code)
    choices, choice = _choices(request, agency)
    context = {"agency": agency, "choices": choices, "choice": choice, "version": None}
    if choice is not None:
        context.update(_pdf_context(request, agency, choice))
        # Without JavaScript, reloading this page shows the PDF's progress.
        context["refresh_url"] = f"{reverse('catalog:handbook', args=[agency.code])}?version={choice.value}"
    return render(request, "catalog/handbook.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def handbook_pdf(request, code: str):
    agency = _get_agency(request, code)
    _all, choice = _choices(request, agency)
    if choice is None:
        raise Http404
    context = {"agency": agency, "choice": choice, **_pdf_context(request, agency, choice)}
    pdf = context["pdf"]
    if request.headers.get("HX-Request"):
        return render(request, "catalog/_handbook_pdf.html", context)
    if request.method == "POST":
        return redirect(f"{reverse('catalog:handbook_pdf', args=[agency.code])}?version={choice.value}")
    if pdf is not None and pdf.status == HandbookStatus.DONE:
        try:
            handle = pdf.file.open("rb")
        except FileNotFoundError as missing:
            raise Http404 from missing
        return FileResponse(
            handle,
            as_attachment=True,
            filename=handbook.pdf_filename(agency, choice.version),
            content_type="application/pdf",
        )
    return render(request, "catalog/handbook_pdf_status.html", context)

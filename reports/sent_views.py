"""The province's list of sent months: for each month, every agency of the province, sent to the
Department of Home Affairs or not, by whom, when, its due day, overdue ones marked. For province HR."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from kpi_portal.access import permission_required
from org import selectors as org_selectors

from . import sending
from .forms import SendingFilterForm
from .rules import province_sending_ids

ROWS_PER_PAGE = 50
YEARS_BACK = 4


@login_required
@permission_required("reports.view_province_sent")
def province_sent(request):
    today = org_selectors.today()
    default = sending.default_month(today)
    years = list(range(today.year, today.year - YEARS_BACK - 1, -1))
    form = SendingFilterForm(request.GET or None, years=years)
    year, month = default.year, default.month
    if form.is_bound and form.is_valid():
        year, month = form.cleaned_data["year"], form.cleaned_data["month"]
    elif not form.is_bound:
        form = SendingFilterForm(initial={"year": year, "month": month}, years=years)
    provinces = None if request.user.is_superuser else province_sending_ids(request.user)
    rows = sending.sending_rows(provinces, sending.months_of(year, month, today), today)
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(
        request,
        "reports/province_sent.html",
        {
            "form": form,
            "page": page,
            "querystring": querystring.urlencode(),
            "overdue": sum(1 for row in rows if row.overdue),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )

"""The diary's usage guide: how to pick a stage, what a fractional quantity means, what counts as
evidence. The same text is printed in the handbook PDF (``catalog/_usage_guide.html``)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET


@login_required
@require_GET
def guide(request):
    return render(request, "worklog/guide.html")

"""The KPI handbook (cẩm nang KPI) of any catalog version: one template for the page and, through
WeasyPrint, the PDF.

Which versions. Everyone who reads an agency's catalog reads the handbook of every published
version: the one in force, those it superseded, and one published with a later effective date, so it
can be handed out before that day. The draft's is for its catalog managers only (404 for anyone
else, as every draft page). ``version_choices`` lists them for the page's chooser with their state
(draft, in force, in force from a later date, superseded) on the day; ``chosen_version`` reads
``?version=N`` (a published version) or ``?version=draft``; without it a catalog manager sees the
draft they work on and everyone else the version in force. Anything else is a 404.

What is printed. The draft's page and PDF say "Dự thảo" in a diagonal watermark (in the PDF on every
page, a fixed element in ``handbook_pdf.html``) and that it is not in force; a published version's
cover says from which day it is in force. The PDF never depends on the day it is rendered.

The draft here is the version being worked on: a draft, or one waiting for the head's approval.

The PDF is rendered by a background job (``handbook_jobs``) and kept as a ``HandbookFile`` under
``MEDIA_ROOT`` (served only through the checked view). Each file carries its language and
``content_key``, a fingerprint of everything the PDF prints (agency, version, draft or published,
effective date, every task and stage, and ``LAYOUT``, the number of the PDF's layout). The page and
the download look for a finished file of the current fingerprint: a published version never
changes, so its PDF is rendered once and served from storage afterwards; a draft's fingerprint
changes with every edit, so its PDF is rendered again after a change (and the older files of the
version are deleted once the new one is ready). Opening the page asks for the PDF, so it is usually
ready by the time it is wanted; the page polls it (htmx, every 2 seconds) and shows the link. Bump
``LAYOUT`` when the PDF template changes so that stored files are remade.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from kpi_portal.text import short_date
from org.models import Agency

from . import selectors
from .models import COMMON_GROUPS, CatalogVersion, TaskGroup, VersionStatus

FONT_DIR = "vendor/noto-sans-2.003"

# Part of every fingerprint: raise it when handbook_pdf.html changes, so stored PDFs are rendered again.
LAYOUT = 3

Progress = Callable[[int, str], None]


def handbook_context(agency: Agency, version: CatalogVersion) -> dict:
    tasks = list(selectors.tasks_of(version, active_only=True))
    if version.status == VersionStatus.PUBLISHED and version.effective_from is not None:
        # Under the province's common catalog, the handbook staff hold is the whole catalog they work
        # with: its groups A, B and D, and the agency's own group C.
        on = max(version.effective_from, selectors.version_today())
        common = selectors.common_version_on(agency, on)
        if common is not None and selectors.version_on(agency, on) == version:
            own = [t for t in tasks if t.group not in COMMON_GROUPS]
            tasks = sorted(
                [*selectors.tasks_of(common, active_only=True), *own], key=lambda t: (t.group, t.code)
            )
    groups = [(value, label, [t for t in tasks if t.group == value]) for value, label in TaskGroup.choices]
    return {
        "agency": agency,
        "version": version,
        # Not published (a draft, or one waiting for approval): watermarked, never said to be in force.
        "is_draft": version.status != VersionStatus.PUBLISHED,
        "groups": [g for g in groups if g[2]],
        "task_count": len(tasks),
        "stage_count": sum(len(t.stages.all()) for t in tasks),
    }


def content_key(context: dict) -> str:
    """A fingerprint of what the PDF of ``context`` (``handbook_context``) prints."""
    agency, version = context["agency"], context["version"]
    content = {
        "layout": LAYOUT,
        "agency": [agency.code, agency.name, agency.province.name],
        "version": [
            version.number,
            version.status == VersionStatus.PUBLISHED,
            str(version.effective_from or ""),
        ],
        "tasks": [
            [
                task.group,
                task.code,
                task.name,
                task.description,
                task.output_unit,
                task.evidence_kind,
                [[stage.order, stage.name, stage.norm_minutes] for stage in task.stages.all()],
            ]
            for _value, _label, tasks in context["groups"]
            for task in tasks
        ],
    }
    encoded = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()


# Versions -----------------------------------------------------------------------------------------


class VersionState:
    DRAFT = "draft"
    IN_FORCE = "in_force"
    FUTURE = "future"
    SUPERSEDED = "superseded"


@dataclass(frozen=True)
class VersionChoice:
    version: CatalogVersion
    state: str

    @property
    def value(self) -> str:
        """What ``?version=`` says to show it."""
        return "draft" if self.state == VersionState.DRAFT else str(self.version.number)

    @property
    def label(self) -> str:
        number = self.version.number
        if self.state == VersionState.DRAFT:
            return _("Draft v%(number)s, not in force") % {"number": number}
        # Every published version has its effective date (published_catalog_has_effective_date).
        date = short_date(self.version.effective_from or datetime.date.min)
        labels = {
            VersionState.IN_FORCE: _("v%(number)s · from %(date)s · in force"),
            VersionState.FUTURE: _("v%(number)s · in force from %(date)s (not yet)"),
            VersionState.SUPERSEDED: _("v%(number)s · from %(date)s · superseded"),
        }
        return labels[self.state] % {"number": number, "date": date}


def version_choices(agency: Agency, *, manages: bool, on: datetime.date) -> list[VersionChoice]:
    """The versions whose handbook the reader may open, newest first, with their state on ``on``.

    One query. The version in force is ``selectors.version_on``'s rule: the latest effective date not
    after ``on``, the higher number of two on the same day.
    """
    versions = CatalogVersion.objects.filter(agency=agency).order_by("-number")
    if not manages:
        versions = versions.filter(status=VersionStatus.PUBLISHED)
    rows = list(versions)
    published = [v for v in rows if v.status == VersionStatus.PUBLISHED]
    started = [v for v in published if v.effective_from and v.effective_from <= on]
    in_force = max(started, key=lambda v: (v.effective_from, v.number), default=None)
    choices = []
    for version in rows:
        # The version being worked on, a draft or one waiting for approval: not in force, whatever its date.
        if version.status != VersionStatus.PUBLISHED:
            state = VersionState.DRAFT
        elif version == in_force:
            state = VersionState.IN_FORCE
        elif version.effective_from and version.effective_from > on:
            state = VersionState.FUTURE
        else:
            state = VersionState.SUPERSEDED
        choices.append(VersionChoice(version, state))
    return choices


_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


def chosen_version(choices: Sequence[VersionChoice], asked: str) -> VersionChoice | None:
    """The version ``?version=`` asks for among ``choices``; None when it names none of them.

    Without ``asked``: the draft when it is among the choices (a catalog manager's), else the version
    in force, else (none in force yet) the latest published one.
    """
    if not asked:
        by_state = {choice.state: choice for choice in reversed(choices)}
        default = by_state.get(VersionState.DRAFT) or by_state.get(VersionState.IN_FORCE)
        return default or next((c for c in choices if c.state != VersionState.DRAFT), None)
    if asked == "draft":
        return next((c for c in choices if c.state == VersionState.DRAFT), None)
    # ASCII digits only: str.isdigit also accepts "²", which int() refuses.
    if not _NUMBER.fullmatch(asked):
        return None
    number = int(asked)
    return next((c for c in choices if c.value == str(number)), None)


# The PDF ------------------------------------------------------------------------------------------


def _font_url(name: str) -> str:
    path = finders.find(f"{FONT_DIR}/{name}")
    if path is None:  # pragma: no cover - the font is committed under static/
        raise FileNotFoundError(f"{FONT_DIR}/{name} is missing from static/")
    return Path(path).as_uri()


def _no_progress(percent: int, step: str) -> None:
    return None


def render_pdf(
    agency: Agency, version: CatalogVersion, progress: Progress = _no_progress, *, context: dict | None = None
) -> bytes:
    """The handbook as a PDF (seconds of work: called by the background job, ``handbook_jobs``)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    context = dict(context or handbook_context(agency, version))
    context["fonts"] = {
        "regular": _font_url("NotoSans-Regular.ttf"),
        "bold": _font_url("NotoSans-Bold.ttf"),
        "italic": _font_url("NotoSans-Italic.ttf"),
    }
    html = render_to_string("catalog/handbook_pdf.html", context)
    progress(20, _("Laying out the pages"))
    # Only our own font files may be read: a PDF never fetches anything from the network.
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"file"})).render()
    progress(80, _("Writing the PDF"))
    return document.write_pdf()


def pdf_filename(agency: Agency, version: CatalogVersion) -> str:
    draft = "-du-thao" if version.status != VersionStatus.PUBLISHED else ""
    return f"cam-nang-kpi-{agency.code.lower()}-v{version.number}{draft}.pdf"

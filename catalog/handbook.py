"""The KPI handbook (cẩm nang KPI): one template for the page and, through WeasyPrint, the PDF."""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from org.models import Agency

from . import selectors
from .models import CatalogVersion, TaskGroup

FONT_DIR = "vendor/noto-sans-2.003"


def handbook_context(agency: Agency, version: CatalogVersion) -> dict:
    tasks = list(selectors.tasks_of(version, active_only=True))
    groups = [(value, label, [t for t in tasks if t.group == value]) for value, label in TaskGroup.choices]
    return {
        "agency": agency,
        "version": version,
        "groups": [g for g in groups if g[2]],
        "task_count": len(tasks),
        "stage_count": sum(len(t.stages.all()) for t in tasks),
    }


def _font_url(name: str) -> str:
    path = finders.find(f"{FONT_DIR}/{name}")
    if path is None:  # pragma: no cover - the font is committed under static/
        raise FileNotFoundError(f"{FONT_DIR}/{name} is missing from static/")
    return Path(path).as_uri()


def render_pdf(agency: Agency, version: CatalogVersion) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    context = handbook_context(agency, version)
    context["fonts"] = {
        "regular": _font_url("NotoSans-Regular.ttf"),
        "bold": _font_url("NotoSans-Bold.ttf"),
        "italic": _font_url("NotoSans-Italic.ttf"),
    }
    html = render_to_string("catalog/handbook_pdf.html", context)
    # Only our own font files may be read: a PDF never fetches anything from the network.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"file"})).write_pdf()


def pdf_filename(agency: Agency, version: CatalogVersion) -> str:
    return f"cam-nang-kpi-{agency.code.lower()}-v{version.number}.pdf"

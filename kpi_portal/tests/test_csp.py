"""The Content-Security-Policy (kpi_portal/settings/csp.py): the header, its report-only variant, templates
without inline code, charts without inline styles, and pages that load in a real browser without a
violation (every browser test checks that too: ``watch_csp`` in conftest.py)."""

import html
import importlib
import re
from pathlib import Path
from typing import cast

import pygal
import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from kpi_portal.settings import csp as csp_settings
from org.models import User
from org.tests.factories import UserFactory
from reports import charts

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Rendered by WeasyPrint into PDFs only, never sent to a browser: they keep their <style>.
PDF_ONLY = ("reports/pdf/", "catalog/handbook_pdf.html")
INLINE_CODE = {
    "a style attribute": re.compile(r"\sstyle\s*="),
    "a <style> element": re.compile(r"<style[\s>]"),
    "an inline event handler": re.compile(r"\son[a-z]+\s*=\s*[\"']"),
    "an inline script": re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*type=\"application/json\")[^>]*>"),
    "a javascript: URL": re.compile(r"=\s*[\"']?\s*javascript:", re.IGNORECASE),
    "an hx-on attribute": re.compile(r"\shx-on"),
}


def directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return dict(parts)


def test_the_login_page_sends_the_policy(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == POLICY
    assert "Content-Security-Policy-Report-Only" not in response
    assert response["X-Frame-Options"] == "DENY"


def test_an_app_page_sends_the_policy(client, org):
    client.force_login(org.member1)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == POLICY


def test_csp_report_only_sends_the_same_policy_that_blocks_nothing(client, monkeypatch):
    monkeypatch.setenv("CSP_REPORT_ONLY", "true")
    monkeypatch.setenv("CSP_REPORT_URI", "https://errors.example.gov.vn/api/1/security/")
    module = importlib.reload(csp_settings)
    try:
        with override_settings(
            CONTENT_SECURITY_POLICY=module.CONTENT_SECURITY_POLICY,
            CONTENT_SECURITY_POLICY_REPORT_ONLY=module.CONTENT_SECURITY_POLICY_REPORT_ONLY,
        ):
            response = client.get(reverse("login"))
    finally:
        monkeypatch.delenv("CSP_REPORT_ONLY")
        monkeypatch.delenv("CSP_REPORT_URI")
        importlib.reload(csp_settings)

    assert "Content-Security-Policy" not in response
    assert directives(response["Content-Security-Policy-Report-Only"]) == {
        **POLICY,
        "report-uri": "https://errors.example.gov.vn/api/1/security/",
    }


def test_no_template_a_browser_gets_has_inline_script_handlers_or_styles():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name.startswith(PDF_ONLY):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            found += [
                f"{name}:{number}: {what}" for what, pattern in INLINE_CODE.items() if pattern.search(line)
            ]

    assert found == []


def test_the_template_check_would_see_inline_code():
    lines = [
        '<div style="width: 5%">',
        '<select onchange="this.form.submit()">',
        "<script>alert(1)</script>",
        '<a href="javascript:void(0)">',
        '<button hx-on:click="x()">',
        "<style>p { color: red }</style>",
    ]
    assert all(any(p.search(line) for p in INLINE_CODE.values()) for line in lines)
    assert not any(
        p.search('<script src="/static/js/diary.js" defer></script>') for p in INLINE_CODE.values()
    )


def six_series_chart_with_a_dashed_line():
    chart = pygal.Line(**charts._config(title="Chart", legend_at_bottom=True))
    chart.x_labels = ["1", "2"]
    for index in range(5):
        chart.add(f"Series {index}", [index, index + 1])
    chart.add("Norm", [8, 8], show_dots=False, stroke_style={"dasharray": "6, 4"})
    return chart


def test_a_chart_carries_no_inline_style_and_keeps_its_dashed_line():
    svg = charts._render(six_series_chart_with_a_dashed_line())

    assert "<style" not in svg and "style=" not in svg and "<script" not in svg
    assert '<g stroke-dasharray="6, 4" class="series serie-5 color-5">' in svg
    assert 'class="pygal-chart"' in svg


def rules(css: str) -> set[str]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    return {rule.strip() + "}" for rule in css.split("}") if rule.strip()}


def test_the_charts_stylesheet_is_what_pygal_would_write_inline():
    served = (Path(settings.BASE_DIR) / "static" / charts.STYLESHEET).read_text(encoding="utf-8")
    assert served == charts.stylesheet(), (
        "static/css/charts.css is out of date: "
        '.venv/bin/python manage.py shell -c "from reports import charts; charts.write_stylesheet()"'
    )

    inline = charts.chart_css(six_series_chart_with_a_dashed_line().render(is_unicode=True))
    missing = rules(inline) - rules(served)
    # Only the dashed series' own rule, which _render writes as attributes of the series instead.
    assert missing == {".pygal-chart .series.serie-5{stroke-dasharray:6,4}"}


@pytest.mark.django_db
def test_django_admin_pages_have_no_inline_script_or_style(client):
    admin = cast(User, UserFactory(username="root", is_staff=True, is_superuser=True))
    client.force_login(admin)  # with the second factor done (conftest.py)

    for url in (
        reverse("admin:index"),
        reverse("admin:org_user_changelist"),
        reverse("admin:org_user_change", args=[admin.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert response["Content-Security-Policy"]
        assert [what for what, pattern in INLINE_CODE.items() if pattern.search(html)] == [], url


@pytest.mark.browser
@pytest.mark.clock_free
@pytest.mark.django_db(transaction=True)
def test_django_admin_loads_in_a_browser_without_a_violation(browser, live_server, watch_csp, client):
    """The Django admin under the policy (no exemption for /admin/); ``watch_csp`` fails on a violation."""
    from playwright.sync_api import expect

    admin = cast(User, UserFactory(username="root", is_staff=True, is_superuser=True))
    client.force_login(admin)  # with the second factor done (conftest.py)
    context = watch_csp(browser.new_context(locale="vi-VN", base_url=live_server.url))
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    tab = context.new_page()
    for url in (
        reverse("admin:index"),
        reverse("admin:org_user_changelist"),
        reverse("admin:org_user_change", args=[admin.pk]),
    ):
        tab.goto(url)
        expect(tab.locator("#content")).to_be_visible()
    context.close()


@pytest.mark.browser
@pytest.mark.clock_free
@pytest.mark.django_db(transaction=True)
def test_the_watch_sees_a_violation(page, live_server, watch_csp):
    """A style attribute added to a page is refused by the browser and recorded by ``watch_csp``."""
    page.goto(reverse("login"))
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_timeout(500)

    assert any("style-src" in violation for violation in watch_csp.violations)
    watch_csp.violations.clear()


def test_a_pdf_puts_the_charts_styles_back_into_each_chart():
    """WeasyPrint styles an SVG from its own <style> only, and a PDF is not under the policy."""
    chart = charts._render(six_series_chart_with_a_dashed_line())
    page = f"<html><body>{chart}<p>{chart}</p></body></html>"

    printed = charts.for_print(page)

    inserted = re.findall(
        r'<svg [^>]*class="pygal-chart"[^>]*><defs><style>(.*?)</style></defs>', printed, re.DOTALL
    )
    assert len(inserted) == 2
    assert html.unescape(inserted[0]) == charts.print_stylesheet()
    # What paper needs of the stylesheet stays (the series' colours, the dashed line's class, the
    # tooltip hidden); hovering, transitions and the tooltip's insides go; so do the tooltips' values.
    printed_rules = charts.print_stylesheet()
    assert ".pygal-chart .color-5{stroke:#20c997;fill:#20c997}" in printed_rules
    assert ".pygal-chart .tooltip{opacity:0}" in printed_rules
    assert ".pygal-chart .nofill{fill:none}" in printed_rules
    assert ":hover" not in printed_rules and "transition" not in printed_rules
    assert ".tooltip rect" not in printed_rules
    assert "<desc" in page and "<desc" not in printed


@pytest.mark.browser
@pytest.mark.clock_free
@pytest.mark.django_db(transaction=True)
def test_the_api_documentation_loads_in_a_browser_without_a_violation(page):
    from playwright.sync_api import expect

    page.goto(reverse("api:docs"))

    expect(page.locator("#swagger-ui .info .title")).to_be_visible()
    expect(page.locator("#swagger-ui .opblock").first).to_be_visible()

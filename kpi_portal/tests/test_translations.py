"""The Vietnamese catalog is complete: every string of the interface has a translation."""

import shutil
import subprocess
import sys

from django.conf import settings

from conftest import require

PO = settings.BASE_DIR / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def untranslated(po_file) -> str:
    """The entries of a catalog that are untranslated or fuzzy, as gettext prints them."""
    found = ""
    for flag in ("--untranslated", "--only-fuzzy"):
        result = subprocess.run(["msgattrib", flag, str(po_file)], capture_output=True, text=True, check=True)
        found += result.stdout
    return found


def test_the_committed_catalog_has_no_missing_or_fuzzy_entries():
    require(shutil.which("msgattrib") is not None, "gettext (msgattrib) is not installed")

    assert untranslated(PO) == ""


def test_every_string_in_the_code_is_in_the_catalog(tmp_path):
    require(shutil.which("xgettext") is not None, "gettext (xgettext) is not installed")
    copy = tmp_path / "project"
    shutil.copytree(
        settings.BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".git", "staticfiles", "media", "node_modules", "*.sqlite3"),
    )

    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-obsolete", "--no-location"],
        cwd=copy,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "kpi_portal.settings.test"},
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert untranslated(copy / "locale" / "vi" / "LC_MESSAGES" / "django.po") == ""


def test_the_compiled_catalog_is_up_to_date():
    require(shutil.which("msgfmt") is not None, "gettext (msgfmt) is not installed")
    mo = PO.with_suffix(".mo")

    compiled = subprocess.run(["msgfmt", "-o", "-", str(PO)], capture_output=True, check=True).stdout

    assert mo.read_bytes() == compiled, "run `make messages` and commit locale/vi/LC_MESSAGES/django.mo"

"""python manage.py import_calendar --agency STC FILE

Meetings and field visits of the work calendar exported from E-Office (docs/evidence-format.md).
All or nothing: with any problem nothing is written and the command exits 1 after listing them.
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from evidence import imports

from .import_documents import run_import


class Command(BaseCommand):
    help = "Import an agency's work calendar (meetings, field visits) from an E-Office export (.xlsx, .csv)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--agency", required=True, help="Agency code, e.g. STC")

    def handle(self, *args, file: Path, agency: str, **options):
        run_import(self, kind=imports.ImportKind.CALENDAR, file=file, agency=agency)

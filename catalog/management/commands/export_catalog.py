"""python manage.py export_catalog --agency STC --out catalog.xlsx [--draft] [--declared]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog import selectors, spreadsheets
from kpi_portal import spreadsheets as tables
from org.selectors import today

from ._agency import agency_from


class Command(BaseCommand):
    help = "Write an agency's catalog (or its declared tasks) to an .xlsx or .csv file."

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True)
        parser.add_argument("--out", required=True, type=Path, help="File to write; .xlsx or .csv")
        parser.add_argument(
            "--draft", action="store_true", help="Export the draft instead of the version in force"
        )
        parser.add_argument("--declared", action="store_true", help="Export the declared tasks instead")

    def handle(self, *args, agency: str, out: Path, draft: bool, declared: bool, **options):
        target = agency_from(agency)
        if out.suffix.lower() not in (".xlsx", ".csv"):
            raise CommandError("--out must end in .xlsx or .csv")
        if declared:
            headers, rows = spreadsheets.DECLARED_HEADERS, spreadsheets.declared_rows(target)
        else:
            version = selectors.draft_of(target) if draft else selectors.current_version(target, today())
            if version is None:
                raise CommandError(f"{target.code} has no {'draft' if draft else 'published'} catalog.")
            headers, rows = spreadsheets.CATALOG_HEADERS, spreadsheets.catalog_rows(version)
        if out.suffix.lower() == ".xlsx":
            content = tables.to_xlsx(headers, rows, title=target.code)
        else:
            content = tables.to_csv(headers, rows)
        out.write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(rows)} rows to {out}"))

"""python manage.py export_handbook --agency STC --out handbook.pdf [--draft]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog import handbook, selectors
from org.selectors import today

from ._agency import agency_from


class Command(BaseCommand):
    help = "Write an agency's KPI handbook (cẩm nang KPI) as a PDF, the same as the download."

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True)
        parser.add_argument("--out", required=True, type=Path)
        parser.add_argument("--draft", action="store_true", help="The draft instead of the version in force")

    def handle(self, *args, agency: str, out: Path, draft: bool, **options):
        target = agency_from(agency)
        version = selectors.draft_of(target) if draft else selectors.current_version(target, today())
        if version is None:
            raise CommandError(f"{target.code} has no {'draft' if draft else 'published'} catalog.")
        out.write_bytes(handbook.render_pdf(target, version))
        self.stdout.write(self.style.SUCCESS(f"Wrote {out}"))

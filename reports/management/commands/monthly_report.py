"""``manage.py monthly_report --agency STC --month 2026-09 --out bao-cao.pdf``: the monthly PDF, now."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from kpi_portal import periods
from org import selectors as org_selectors
from reports import pdf

from .quarterly_report import agency_or_error, reporter, write


class Command(BaseCommand):
    help = (
        "Write an agency's monthly report (the one sent to the Department of Home Affairs) as a PDF; "
        "the month is computed first when needed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="agency code, e.g. STC")
        parser.add_argument("--month", required=True, help="YYYY-MM, e.g. 2026-09")
        parser.add_argument("--out", required=True, help="the PDF file to write")
        parser.add_argument("--quiet", action="store_true", help="do not print the progress")

    def handle(self, *args, agency: str, month: str, out: str, quiet: bool = False, **options):
        try:
            first = periods.parse_month(month)
        except ValueError as error:
            raise CommandError(f"--month must look like 2026-09, not {month!r}.") from error
        if first > org_selectors.today():
            raise CommandError(f"The month {month} has not begun yet.")
        found = agency_or_error(agency)
        with translation.override(settings.LANGUAGE_CODE):
            content = pdf.monthly_pdf(found, first, reporter(self, quiet))
        write(self, out, content)

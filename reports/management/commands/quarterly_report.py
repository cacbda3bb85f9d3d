"""``manage.py quarterly_report --agency STC --quarter 2026-Q3 --out bao-cao.pdf``: the quarterly PDF."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from kpi_portal import periods
from org import selectors as org_selectors
from org.models import Agency
from reports import pdf


def agency_or_error(code: str) -> Agency:
    agency = Agency.objects.select_related("province").filter(code=code).first()
    if agency is None:
        raise CommandError(f"No agency with the code {code!r}.")
    return agency


def write(command: BaseCommand, out: str, content: bytes) -> None:
    path = Path(out)
    try:
        path.write_bytes(content)
    except OSError as error:
        raise CommandError(f"Cannot write {path}: {error}") from error
    command.stdout.write(command.style.SUCCESS(f"Wrote {path} ({len(content) // 1024} KiB)"))


def reporter(command: BaseCommand, quiet: bool):
    def progress(percent: int, step: str) -> None:
        if not quiet:
            command.stdout.write(f"{percent:3d} % {step}")

    return progress


class Command(BaseCommand):
    help = "Write an agency's quarterly report for HR as a PDF (months not computed yet are computed first)."

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="agency code, e.g. STC")
        parser.add_argument("--quarter", required=True, help="YYYY-Qn, e.g. 2026-Q3")
        parser.add_argument("--out", required=True, help="the PDF file to write")
        parser.add_argument("--quiet", action="store_true", help="do not print the progress")

    def handle(self, *args, agency: str, quarter: str, out: str, quiet: bool = False, **options):
        try:
            first = periods.parse_quarter(quarter)
        except ValueError as error:
            raise CommandError(f"--quarter must look like 2026-Q3, not {quarter!r}.") from error
        if first > org_selectors.today():
            raise CommandError(f"The quarter {quarter} has not begun yet.")
        found = agency_or_error(agency)
        with translation.override(settings.LANGUAGE_CODE):
            content = pdf.quarterly_pdf(found, first, reporter(self, quiet))
        write(self, out, content)

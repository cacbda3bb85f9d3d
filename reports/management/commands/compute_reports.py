from django.core.management.base import BaseCommand, CommandError

from kpi_portal import periods
from org.models import Agency
from reports.services import month_compute


class Command(BaseCommand):
    help = "Compute the monthly figures of a month (YYYY-MM) for one agency or all, in this process."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--agency", help="agency code, e.g. STC (default: every agency)")

    def handle(self, *args, month: str, agency: str | None = None, **options):
        try:
            first = periods.parse_month(month)
        except ValueError:
            raise CommandError(f"--month must look like 2026-09, not {month!r}") from None
        agencies = Agency.objects.order_by("code")
        if agency:
            agencies = agencies.filter(code=agency)
            if not agencies.exists():
                raise CommandError(f"No agency with the code {agency!r}")
        for each in agencies:
            result = month_compute(agency=each, month=first)
            self.stdout.write(f"{each.code} {first:%m/%Y}: {result.people} people in {result.duration_ms} ms")

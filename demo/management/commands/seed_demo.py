"""python manage.py seed_demo [--no-diaries] [--force]

The demo organisation (Khánh Hòa: STC with 84 people, SXD, SNV), its catalogs (demo/data/*.xlsx,
loaded through catalog's import) and five months of diaries ending today, with their evidence,
evaluations and monthly figures. Idempotent: a second run leaves the same rows.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from demo.assignments import seed_assignments
from demo.audit import seed_audit
from demo.catalogs import seed_catalogs
from demo.diaries import seed_diaries
from demo.evaluations import seed_evaluations
from demo.evidence import seed_evidence
from demo.figures import seed_figures
from demo.organisation import PASSWORD, seed_organisation
from demo.second_factor import DEMO_TOTP_SECRET, seed_second_factor
from demo.window import demo_window
from org.models import User


class Command(BaseCommand):
    help = "Create or refresh the demo organisation (Khánh Hòa, STC with 84 people, SXD, SNV)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG=False (never on real data)."
        )
        parser.add_argument(
            "--no-diaries",
            action="store_true",
            help="Only the organisation and the catalogs: no diaries, evidence, evaluations or figures.",
        )

    def handle(self, *args, force: bool = False, no_diaries: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo refuses to run with DEBUG=False: it would add demo accounts with a "
                "known password. Use --force only on a throw-away database."
            )
        with transaction.atomic():
            window = demo_window(timezone.localdate())
            counts = seed_organisation(window=window)
            second_factors = seed_second_factor()
            catalogs = seed_catalogs(
                by=User.objects.get(username="admin"), effective_from=window.catalog_from
            )
            if not no_diaries:
                diary_entries = seed_diaries(window=window)
                documents, assignments = seed_evidence(window=window)
                work_assigned = seed_assignments(window=window)
                evaluations = seed_evaluations(window=window)
                months = seed_figures(window=window)
                events = seed_audit(window=window)
        for code, people in counts.items():
            tasks, declared = catalogs[code]
            self.stdout.write(
                f"{code}: {people} people; catalog: {declared} declared → {tasks} standard tasks"
            )
        if not no_diaries:
            self.stdout.write(f"Work diaries from {window.start:%d/%m/%Y}: {diary_entries} entries added")
            self.stdout.write(f"E-Office evidence: {documents} documents, {assignments} meetings and visits")
            self.stdout.write(f"Assignments: {work_assigned} given to STC's staff (July to now)")
            self.stdout.write(f"Evaluations: {evaluations} final monthly evaluations added")
            self.stdout.write(f"Monthly figures: {months} agency-months computed")
            self.stdout.write(f"Audit trail: {events} events of that history")
        self.stdout.write(
            f"Second factor: {second_factors} apps added for leaders, HR, administrators and province scope, "
            f"all with the demo secret {DEMO_TOTP_SECRET} (python -m demo.second_factor prints the code)"
        )
        self.stdout.write(self.style.SUCCESS(f"Demo data ready; every demo password is {PASSWORD}"))

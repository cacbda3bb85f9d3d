"""python manage.py check_review_line [--date YYYY-MM-DD]

Lists every active member whom nobody reviews on the date (default today): their entries would wait
for ever. Exits with status 1 when there is anyone, so a deployment script can stop on it.
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from org.selectors import people_without_reviewer, today


class Command(BaseCommand):
    help = "List the active members whom nobody reviews (exit status 1 when there is anyone)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The date to check (YYYY-MM-DD); today by default.")

    def handle(self, *args, date: str | None = None, **options):
        try:
            on = datetime.date.fromisoformat(date) if date else today()
        except ValueError as error:
            raise CommandError(f"--date: {error}") from error
        gaps = people_without_reviewer(on)
        for gap in gaps:
            self.stdout.write(
                f"{gap.agency.code}\t{gap.unit.code} {gap.unit.name}\t{gap.person.username} {gap.person}"
            )
        if gaps:
            self.stderr.write(
                self.style.ERROR(
                    f"{len(gaps)} people have no reviewer on {on:%d/%m/%Y}: their entries would wait."
                )
            )
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS(f"Everybody has a reviewer on {on:%d/%m/%Y}."))

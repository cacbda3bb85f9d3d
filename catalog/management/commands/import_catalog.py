"""python manage.py import_catalog --agency STC FILE [--kind declared]

All or nothing: with any problem, nothing changes and the command exits 1
after listing each problem with its row and column.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from catalog import imports
from catalog.models import ImportKind, ImportStatus

from ._agency import agency_from


class Command(BaseCommand):
    help = "Import an agency's catalog (or declared tasks) from an .xlsx or .csv file into its draft."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--agency", required=True, help="Agency code, e.g. STC")
        parser.add_argument(
            "--kind",
            choices=ImportKind.values,
            default=ImportKind.CATALOG,
            help="catalog (standard tasks and stages, the default) or declared (declared tasks)",
        )

    def handle(self, *args, file: Path, agency: str, kind: str, **options):
        target = agency_from(agency)
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        # The command waits anyway: even a large file is checked and applied here, not by the worker.
        record = imports.check(
            agency=target, kind=kind, filename=file.name, content=content, by=None, inline=True
        )
        if record.status == ImportStatus.REJECTED:
            for problem in record.problems:
                where = ", ".join(
                    part
                    for part in (
                        f"row {problem['row']}" if problem["row"] else "",
                        problem["column"] or "",
                    )
                    if part
                )
                self.stderr.write(f"{where}: {problem['message']}" if where else problem["message"])
            if record.problem_count > len(record.problems):
                self.stderr.write(f"… and {record.problem_count - len(record.problems)} more.")
            raise CommandError(f"{record.problem_count} problem(s) in {file.name}; nothing was imported.")
        try:
            imports.apply(record=record, by=None)
        except ValidationError as error:
            for message in error.messages:
                self.stderr.write(message)
            raise CommandError(f"{file.name} was not imported: the draft refused it.") from None
        self.stdout.write(
            self.style.SUCCESS(f"Imported {file.name} into the draft of {target.code}: {record.summary}")
        )

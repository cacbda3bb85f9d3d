"""python manage.py import_documents --agency STC FILE

Outgoing documents (công văn đi) exported from E-Office; the format is in docs/evidence-format.md.
All or nothing: with any problem nothing is written and the command exits 1 after listing them.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog.management.commands._agency import agency_from
from evidence import imports


def run_import(command: BaseCommand, *, kind: str, file: Path, agency: str) -> None:
    """Shared by import_documents and import_calendar."""
    target = agency_from(agency)
    try:
        content = file.read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {file}: {error.strerror}") from None
    result = imports.import_file(agency=target, kind=kind, filename=file.name, content=content, by=None)
    if not result.ok:
        for problem in result.problems:
            where = ", ".join(
                part for part in (f"row {problem.row}" if problem.row else "", problem.column or "") if part
            )
            command.stderr.write(f"{where}: {problem.message}" if where else problem.message)
        raise CommandError(f"{len(result.problems)} problem(s) in {file.name}; nothing was imported.")
    command.stdout.write(
        command.style.SUCCESS(
            f"Imported {file.name} into {target.code}: {result.rows} rows, {result.created} created, "
            f"{result.updated} updated, {result.unchanged} unchanged."
        )
    )


class Command(BaseCommand):
    help = "Import an agency's outgoing documents from an E-Office export (.xlsx or .csv)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--agency", required=True, help="Agency code, e.g. STC")

    def handle(self, *args, file: Path, agency: str, **options):
        run_import(self, kind=imports.ImportKind.DOCUMENTS, file=file, agency=agency)

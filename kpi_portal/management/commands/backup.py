"""python manage.py backup [--output DIR]

The database (pg_dump's custom format, or a copy of the SQLite file) and every file under MEDIA_ROOT,
with a manifest of row counts and migrations, in a new directory (kpi_portal/backups.py,
docs/operations.md).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from kpi_portal.backups import BackupError, Database, create_backup


class Command(BaseCommand):
    help = "Back up the database and the report files (MEDIA_ROOT) into a new directory with a manifest."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="The directory that receives the backup's own directory (default: BACKUP_DIR).",
        )

    def handle(self, *args, output: Path | None = None, **options):
        database = Database.from_settings(connections[DEFAULT_DB_ALIAS].settings_dict)
        try:
            directory = create_backup(
                database=database,
                media_root=Path(settings.MEDIA_ROOT),
                output_dir=output or Path(settings.BACKUP_DIR),
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backed up {database} and {settings.MEDIA_ROOT} into:"))
        self.stdout.write(str(directory))

"""python manage.py restore BACKUP_DIR [--database-url URL] [--media-root DIR] [--force]

Puts a backup made by ``manage.py backup`` into a database (by default the configured one) and a media
directory, then checks every table's row count against the manifest (kpi_portal/backups.py,
docs/operations.md). An existing database or media directory is never overwritten without --force.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from kpi_portal.backups import BackupError, Database, migrations_to_apply, restore_backup


class Command(BaseCommand):
    help = "Restore a backup into an empty database and media directory, and check its row counts."

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="The backup's directory (kpi-backup-…).")
        parser.add_argument(
            "--database-url",
            default=None,
            help="The database to restore into, e.g. postgres://user@host/kpi_new (default: DATABASE_URL).",
        )
        parser.add_argument(
            "--media-root",
            type=Path,
            default=None,
            help="Where the report files go (default: MEDIA_ROOT).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the tables and files of a database and media directory that are not empty.",
        )

    def handle(self, *args, backup: Path, database_url=None, media_root=None, force=False, **options):
        try:
            if database_url:
                database = Database.from_url(database_url)
            else:
                database = Database.from_settings(connections[DEFAULT_DB_ALIAS].settings_dict)
            media_root = media_root or Path(settings.MEDIA_ROOT)
            manifest = restore_backup(directory=backup, database=database, media_root=media_root, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']} into {database}: "
                f"{len(manifest['tables'])} tables, {rows} rows, all as counted in the backup; "
                f"media files: {manifest['media']['files']}, into {media_root}."
            )
        )
        missing, unknown = migrations_to_apply(manifest)
        if missing:
            self.stdout.write(
                self.style.WARNING(
                    f"The backup predates {len(missing)} migrations of this version "
                    f"({', '.join(missing[:5])}{', …' if len(missing) > 5 else ''}): "
                    "run manage.py migrate against the restored database before serving it."
                )
            )
        if unknown:
            self.stdout.write(
                self.style.WARNING(
                    f"The backup has {len(unknown)} migrations this version does not know "
                    f"({', '.join(unknown[:5])}): it was made by a newer version; serve it with that one."
                )
            )

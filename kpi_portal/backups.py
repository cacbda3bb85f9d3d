"""Backups of the database and the report files, and their restore (``manage.py backup`` / ``restore``).

A backup is one directory, ``kpi-backup-<local time>``:

- ``database.dump``: PostgreSQL's custom format (``pg_dump -Fc``), or ``database.sqlite3`` for the
  embedded SQLite file;
- ``media.tar``: every file under MEDIA_ROOT (report PDFs, handbooks), paths relative to it;
- ``manifest.json``: when, which database, the applied migrations, the rows of every table and a
  SHA-256 of each file. It is written last: a directory without it (``….partial``) is not a backup.

The row counts are taken inside the very snapshot ``pg_dump`` copies (``--snapshot``), so a restore
is checked against them exactly, even when the backup ran while people worked. docs/operations.md
has the schedule and the restore drill.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path
from typing import Any

import environ
import psycopg2
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

FORMAT = "kpi-portal-backup/1"
MANIFEST = "manifest.json"
MEDIA = "media.tar"
POSTGRES_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"


class BackupError(Exception):
    """Something an operator must fix; the message says what."""


@dataclasses.dataclass(frozen=True)
class Database:
    """Where a database is, from Django's settings or a ``DATABASE_URL``."""

    vendor: str  # "postgresql" or "sqlite"
    name: str
    user: str = ""
    password: str = dataclasses.field(default="", repr=False)
    host: str = ""
    port: str = ""
    options: dict[str, Any] = dataclasses.field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings_dict: dict[str, Any]) -> Database:
        engine = settings_dict["ENGINE"]
        if "postgresql" in engine:
            vendor = "postgresql"
        elif "sqlite3" in engine:
            vendor = "sqlite"
        else:
            raise BackupError(f"Backups support PostgreSQL and SQLite, not {engine}.")
        return cls(
            vendor=vendor,
            name=str(settings_dict["NAME"]),
            user=settings_dict.get("USER") or "",
            password=settings_dict.get("PASSWORD") or "",
            host=settings_dict.get("HOST") or "",
            port=str(settings_dict.get("PORT") or ""),
            options={
                key: value
                for key, value in (settings_dict.get("OPTIONS") or {}).items()
                if key in ("sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout")
            },
        )

    @classmethod
    def from_url(cls, url: str) -> Database:
        try:
            return cls.from_settings(environ.Env.db_url_config(url))
        except (KeyError, ValueError) as error:
            raise BackupError(f"Not a database address: {error}") from error

    def __str__(self) -> str:
        # Never the password: this goes into messages and the manifest.
        if self.vendor == "sqlite":
            return f"SQLite {self.name}"
        where = f"{self.host or 'localhost'}:{self.port or 5432}"
        return f"PostgreSQL {self.name} on {where}" + (f" as {self.user}" if self.user else "")

    def connect(self) -> Any:
        if self.vendor == "sqlite":
            return sqlite3.connect(self.name)
        return psycopg2.connect(
            dbname=self.name,
            user=self.user or None,
            password=self.password or None,
            host=self.host or None,
            port=self.port or None,
            **self.options,
        )

    def libpq_environment(self) -> dict[str, str]:
        """For pg_dump and pg_restore: the password in the environment, never on the command line."""
        values = {
            "PGDATABASE": self.name,
            "PGUSER": self.user,
            "PGPASSWORD": self.password,
            "PGHOST": self.host,
            "PGPORT": self.port,
            "PGSSLMODE": self.options.get("sslmode", ""),
            "PGSSLROOTCERT": self.options.get("sslrootcert", ""),
            "PGCONNECT_TIMEOUT": str(self.options.get("connect_timeout", "")),
        }
        inherited = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
        return {**inherited, **{key: value for key, value in values.items() if value}}


def create_backup(*, database: Database, media_root: Path, output_dir: Path) -> Path:
    """Write a backup of ``database`` and ``media_root`` into a new directory under ``output_dir``."""
    created = timezone.now()
    name = f"kpi-backup-{timezone.localtime(created):%Y%m%d-%H%M%S}"
    final = output_dir / name
    partial = output_dir / f"{name}.partial"
    if final.exists() or partial.exists():
        raise BackupError(f"{final} already exists: wait a second and run the backup again.")
    partial.mkdir(parents=True)
    if database.vendor == "postgresql":
        dump, tables, migrations = _dump_postgresql(database, partial)
    else:
        dump, tables, migrations = _copy_sqlite(database, partial)
    media_files, media_bytes = _archive_media(media_root, partial / MEDIA)
    manifest = {
        "format": FORMAT,
        "created_at": created.isoformat(),
        "database": {"vendor": database.vendor, "name": database.name, "file": dump},
        "migrations": migrations,
        "tables": tables,
        "media": {"file": MEDIA, "files": media_files, "bytes": media_bytes},
        "sha256": {file: _sha256(partial / file) for file in (dump, MEDIA)},
    }
    (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    partial.rename(final)
    return final


def read_manifest(directory: Path) -> dict[str, Any]:
    """The manifest of a backup, after checking that every file is there, whole."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise BackupError(f"{directory} is not a backup: it has no {MANIFEST}.") from error
    except ValueError as error:
        raise BackupError(f"{directory / MANIFEST} is damaged: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{directory} is a backup of an unknown format {manifest.get('format')!r}.")
    for file, expected in manifest["sha256"].items():
        if not (directory / file).is_file():
            raise BackupError(f"The backup is incomplete: {file} is missing.")
        if _sha256(directory / file) != expected:
            raise BackupError(f"The backup is damaged: {file} does not match its checksum in the manifest.")
    return manifest


def restore_backup(*, directory: Path, database: Database, media_root: Path, force: bool) -> dict[str, Any]:
    """Put a backup into ``database`` and ``media_root``, then check every table's row count.

    Refuses a database that already has tables, or a media directory with files, unless ``force``
    (then the backup's tables replace those of the same name, and its files those of the same path).
    Returns the manifest.
    """
    manifest = read_manifest(directory)
    if manifest["database"]["vendor"] != database.vendor:
        raise BackupError(
            f"This is a backup of a {manifest['database']['vendor']} database; {database} cannot take it."
        )
    existing = _table_count(database)
    if existing and not force:
        raise BackupError(
            f"{database} is not empty ({existing} tables). Restore into a new, empty database, "
            "or pass --force to replace its contents."
        )
    if media_root.is_dir() and any(media_root.iterdir()) and not force:
        raise BackupError(
            f"{media_root} already holds files. Restore into an empty directory, or pass --force "
            "to overwrite the files of the same name."
        )
    dump = directory / manifest["database"]["file"]
    if database.vendor == "postgresql":
        _restore_postgresql(dump, database, clean=bool(existing))
    else:
        _restore_sqlite(dump, database)
    found = _row_counts(database, list(manifest["tables"]))
    different = [
        f"{table}: {found.get(table, 'no table')} rows, {expected} in the backup"
        for table, expected in manifest["tables"].items()
        if found.get(table) != expected
    ]
    if different:
        raise BackupError(f"The restored database does not match the backup: {', '.join(different)}.")
    _extract_media(directory / manifest["media"]["file"], media_root)
    return manifest


def migrations_to_apply(manifest: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(migrations of this code the backup lacks: run ``migrate``; migrations of the backup this code
    does not know: the backup was made by a newer version)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    on_disk = {f"{app}.{name}" for app, name in loader.disk_migrations}
    applied = {f"{app}.{name}" for app, names in manifest["migrations"].items() for name in names}
    known_apps = {app for app, _ in loader.disk_migrations}
    unknown = {migration for migration in applied - on_disk if migration.split(".")[0] in known_apps}
    return sorted(on_disk - applied), sorted(unknown)


def _dump_postgresql(database: Database, directory: Path) -> tuple[str, dict[str, int], dict[str, list[str]]]:
    pg_dump = _tool("pg_dump")
    connection = database.connect()
    try:
        with connection.cursor() as cursor:
            # One snapshot for the counts, the migrations and pg_dump, held until the dump is done.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables = _count_rows(cursor, _postgresql_tables(cursor), quote='"')
            migrations = _applied_migrations(cursor)
            _run(
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={directory / POSTGRES_DUMP}"],
                database,
            )
    finally:
        connection.close()
    return POSTGRES_DUMP, tables, migrations


def _copy_sqlite(database: Database, directory: Path) -> tuple[str, dict[str, int], dict[str, list[str]]]:
    if not Path(database.name).is_file():
        raise BackupError(f"{database} does not exist.")
    source = database.connect()
    copy = sqlite3.connect(directory / SQLITE_COPY)
    try:
        # SQLite's backup API: a consistent copy even while the web process and the worker write.
        source.backup(copy)
        cursor = copy.cursor()
        tables = _count_rows(cursor, _sqlite_tables(cursor), quote='"')
        migrations = _applied_migrations(cursor)
    finally:
        copy.close()
        source.close()
    return SQLITE_COPY, tables, migrations


def _restore_postgresql(dump: Path, database: Database, *, clean: bool) -> None:
    command = [
        _tool("pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
    ]
    if clean:
        command += ["--clean", "--if-exists"]
    _run([*command, f"--dbname={database.name}", str(dump)], database)


def _restore_sqlite(copy: Path, database: Database) -> None:
    Path(database.name).parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(copy)
    target = database.connect()
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _table_count(database: Database) -> int:
    if database.vendor == "sqlite" and not Path(database.name).exists():
        return 0
    try:
        connection = database.connect()
    except (psycopg2.OperationalError, sqlite3.Error) as error:
        raise BackupError(f"Cannot open {database}: {error}") from error
    try:
        cursor = connection.cursor()
        return len(_sqlite_tables(cursor) if database.vendor == "sqlite" else _postgresql_tables(cursor))
    finally:
        connection.close()


def _row_counts(database: Database, tables: list[str]) -> dict[str, int]:
    connection = database.connect()
    try:
        cursor = connection.cursor()
        present = set(_sqlite_tables(cursor) if database.vendor == "sqlite" else _postgresql_tables(cursor))
        return _count_rows(cursor, [table for table in tables if table in present], quote='"')
    finally:
        connection.close()


def _postgresql_tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def _sqlite_tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )
    return [row[0] for row in cursor.fetchall()]


def _count_rows(cursor: Any, tables: list[str], *, quote: str) -> dict[str, int]:
    counts = {}
    for table in tables:
        # The names come from the database's own catalogue, quoted: no value from outside.
        cursor.execute(f"SELECT count(*) FROM {quote}{table.replace(quote, quote * 2)}{quote}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _applied_migrations(cursor: Any) -> dict[str, list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, id")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def _archive_media(media_root: Path, archive: Path) -> tuple[int, int]:
    files = total = 0
    with tarfile.open(archive, "w") as tar:
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    tar.add(path, arcname=str(path.relative_to(media_root)), recursive=False)
                    files += 1
                    total += path.stat().st_size
    return files, total


def _extract_media(archive: Path, media_root: Path) -> None:
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as tar:
        # The "data" filter refuses absolute paths, links and anything that would land outside.
        tar.extractall(media_root, filter="data")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} is not installed: install the PostgreSQL client (apt-get install postgresql-client), "
            "of the server's major version or newer."
        )
    return found


def _run(command: list[str], database: Database) -> None:
    result = subprocess.run(command, env=database.libpq_environment(), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed for {database}: {result.stderr.strip()}")

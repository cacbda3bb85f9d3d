"""manage.py backup and restore: the demo backed up and restored into a fresh database, row for row."""

import io
import json
import shutil
import sqlite3
from pathlib import Path

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg2 import sql

from conftest import require
from kpi_portal.backups import BackupError, Database, create_backup, restore_backup

# Every byte value, so that a copy made in text mode or with a changed line ending shows.
REPORT_BYTES = b"%PDF-1.7\n" + bytes(range(256)) * 40


@pytest.fixture
def postgres():
    require(connection.vendor == "postgresql", "DATABASE_URL is not PostgreSQL: backups are tested on it")
    require(
        bool(shutil.which("pg_dump") and shutil.which("pg_restore")),
        "pg_dump and pg_restore are not installed (apt-get install postgresql-client)",
    )


@pytest.fixture
def fresh_database(postgres):
    """An empty database beside the test database, created as an operator would, dropped afterwards."""
    params = connection.settings_dict
    name = f"{params['NAME']}_restored"
    server = psycopg2.connect(
        dbname="postgres",
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
    )
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield Database.from_settings({**params, "NAME": name})
    with server.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    server.close()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def backup(output: Path) -> Path:
    out = io.StringIO()
    call_command("backup", output=output, stdout=out)
    return Path(out.getvalue().splitlines()[-1])


def url_of(database: Database) -> str:
    password = f":{database.password}" if database.password else ""
    return f"postgres://{database.user}{password}@{database.host}:{database.port or 5432}/{database.name}"


def row_counts(database: Database) -> dict[str, int]:
    with database.connect() as link, link.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = sorted(row[0] for row in cursor.fetchall())
        counts = {}
        for table in tables:
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            counts[table] = cursor.fetchone()[0]
    link.close()
    return counts


@pytest.mark.django_db(transaction=True)
def test_a_backup_of_the_demo_restores_into_a_fresh_database_row_for_row(
    demo, fresh_database, media, tmp_path
):
    default_storage.save("reports/2026/11/stc-2026-11.pdf", ContentFile(REPORT_BYTES))
    original = row_counts(Database.from_settings(connection.settings_dict))

    directory = backup(tmp_path / "backups")
    out = io.StringIO()
    call_command(
        "restore",
        str(directory),
        database_url=url_of(fresh_database),
        media_root=tmp_path / "restored-media",
        stdout=out,
    )

    assert row_counts(fresh_database) == original
    assert original["org_user"] > 80 and original["worklog_diaryentry"] > 1000
    assert (tmp_path / "restored-media/reports/2026/11/stc-2026-11.pdf").read_bytes() == REPORT_BYTES
    manifest = json.loads((directory / "manifest.json").read_text())
    assert manifest["tables"] == original
    assert "0001_initial" in manifest["migrations"]["org"]
    assert manifest["media"]["files"] == 1
    assert "all as counted in the backup" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(postgres, media, tmp_path, django_user_model):
    django_user_model.objects.create_user(username="before")
    directory = backup(tmp_path / "backups")
    django_user_model.objects.create_user(username="after")

    with pytest.raises(CommandError, match=r"is not empty .*pass --force"):
        call_command("restore", str(directory), media_root=tmp_path / "restored-media")

    assert set(django_user_model.objects.values_list("username", flat=True)) == {"before", "after"}


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_damaged_backup(postgres, fresh_database, media, tmp_path):
    directory = backup(tmp_path / "backups")
    dump = directory / "database.dump"
    damaged = bytearray(dump.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    dump.write_bytes(bytes(damaged))

    with pytest.raises(BackupError, match=r"damaged: database\.dump"):
        restore_backup(directory=directory, database=fresh_database, media_root=tmp_path / "m", force=False)

    assert row_counts(fresh_database) == {}


def test_restore_refuses_a_directory_that_is_not_a_backup(tmp_path):
    with pytest.raises(CommandError, match=r"is not a backup: it has no manifest\.json"):
        call_command("restore", str(tmp_path), database_url="sqlite:////nowhere/db.sqlite3")


def test_a_sqlite_database_is_copied_and_restored_with_its_row_counts(tmp_path):
    source = tmp_path / "db.sqlite3"
    with sqlite3.connect(source) as link:
        link.execute("CREATE TABLE django_migrations (id integer primary key, app text, name text)")
        link.execute("INSERT INTO django_migrations (app, name) VALUES ('org', '0001_initial')")
        link.execute("CREATE TABLE org_user (id integer primary key, username text)")
        link.executemany("INSERT INTO org_user (username) VALUES (?)", [("a",), ("b",)])
    link.close()
    (tmp_path / "media/reports").mkdir(parents=True)
    (tmp_path / "media/reports/r.pdf").write_bytes(REPORT_BYTES)

    directory = create_backup(
        database=Database(vendor="sqlite", name=str(source)),
        media_root=tmp_path / "media",
        output_dir=tmp_path / "backups",
    )
    target = Database(vendor="sqlite", name=str(tmp_path / "restored/db.sqlite3"))
    manifest = restore_backup(directory=directory, database=target, media_root=tmp_path / "m2", force=False)

    assert manifest["tables"] == {"django_migrations": 1, "org_user": 2}
    with sqlite3.connect(target.name) as link:
        assert link.execute("SELECT username FROM org_user ORDER BY id").fetchall() == [("a",), ("b",)]
    link.close()
    assert (tmp_path / "m2/reports/r.pdf").read_bytes() == REPORT_BYTES
    with pytest.raises(BackupError, match="is not empty"):
        restore_backup(directory=directory, database=target, media_root=tmp_path / "m3", force=False)

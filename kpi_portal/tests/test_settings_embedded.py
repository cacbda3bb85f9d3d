"""The embedded set-up of ``make run``: Celery on kombu's file-system transport, SQLite shared by processes.

Settings are read once per process, so each case starts ``manage.py shell`` with its own environment.
"""

import json
import os
import subprocess
import sys

from django.conf import settings

PROBE = """
import json
from django.conf import settings as s
from django.db import connection
from kpi_portal.celery import app
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal = cursor.fetchone()[0]
print(json.dumps({
    "eager": s.CELERY_TASK_ALWAYS_EAGER,
    "result_backend": s.CELERY_RESULT_BACKEND,
    "result_expires": app.conf.result_expires is not None,
    "transport_options": s.CELERY_BROKER_TRANSPORT_OPTIONS,
    "app_transport_options": app.conf.broker_transport_options,
    "journal_mode": journal,
    "transaction_mode": connection.transaction_mode,
}))
"""


def probe(tmp_path, **env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_"))}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PROBE],
        cwd=settings.BASE_DIR,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "kpi_portal.settings.local",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_filesystem_broker_gets_its_folders_and_no_result_backend(tmp_path):
    folder = tmp_path / "broker"

    conf = probe(tmp_path, CELERY_BROKER_URL="filesystem://", CELERY_BROKER_FOLDER=str(folder))

    assert conf["eager"] is False
    assert conf["result_backend"] is None
    assert conf["result_expires"] is False  # else beat schedules a no-op celery.backend_cleanup
    options = conf["app_transport_options"]
    assert options["data_folder_in"] == options["data_folder_out"] == str(folder / "queue")
    assert options["control_folder"] == str(folder / "control")
    assert options["store_processed"] is False
    assert (folder / "queue").is_dir() and (folder / "control").is_dir()


def test_redis_keeps_its_transport_options_and_is_the_result_backend(tmp_path):
    folder = tmp_path / "broker"

    conf = probe(tmp_path, CELERY_BROKER_URL="redis://127.0.0.1:6379/3", CELERY_BROKER_FOLDER=str(folder))

    assert conf["result_backend"] == "redis://127.0.0.1:6379/3"
    assert conf["result_expires"] is True
    assert "data_folder_in" not in conf["transport_options"]
    assert conf["transport_options"]["visibility_timeout"] == settings.CELERY_TASK_TIME_LIMIT + 5 * 60
    assert not folder.exists()


def test_without_a_broker_tasks_run_in_process_and_nothing_is_created(tmp_path):
    folder = tmp_path / "broker"

    conf = probe(tmp_path, CELERY_BROKER_FOLDER=str(folder))

    assert conf["eager"] is True
    assert conf["result_backend"] is None
    assert not folder.exists()


def test_the_sqlite_file_is_shared_safely_between_processes(tmp_path):
    conf = probe(tmp_path)

    assert conf["journal_mode"] == "wal"
    assert conf["transaction_mode"] == "IMMEDIATE"

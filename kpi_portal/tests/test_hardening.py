"""Production defaults that cannot be half-set, the demo's error pages, sessions and request-body limits."""

import io
import os
import socket
import subprocess
import sys
import time

import pytest
import time_machine
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.http import multipartparser
from django.urls import reverse

from org.tests.factories import UserFactory

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "kpi_portal.settings.production",
    "DJANGO_SECRET_KEY": "x7#k2!pQ9z@Lm4$wR8vT1^nB6&yC3*eH5(uJ0)aS-dF+gK=iO_lP",
    "DJANGO_ALLOWED_HOSTS": "kpi.khanhhoa.gov.vn",
    "DATABASE_URL": "postgres://kpi:secret@db.internal:5432/kpi",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
    "CACHE_URL": "redis://redis.internal:6379/1",
    "EMAIL_URL": "smtp://mail.internal:25",
}
MB = 1024 * 1024


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_", "CACHE_", "KPI_TEST"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


# Production settings


def test_check_deploy_is_clean_with_the_required_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr


def test_production_refuses_to_start_without_a_shared_cache():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "CACHE_URL"}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "CACHE_URL" in result.stderr


def test_production_refuses_a_cache_each_worker_would_keep_to_itself():
    result = manage("check", env={**PRODUCTION_ENV, "CACHE_URL": "locmemcache://"})

    assert result.returncode != 0
    assert "CACHE_URL" in result.stderr and "Redis" in result.stderr


def test_a_production_response_carries_the_security_headers(client, db, settings):
    # What production.py sets on top of base.py (the test runs on plain HTTP, so no redirect).
    settings.SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True

    response = client.get(reverse("login"), secure=True)

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


# Sessions: a working day at most, an hour without a request ends it.


@pytest.fixture
def signed_in(client, db):
    with time_machine.travel("2026-03-10 08:00 +07:00", tick=False) as clock:
        client.force_login(UserFactory())
        assert client.get(reverse("home")).status_code == 200
        yield client, clock


def test_a_session_ends_after_an_hour_without_a_request(signed_in):
    client, clock = signed_in

    clock.shift(59 * 60)
    assert client.get(reverse("home")).status_code == 200
    clock.shift(59 * 60)
    assert client.get(reverse("home")).status_code == 200  # active: the hour starts again
    clock.shift(61 * 60)
    response = client.get(reverse("home"))

    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    login_page = client.get(response.url).content.decode()
    assert "Phiên làm việc đã kết thúc. Đề nghị đăng nhập lại để tiếp tục." in login_page


def test_a_session_lasts_a_working_day_at_most_even_when_busy(signed_in):
    client, clock = signed_in

    for _ in range(21):  # 10½ hours of requests every half hour
        clock.shift(30 * 60)
        response = client.get(reverse("home"))
    assert settings.SESSION_COOKIE_AGE == 10 * 60 * 60
    assert response.status_code == 302

    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] <= 10 * 60 * 60


# The demo (DEBUG on) never shows Django's debug pages.


def test_with_debug_on_an_unknown_address_gets_the_vietnamese_404_page(client, db, settings):
    settings.DEBUG = True

    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    text = response.content.decode()
    assert "Không tìm thấy trang" in text
    assert "URLconf" not in text and "admin/" not in text


def test_with_debug_on_a_404_raised_by_a_view_gets_the_project_page(client, db, settings):
    settings.DEBUG = True
    client.force_login(UserFactory())

    response = client.get(reverse("evaluation:detail", args=[999999]))

    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
    assert "Traceback" not in response.content.decode() and "Raised by" not in response.content.decode()


def test_with_debug_on_a_server_error_gets_the_project_page(client, db, settings, monkeypatch):
    settings.DEBUG = True
    client.raise_request_exception = False

    def broken(request):
        raise RuntimeError("boom")

    from kpi_portal import urls

    monkeypatch.setattr(urls.urlpatterns[0], "callback", broken)

    response = client.get("/")

    assert response.status_code == 500
    text = response.content.decode()
    assert "Đã xảy ra lỗi" in text
    assert "Traceback" not in text and "boom" not in text


def test_without_debug_django_answers_404_with_the_same_page(client, db):
    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_a_missing_slash_is_still_added_with_debug_on(client, db, settings):
    settings.DEBUG = True

    response = client.get("/accounts/login")

    assert response.status_code == 301 and response.url == "/accounts/login/"


# Request bodies


@pytest.fixture
def no_upload_parsing(monkeypatch):
    """Fails the test if anything starts reading a multipart body."""
    started = []
    original = multipartparser.MultiPartParser.__init__

    def spy(self, *args, **kwargs):
        started.append(True)
        original(self, *args, **kwargs)

    monkeypatch.setattr(multipartparser.MultiPartParser, "__init__", spy)
    return started


def test_the_body_limit_is_above_the_largest_upload():
    largest = max(settings.CATALOG_IMPORT_MAX_BYTES, settings.API_MAX_BODY_BYTES)

    assert largest + MB == settings.MAX_REQUEST_BYTES


def test_an_anonymous_300_mb_post_is_refused_before_it_is_read(client, db, no_upload_parsing):
    started = time.monotonic()

    response = client.post(
        reverse("login"),
        {"username": "x", "file": io.BytesIO(b"x" * 1000)},
        CONTENT_LENGTH=str(300 * MB),
    )

    assert response.status_code == 413
    assert time.monotonic() - started < 2
    text = response.content.decode()
    assert "Dữ liệu gửi lên quá lớn" in text and "MB" in text
    assert no_upload_parsing == []


def test_the_body_is_never_read_nor_written_to_disk(db, tmp_path, settings, no_upload_parsing):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)

    class Unreadable(io.RawIOBase):
        def read(self, *args):
            raise AssertionError("the body was read")

        readline = read

    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/catalog/import/",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "CONTENT_TYPE": "multipart/form-data; boundary=xyz",
        "CONTENT_LENGTH": str(300 * MB),
        "wsgi.input": Unreadable(),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
    }
    statuses = []

    body = b"".join(WSGIHandler()(environ, lambda status, headers: statuses.append(status)))

    assert statuses == ["413 Request Entity Too Large"]
    assert "Dữ liệu gửi lên quá lớn".encode() in body
    assert list(tmp_path.iterdir()) == []
    assert no_upload_parsing == []


def test_a_body_just_under_the_limit_goes_through_to_the_form(client, db, settings):
    settings.MAX_REQUEST_BYTES = 2000
    response = client.post(reverse("login"), {"username": "x", "password": "y" * 1500})

    assert response.status_code == 200  # the login form answers: wrong password
    assert client.post(reverse("login"), {"username": "x", "password": "y" * 2100}).status_code == 413


def test_a_chunked_body_without_a_length_is_refused(client, db):
    response = client.generic(
        "POST", reverse("login"), b"", HTTP_TRANSFER_ENCODING="chunked", CONTENT_LENGTH=""
    )

    assert response.status_code == 411
    assert "độ dài" in response.content.decode()


def test_the_refusal_follows_the_chosen_language(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post(reverse("login"), {"username": "x"}, CONTENT_LENGTH=str(300 * MB))

    assert response.status_code == 413 and "Request too large" in response.content.decode()


def test_a_real_server_answers_a_300_mb_upload_at_once_without_reading_it(live_server):
    host, port = live_server.thread.host, live_server.thread.port
    started = time.monotonic()
    with socket.create_connection((host, port), timeout=10) as conn:
        conn.sendall(
            b"POST /catalog/import/ HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Type: multipart/form-data; boundary=xyz\r\n"
            + f"Content-Length: {300 * MB}\r\n\r\n".encode()
            + b"--xyz\r\n" * 1000
        )
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = conn.recv(65536)
            if not chunk:
                break
            answer += chunk

    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert time.monotonic() - started < 5

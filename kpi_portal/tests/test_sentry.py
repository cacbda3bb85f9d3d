"""Error reports: off without SENTRY_DSN; with it, a view's exception reaches the (fake) server, without
personal data. The fake server stands for Sentry or a self-hosted GlitchTip on the intranet."""

import gzip
import http.server
import json
import os
import subprocess
import sys
import threading

import pytest
import sentry_sdk
from django.conf import settings
from django.urls import path


def boom(request):
    raise RuntimeError("the report could not be drawn")


# The URLs of the child process below (ROOT_URLCONF): one view that fails.
urlpatterns = [path("boom/", boom)]

# Run in a child process: the SDK is set up once per process, from the settings (settings/ops.py).
CHILD = """
import django
import sentry_sdk

django.setup()
from django.test import Client
from django.test.utils import override_settings

with override_settings(ROOT_URLCONF="kpi_portal.tests.test_sentry"):
    client = Client(raise_request_exception=False)
    client.cookies["csrftoken"] = "a-cookie-value-of-the-browser"
    response = client.post("/boom/?person=17", {"comment": "a private remark"}, REMOTE_ADDR="10.1.2.3")
print(response.status_code)
sentry_sdk.flush(timeout=10)
"""


class FakeSentry(http.server.BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            import brotli  # the SDK compresses with Brotli when it is installed (WeasyPrint brings it)

            body = brotli.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_sentry():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeSentry)
    FakeSentry.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def events(envelopes: list[bytes]) -> list[dict]:
    found = []
    for envelope in envelopes:
        lines = envelope.split(b"\n")
        for header, item in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                found.append(json.loads(item))
    return found


def test_nothing_is_reported_without_a_dsn():
    assert not settings.SENTRY_DSN
    assert not sentry_sdk.get_client().is_active()


def test_an_exception_in_a_view_is_reported_without_personal_data(fake_sentry, tmp_path):
    port = fake_sentry.server_address[1]
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "SENTRY_"))}
    env = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "kpi_portal.settings.test",
        "PYTHONPATH": str(settings.BASE_DIR),
        "DATABASE_URL": "sqlite:///:memory:",
        "SENTRY_DSN": f"http://public7key@127.0.0.1:{port}/42",
        "SENTRY_ENVIRONMENT": "staging",
        "SENTRY_RELEASE": "kpi-portal@1.4.0",
    }

    script = tmp_path / "child.py"
    script.write_text(CHILD)

    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "500"
    [event] = events(FakeSentry.received)
    exception = event["exception"]["values"][-1]  # the last is the one raised, after its causes
    assert exception["type"] == "RuntimeError"
    assert exception["value"] == "the report could not be drawn"
    assert event["environment"] == "staging"
    assert event["release"] == "kpi-portal@1.4.0"
    assert event["transaction"] == "/boom/"
    sent = json.dumps(event)
    for private in ("a private remark", "a-cookie-value-of-the-browser", "10.1.2.3"):
        assert private not in sent

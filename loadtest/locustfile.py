"""The load of a working day on the demo: staff logging and reading their diary, reviewers approving,
HR on dashboards and exports, and a bare endpoint as the baseline of the same run.

Run by ``loadtest/run.py`` (``make loadtest``), which seeds the database, writes the demo accounts to
``LOADTEST_ACCOUNTS`` and reads back ``LOADTEST_WRITES``: the writes each simulated user saw succeed,
to compare with the rows in the database. Gunicorn runs the production settings behind no TLS proxy, so
every request says it came through one (``X-Forwarded-Proto: https``) and the session's secure cookies
are sent back over the loopback's plain HTTP.
"""

from __future__ import annotations

import datetime
import itertools
import json
import os
import random
import re
import time
from collections import Counter, defaultdict
from pathlib import Path

from gevent.lock import Semaphore  # type: ignore[import-untyped]
from locust import HttpUser, between, events, task
from requests.cookies import RequestsCookieJar

PASSWORD = os.environ.get("LOADTEST_PASSWORD", "KpiDemo@2025")
ACCOUNTS = (
    json.loads(Path(os.environ["LOADTEST_ACCOUNTS"]).read_text()) if "LOADTEST_ACCOUNTS" in os.environ else {}
)
TODAY = datetime.date.fromisoformat(ACCOUNTS.get("today", datetime.date.today().isoformat()))
WRITES: Counter[str] = Counter()
_next = {role: itertools.count() for role in ("staff", "reviewer", "hr")}
_sessions: dict[str, dict[str, str | None]] = {}
_signing_in: defaultdict[str, Semaphore] = defaultdict(Semaphore)

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STAGE_SELECT = re.compile(r'<select[^>]*name="stage".*?</select>', re.S)
OPTION = re.compile(r'<option value="(\d+)"')
# The queue's tick boxes; an entry with an open flag has a disabled one (approved alone, with a note).
ENTRY_BOX = re.compile(r'<input[^>]*name="entry" value="(\d+)"[^>]*>')
VERSION = re.compile(r'name="version-(\d+)" value="(\d+)"')


def _totp(secret_hex: str, at: float) -> str:
    import binascii

    from django_otp.oath import TOTP

    totp = TOTP(binascii.unhexlify(secret_hex), step=30, t0=0, digits=6)
    totp.time = at
    return f"{totp.token():06d}"


class LoopbackCookies(RequestsCookieJar):
    """Keeps the production settings' secure cookies as plain ones, so that they go back over the
    loopback's HTTP (the requests say they came through a TLS proxy)."""

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


class PortalUser(HttpUser):
    abstract = True
    role = "staff"
    wait_time = between(10, 30)

    def on_start(self) -> None:
        people = ACCOUNTS[self.role]
        # Each simulated user is another person while there are enough (a second factor's code is
        # good once per person and 30 seconds).
        self.account = people[next(_next[self.role]) % len(people)]
        origin = (self.host or "").replace("http://", "https://")
        self.client.headers.update({"X-Forwarded-Proto": "https", "Origin": origin, "Referer": origin + "/"})
        self.client.cookies = LoopbackCookies()
        if self.role == "staff":
            self.login()
            return
        # The demo has 15 reviewers and one HR officer for 30 and 10 simulated ones: those of one person
        # share a session, as one person's browser tabs would (a second factor's code is good once per
        # person and 30 seconds).
        with _signing_in[self.account["username"]]:
            shared = _sessions.get(self.account["username"])
            if shared is None:
                self.login()
                _sessions[self.account["username"]] = self.client.cookies.get_dict()
            else:
                for name, value in shared.items():
                    self.client.cookies.set(name, value)

    def _token(self, html: str) -> str:
        found = CSRF.search(html)
        return found.group(1) if found else ""

    def login(self) -> None:
        page = self.client.get("/accounts/login/", name="login page")
        with self.client.post(
            "/accounts/login/",
            {
                "username": self.account["username"],
                "password": PASSWORD,
                "csrfmiddlewaretoken": self._token(page.text),
            },
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"not signed in ({response.status_code})")
                return
        location = response.headers.get("Location", "")
        if "second-factor" in location:
            self.second_factor(location)

    def second_factor(self, location: str) -> None:
        page = self.client.get(location, name="second factor page")
        for attempt in range(2):
            code = _totp(ACCOUNTS["totp_key"], time.time())
            with self.client.post(
                location,
                {"code": code, "csrfmiddlewaretoken": self._token(page.text)},
                name="second factor",
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if response.status_code == 302:
                    response.success()
                    return
                if attempt == 0:
                    # Another simulated user of the same person used this window's code: wait for the next.
                    response.success()
                    time.sleep(31 - time.time() % 30)
                else:
                    response.failure("second factor refused twice")


class Staff(PortalUser):
    """Staff: log the day's work, read the day, the week and the month."""

    weight = 80
    role = "staff"

    @task(3)
    def day(self) -> None:
        self.client.get(f"/diary/day/{TODAY:%Y-%m-%d}/", name="/diary/day/")

    @task(2)
    def week(self) -> None:
        self.client.get(f"/diary/week/{TODAY:%Y-%m-%d}/", name="/diary/week/")

    @task(1)
    def month(self) -> None:
        self.client.get(f"/diary/month/{TODAY:%Y-%m}/", name="/diary/month/")

    @task(1)
    def me(self) -> None:
        self.client.get("/reports/me/", name="/reports/me/")

    @task(3)
    def log_work(self) -> None:
        path = f"/diary/day/{TODAY:%Y-%m-%d}/"
        page = self.client.get(path, name="/diary/day/")
        select = STAGE_SELECT.search(page.text)
        stages = OPTION.findall(select.group(0)) if select else []
        if not stages:
            return
        with self.client.post(
            path,
            {
                "csrfmiddlewaretoken": self._token(page.text),
                "stage": random.choice(stages),
                "quantity": "0,1",
                "description": "Tải thử: soạn thảo văn bản",
                "evidence_ref": f"{random.randint(100, 9999)}/LT",
            },
            name="POST /diary/day/ (new entry)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code in (302, 303):
                WRITES["entries"] += 1
                response.success()
            else:
                response.failure(f"entry not saved ({response.status_code})")

    @task(1)
    def healthz(self) -> None:
        # The baseline: the cheapest request the same server answers.
        self.client.get("/healthz/", name="baseline /healthz/")


class Reviewer(PortalUser):
    """Unit heads and leaders: open the queue, approve the first waiting day."""

    weight = 15
    role = "reviewer"

    @task(3)
    def queue(self) -> None:
        self.client.get("/review/", name="/review/")

    @task(2)
    def approve(self) -> None:
        page = self.client.get("/review/", name="/review/")
        boxes = [box.group(1) for box in ENTRY_BOX.finditer(page.text) if " disabled" not in box.group(0)][:8]
        versions = dict(VERSION.findall(page.text))
        chosen = [pk for pk in boxes if pk in versions]
        if not chosen:
            return
        with self.client.post(
            "/review/approve/",
            {
                "csrfmiddlewaretoken": self._token(page.text),
                "entry": chosen,
                **{f"version-{pk}": versions[pk] for pk in chosen},
            },
            name="POST /review/approve/ (then the queue)",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or not response.history:
                response.failure(f"approval not saved ({response.status_code})")
            elif "alert-danger" in response.text:
                # Refused with a message (another tab of the same person approved them first): the
                # person sees why and nothing is written.
                WRITES["approvals_refused"] += 1
                response.success()
            else:
                WRITES["approved"] += len(chosen)
                response.success()


class HumanResources(PortalUser):
    """HR: the agency's dashboard and its exports."""

    weight = 5
    role = "hr"

    @task(3)
    def dashboard(self) -> None:
        self.client.get(f"/reports/agencies/{self.account['agency']}/", name="/reports/agencies/<code>/")

    @task(1)
    def export(self) -> None:
        self.client.get(
            f"/reports/agencies/{self.account['agency']}/export.xlsx",
            name="/reports/agencies/<code>/export.xlsx",
        )


@events.quitting.add_listener
def _write_counts(environment, **_kwargs) -> None:
    out = os.environ.get("LOADTEST_WRITES")
    if out:
        Path(out).write_text(json.dumps(dict(WRITES)))

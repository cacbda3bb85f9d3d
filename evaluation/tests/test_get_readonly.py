"""GET requests never write: every page of the demo, as every demo account, leaves the database as it was.

A crawl from the home page follows the site's own links (at most a few addresses per view), inside one
transaction; on PostgreSQL the transaction's own statistics (``pg_stat_xact_user_tables``) show any
row inserted, updated or deleted, elsewhere the row counts of every model are compared.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter, deque
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.urls import Resolver404, resolve, reverse

from evaluation.models import MonthlyEvaluation
from org.models import User

ROLES = [
    "canbo", "phophong", "truongphong", "giamdoc", "tochuc", "danhmuc", "admin", "canbo.sxd", "noivu", "ubnd",
]  # fmt: skip
# Written on purpose: the session (the idle timeout's clock) and a notification opened (read from now on).
WRITTEN_ON_PURPOSE = {"django_session", "org_notification"}
NOT_FOLLOWED = ("/admin/", "/static/", "/media/", "/i18n/", "/api/", "/accounts/logout/")
PER_VIEW = 3
HREF = re.compile(r"""href="([^"#]+)""")


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed
    }


def _written_tables() -> Counter:
    if connection.vendor != "postgresql":
        return Counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables")
        return Counter({name: count for name, count in cursor.fetchall() if count})


def crawl(client) -> list[str]:
    """The addresses visited from the home page, following links, a few per view."""
    seen_per_view: Counter = Counter()
    visited: list[str] = []
    queue = deque([reverse("home")])
    queued = set(queue)
    while queue:
        url = queue.popleft()
        try:
            match = resolve(urlsplit(url).path)
        except Resolver404:
            continue
        if match.view_name == "org:notification_open":
            continue
        if seen_per_view[match.view_name] >= PER_VIEW:
            continue
        seen_per_view[match.view_name] += 1
        response = client.get(url)
        visited.append(url)
        assert response.status_code < 500, url
        if not response.get("Content-Type", "").startswith("text/html") or response.status_code != 200:
            continue
        for href in HREF.findall(response.content.decode()):
            target = urljoin(url, unescape(href))
            parts = urlsplit(target)
            if parts.netloc and parts.netloc != "testserver":
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if local.startswith(NOT_FOLLOWED) or local in queued:
                continue
            queued.add(local)
            queue.append(local)
    return visited


@pytest.mark.parametrize("username", ROLES)
def test_no_page_of_the_demo_writes_when_read(client, demo, username):
    client.force_login(User.objects.get(username=username))
    with transaction.atomic():
        before, written_before = _row_counts(), _written_tables()

        visited = crawl(client)

        after, written_after = _row_counts(), _written_tables()
        transaction.set_rollback(True)

    assert len(visited) > 5
    assert after == before
    written = {
        table for table, count in (written_after - written_before).items() if table not in WRITTEN_ON_PURPOSE
    }
    assert not written, f"GET requests wrote to {sorted(written)} (as {username}, pages: {visited})"


def test_reading_a_month_not_yet_evaluated_creates_nothing(client, org, frozen_now):
    url = reverse("evaluation:person_month", args=[org.member1.pk, 2026, 3])
    client.force_login(org.head1)

    page = client.get(url)

    assert page.status_code == 200
    assert 'data-testid="not-opened"' in page.content.decode()
    assert org.member1.full_name in page.content.decode()
    assert not MonthlyEvaluation.objects.exists()

    opened = client.post(url)
    evaluation = MonthlyEvaluation.objects.get(person=org.member1, month=datetime.date(2026, 3, 1))
    assert opened.url == reverse("evaluation:detail", args=[evaluation.pk])
    assert client.get(url).url == opened.url  # once it exists, the GET leads to it


def test_a_month_not_begun_cannot_be_opened(client, org, frozen_now):
    url = reverse("evaluation:person_month", args=[org.member1.pk, 2026, 5])
    client.force_login(org.member1)

    page = client.get(url)
    assert "Chỉ đánh giá được tháng đã bắt đầu." in page.content.decode()
    assert '<form method="post">' not in page.content.decode()

    response = client.post(url, follow=True)
    assert "Chỉ đánh giá được tháng đã bắt đầu." in response.content.decode()
    assert not MonthlyEvaluation.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_outsiders_neither_read_nor_open_a_month(client, org, frozen_now, method):
    client.force_login(org.member_b)
    url = reverse("evaluation:person_month", args=[org.member1.pk, 2026, 3])

    assert getattr(client, method)(url).status_code == 404
    assert not MonthlyEvaluation.objects.exists()


def test_a_month_that_does_not_exist_is_a_404(client, org, frozen_now):
    client.force_login(org.member1)

    assert client.get(f"/review/people/{org.member1.pk}/2026-13/").status_code == 404


def test_the_page_of_a_month_not_opened_runs_few_queries(
    client, org, frozen_now, django_assert_max_num_queries
):
    client.force_login(org.head1)
    with django_assert_max_num_queries(15):
        assert (
            client.get(reverse("evaluation:person_month", args=[org.member1.pk, 2026, 3])).status_code == 200
        )

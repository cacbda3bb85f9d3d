"""KPI_TEST_TODAY moves every clock the code reads, in every thread (see the root conftest.py)."""

import datetime
import os
import threading

import pytest
from django.utils import timezone

from org import selectors

pytestmark = pytest.mark.dates


def read_clocks() -> tuple[datetime.date, datetime.date, datetime.date]:
    return timezone.localdate(), datetime.date.today(), selectors.today()


def test_the_clocks_read_the_same_in_other_threads_as_the_live_server_and_celery_do():
    seen = []
    thread = threading.Thread(target=lambda: seen.append(read_clocks()))
    thread.start()
    thread.join()

    here = read_clocks()
    assert seen == [here]
    assert here[0] == here[2]  # date.today() is the server's own date: UTC, not Vietnam's


@pytest.mark.moved_clock
def test_kpi_test_today_moves_the_clock_to_that_day():
    day = datetime.date.fromisoformat(os.environ["KPI_TEST_TODAY"])

    assert (timezone.localdate(), datetime.date.today(), selectors.today()) == (day, day, day)

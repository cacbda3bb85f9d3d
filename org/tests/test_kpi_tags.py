"""The KPI template filters read their norms and rounding from ``kpi_portal.standards``."""

from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from org.templatetags import kpi


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def test_minutes_read_as_hours_rounded_half_up_not_cut_off():
    assert kpi.minutes_to_hours(95) == "1,6"  # 1.583… h; number_format alone wrote 1,5
    assert kpi.minutes_to_hours(D("93")) == "1,6"  # 1.55 h exactly
    assert kpi.minutes_to_hours(480) == "8,0"
    assert kpi.minutes_to_hours(None) == ""


def test_a_day_is_above_the_norm_only_past_eight_hours():
    assert not kpi.above_daily_norm(D("480.00"))
    assert kpi.above_daily_norm(D("480.50"))


def test_an_average_is_flagged_only_above_ten_hours():
    assert not kpi.above_ten_hours(D("10.00"))
    assert kpi.above_ten_hours(D("10.01"))


def test_an_entry_of_a_task_needing_evidence_without_any_is_marked():
    def entry(kind, ref):
        return SimpleNamespace(task=SimpleNamespace(evidence_kind=kind), evidence_ref=ref)

    assert kpi.without_evidence(entry("document", ""))
    assert not kpi.without_evidence(entry("document", "12/STC-NS"))
    assert not kpi.without_evidence(entry("none", ""))


def test_the_week_total_is_read_against_forty_hours():
    rendered = Template("{% load kpi %}{{ 2400|minutes_to_hours }} / {% weekly_norm_hours %}").render(
        Context()
    )
    assert rendered == "40,0 / 40"

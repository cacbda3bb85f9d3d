"""Every KPI rule of ``kpi_portal.standards`` against numbers worked out by hand."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import connection

from catalog.models import EvidenceKind
from evaluation.models import Rating
from kpi_portal import standards
from org.models import Agency
from worklog.models import DiaryEntry, EntryStatus
from worklog.tests.factories import DiaryEntryFactory


def test_the_norm_is_eight_hours_a_day_and_forty_a_week():
    assert standards.DAILY_NORM_MINUTES == 480
    assert D(8) == standards.DAILY_NORM_HOURS
    assert D(40) == standards.WEEKLY_NORM_HOURS


def test_the_daily_cap_defaults_to_twelve_hours_and_agencies_start_there():
    assert standards.DAILY_CAP_DEFAULT_MINUTES == 720
    assert Agency._meta.get_field("daily_cap_minutes").default == 720


def test_a_day_is_above_the_norm_only_past_480_minutes():
    assert not standards.above_daily_norm(480)
    assert not standards.above_daily_norm(D("480.00"))
    assert standards.above_daily_norm(D("480.01"))


def test_ten_hours_a_day_is_not_above_ten_but_a_minute_more_is():
    assert not standards.above_ten_hours(D(10))
    assert standards.above_ten_hours(D(601) / 60)
    assert not standards.above_ten_hours(D(600) / 60)


def test_the_expected_workload_is_the_norm_times_the_working_days():
    assert standards.expected_minutes(21) == 10_080
    assert standards.expected_minutes(0) == 0


def test_hours_worked_per_day_are_approved_minutes_over_60_over_days_worked():
    # 3,520 minutes over 22 days: 58.666… h ÷ 22 = 2.666… h a day.
    assert standards.rounded(standards.hours_per_day(D(3520), 22)) == D("2.67")
    assert standards.hours_per_day(D(7260), 22) == D("5.5")
    assert standards.hours_per_day(D(100), 0) == 0


def test_the_share_of_the_norm_is_hours_a_day_over_8_in_percent():
    assert standards.share_of_norm(D("5.5")) == D("68.75")
    assert standards.share_of_norm(D(8)) == 100


@pytest.mark.parametrize(
    ("hours", "bucket"),
    [("0", 0), ("3.99", 0), ("4", 1), ("5.99", 1), ("6", 2), ("7.99", 2), ("8", 3), ("12", 3)],
)
def test_people_fall_in_the_buckets_under_4_4_to_6_6_to_8_and_8_or_more(hours, bucket):
    assert standards.hours_bucket(D(hours)) == bucket


def test_the_staffing_need_is_approved_hours_over_8_times_the_working_days():
    # 3,520 minutes = 58.67 h; 8 × 22 = 176 h a post; 58.67 ÷ 176 = 0.333…
    need = standards.staffing_need(D(3520), 22)
    assert standards.rounded(need) == D("0.33")
    assert standards.staffing_need(D(84_480), 22) == 8  # 1,408 h = 8 full posts
    assert standards.staffing_need(D(100), 0) == 0


def test_the_surplus_is_the_headcount_less_the_need():
    need = standards.staffing_need(D(3520), 22)
    assert standards.rounded(standards.surplus(1, need)) == D("0.67")
    assert standards.surplus(3, D("3.5")) == D("-0.5")


def test_the_evidence_constants_are_the_models_values():
    assert standards.EVIDENCE_CHECKED_STATUSES == (EntryStatus.SUBMITTED, EntryStatus.APPROVED)
    assert standards.NO_EVIDENCE_KIND == EvidenceKind.NONE


@pytest.mark.parametrize(
    ("status", "kind", "ref", "missing"),
    [
        ("submitted", "document", "", True),
        ("approved", "meeting", "", True),
        ("approved", "document", "12/STC-NS", False),
        ("approved", "none", "", False),
        ("draft", "document", "", False),
        ("returned", "document", "", False),
    ],
)
def test_an_entry_lacks_evidence_when_submitted_or_approved_needing_some_and_citing_none(
    status, kind, ref, missing
):
    assert standards.lacks_evidence(status=status, evidence_kind=kind, evidence_ref=ref) is missing


def test_a_draft_of_a_task_needing_evidence_is_without_evidence_until_it_cites_some():
    assert standards.without_evidence(evidence_kind="document", evidence_ref="")
    assert not standards.without_evidence(evidence_kind="document", evidence_ref="12/STC-NS")
    assert not standards.without_evidence(evidence_kind="none", evidence_ref="")


def test_the_missing_evidence_sql_orm_and_python_agree_on_the_same_rows(org, diary):
    """Every status × evidence given or not × task needing evidence or not: two entries lack it."""
    expected = set()
    for status in EntryStatus.values:
        for ref in ("", "12/STC-NS"):
            for stage in (diary.budget_intake, diary.study):
                entry = DiaryEntryFactory(
                    person=org.member1,
                    unit=org.unit1,
                    stage=stage,
                    status=status,
                    evidence_ref=ref,
                    return_reason="Thiếu số văn bản" if status == EntryStatus.RETURNED else "",
                    exclusion_reason="Trùng việc đã ghi" if status == EntryStatus.EXCLUDED else "",
                    excluded_by=org.head1 if status == EntryStatus.EXCLUDED else None,
                )
                if status in ("submitted", "approved") and not ref and stage == diary.budget_intake:
                    expected.add(entry.pk)
    condition, params = standards.missing_evidence_sql("e", "t")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.id FROM worklog_diaryentry e JOIN catalog_standardtask t ON t.id = e.task_id"
            f" WHERE {condition}",
            params,
        )
        by_sql = {row[0] for row in cursor.fetchall()}
    by_orm = set(DiaryEntry.objects.filter(standards.missing_evidence_q()).values_list("pk", flat=True))
    by_python = {
        e.pk
        for e in DiaryEntry.objects.select_related("task")
        if standards.lacks_evidence(
            status=e.status, evidence_kind=e.task.evidence_kind, evidence_ref=e.evidence_ref
        )
    }

    assert len(expected) == 2
    assert by_sql == by_orm == by_python == expected


def test_the_missing_evidence_q_follows_a_relation_prefix():
    q = standards.missing_evidence_q("entry__")
    assert "entry__status__in" in str(q)
    assert "entry__task__evidence_kind" in str(q)


def test_the_points_are_70_for_task_results_and_30_general_out_of_100():
    assert (standards.TASK_POINTS, standards.GENERAL_POINTS, standards.TOTAL_POINTS) == (70, 30, 100)


def test_weights_must_add_up_to_exactly_100():
    assert standards.points_add_up(70, 30)
    assert standards.points_add_up(30, 20, 20, 6, 6, 6, 6, 6)
    assert not standards.points_add_up(70, 31)
    assert not standards.points_add_up(69, 30)


def test_the_decree_fixes_70_points_of_task_results_and_30_of_general_criteria():
    assert standards.split_is_legal(70, 30)
    assert not standards.split_is_legal(50, 50)
    assert not standards.split_is_legal(80, 20)


@pytest.mark.parametrize(("percent", "legal"), [(0, False), (1, True), (15, True), (20, True), (21, False)])
def test_the_excellent_quota_is_at_most_20_percent_and_may_be_lower(percent, legal):
    assert standards.EXCELLENT_QUOTA_MAX_PERCENT == 20
    assert standards.quota_is_legal(percent) is legal


def test_an_error_or_a_delay_deducts_a_quarter_and_a_failing_member_halves_the_unit_component():
    assert D("0.25") == standards.DEDUCTION
    assert standards.UNIT_FACTOR_ALL_COMPLETED == 1
    assert D("0.5") == standards.UNIT_FACTOR_ANY_NOT_COMPLETED


def test_the_rating_constants_are_the_models_values():
    assert (standards.EXCELLENT, standards.GOOD, standards.COMPLETED, standards.NOT_COMPLETED) == (
        Rating.EXCELLENT,
        Rating.GOOD,
        Rating.COMPLETED,
        Rating.NOT_COMPLETED,
    )


@pytest.mark.parametrize(
    ("score", "rating"),
    [
        ("100", "excellent"),
        ("90", "excellent"),
        ("89.99", "good"),
        ("70", "good"),
        ("69.99", "completed"),
        ("50", "completed"),
        ("49.99", "not_completed"),
        ("0", "not_completed"),
    ],
)
def test_the_rating_follows_the_exact_score(score, rating):
    assert standards.rating_for(D(score)) == rating


def test_a_disciplinary_measure_means_not_completed_whatever_the_score():
    assert standards.rating_for(D(98), disciplined=True) == "not_completed"


def test_a_months_results_are_due_by_the_25th_of_the_following_month():
    assert standards.monthly_report_due(datetime.date(2026, 9, 1)) == datetime.date(2026, 10, 25)
    assert standards.monthly_report_due(datetime.date(2026, 12, 1)) == datetime.date(2027, 1, 25)


@pytest.mark.parametrize(
    ("value", "places", "result"),
    [
        (D("8.385"), 2, D("8.39")),  # half-even would give 8.38
        (D("8.375"), 2, D("8.38")),
        (D("8.3849"), 2, D("8.38")),
        (8.385, 2, D("8.39")),  # the float as written, not its binary value 8.38499…
        (D("-8.385"), 2, D("-8.39")),
        (D("68.75"), 1, D("68.8")),
        (D("2.5"), 0, D("3")),
        (7, 2, D("7.00")),
    ],
)
def test_displayed_figures_are_rounded_half_up_to_two_decimals_unless_told(value, places, result):
    rounded = standards.rounded(value, places)
    assert rounded == result
    assert str(rounded) == str(result)


def test_the_default_rounding_keeps_two_decimals():
    assert str(standards.rounded(D("0.333333"))) == "0.33"


@pytest.mark.parametrize(
    ("score", "shown"),
    [
        ("89.9967", "89.99"),  # (89,99 + 90 + 90) ÷ 3: "good", so never 90,00
        ("89.995", "89.99"),
        ("90", "90.00"),
        ("90.004", "90.00"),
        ("69.999", "69.99"),
        ("49.995", "49.99"),
        ("83.375", "83.38"),  # away from a threshold: half up, as every figure
        ("100", "100.00"),
    ],
)
def test_a_shown_score_is_rounded_toward_its_rating(score, shown):
    rounded = standards.rounded_score(D(score))
    assert str(rounded) == shown
    assert standards.rating_for(rounded) == standards.rating_for(D(score))

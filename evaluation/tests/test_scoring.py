"""Each scoring rule reproduced with numbers computed by hand (default weights: 30/20/20 + 3 × 10).

All three task parts are over one denominator, the month's capacity (working days × 8 h).
"""

from decimal import Decimal

import pytest

from evaluation import scoring
from evaluation.models import Rating, ScoringScheme
from evaluation.scoring import EntryMarks
from kpi_portal import standards

D = Decimal
SCHEME = ScoringScheme()  # the defaults of Decree 335: quantity 30, quality 20, progress 20, unit 20
WORKING_DAYS = 20  # 20 × 8 h = 9,600 expected minutes


def test_all_three_parts_are_approved_hours_against_eight_hours_a_working_day():
    # 6,600 minutes = 5.5 h a day, 68.75 % of 9,600: quantity 30 × 0.6875 = 20.625, quality and
    # progress 20 × 0.6875 = 13.75 each (no error, no delay), 48.125 of 70
    result = scoring.task_result(SCHEME, [EntryMarks(1, D(6600))], WORKING_DAYS)
    assert result.quantity == D("20.625")
    assert (result.quality, result.progress) == (D("13.75"), D("13.75"))
    assert result.total == D("48.125")


def test_one_short_entry_in_an_empty_month_is_not_completed():
    # One 30-minute entry in a 22-day month (10,560 minutes), general criteria 30: 70 × 30 / 10,560
    # = 0.1988… task points, 30.20 in all: "not completed", never the 70,09 of full quality and progress.
    result = scoring.task_result(SCHEME, [EntryMarks(1, D(30))], 22)
    assert standards.rounded(result.quality, 4) == standards.rounded(result.progress, 4) == D("0.0568")
    stored = scoring.stored_score(result, D(30), disciplined=False)
    assert (stored.total, stored.rating) == (D("30.20"), Rating.NOT_COMPLETED)


def test_the_parts_are_capped_at_their_points():
    result = scoring.task_result(SCHEME, [EntryMarks(1, D(12000))], WORKING_DAYS)
    assert (result.quantity, result.quality, result.progress) == (D(30), D(20), D(20))
    assert result.total == D(70)


def test_a_month_without_approved_work_scores_no_task_points():
    result = scoring.task_result(SCHEME, [], WORKING_DAYS)
    assert (result.quantity, result.quality, result.progress, result.total) == (0, 0, 0, 0)


def test_a_major_error_takes_a_quarter_of_the_entrys_minutes_from_quality_and_a_delay_from_progress():
    # A: 4,800 minutes, one error: 1,200 minutes less to standard → quality 20 × 5,400/9,600 = 11.25
    # B: 1,800 minutes, one delay: 450 minutes less on time → progress 20 × 6,150/9,600 = 12.8125
    entries = [EntryMarks(1, D(4800), major_errors=1), EntryMarks(2, D(1800), delays=1)]
    result = scoring.task_result(SCHEME, entries, WORKING_DAYS)
    assert (result.quality_minutes, result.quality) == (D(5400), D("11.25"))
    assert (result.progress_minutes, result.progress) == (D(6150), D("12.8125"))
    assert result.total == D("44.6875")
    # Each deduction in points: 20 × 1,200/9,600 = 2.5 and 20 × 450/9,600 = 0.9375
    assert [(d.entry_id, d.lost) for d in result.deductions] == [(1, D("2.5")), (2, D("0.9375"))]


def test_each_error_takes_another_quarter_and_four_take_all():
    # One working day (480 minutes) of one 480-minute entry
    assert scoring.task_result(SCHEME, [EntryMarks(1, D(480), major_errors=2)], 1).quality == D(10)
    assert scoring.task_result(SCHEME, [EntryMarks(1, D(480), major_errors=4)], 1).quality == D(0)
    assert scoring.task_result(SCHEME, [EntryMarks(1, D(480), major_errors=6)], 1).quality == D(0)
    assert scoring.task_result(SCHEME, [EntryMarks(1, D(480), delays=3)], 1).progress == D(5)


def test_a_confirmed_objective_cause_removes_the_deduction_and_says_how_much():
    entries = [EntryMarks(1, D(4800), major_errors=1, exempt=True), EntryMarks(2, D(1800), delays=1)]
    result = scoring.task_result(SCHEME, entries, WORKING_DAYS)
    assert result.quality == D("13.75")
    assert result.progress == D("12.8125")
    exempted = result.deductions[0]
    assert (exempted.lost, exempted.exempted) == (0, D("2.5"))


def test_a_unit_head_gets_the_whole_unit_component_when_every_member_completed():
    # personal 48.125 fills 50 of the 70 points: 48.125 × 50/70 = 34.375, plus 20 = 54.375 (54,38)
    factor = scoring.unit_factor([Rating.GOOD, Rating.COMPLETED, Rating.EXCELLENT])
    result = scoring.task_result(SCHEME, [EntryMarks(1, D(6600))], WORKING_DAYS, unit_factor=factor)
    assert factor == 1
    assert result.unit == D(20)
    assert result.total == D("54.375")


def test_a_unit_head_gets_half_the_unit_component_when_a_member_did_not_complete():
    factor = scoring.unit_factor([Rating.GOOD, Rating.NOT_COMPLETED])
    result = scoring.task_result(SCHEME, [EntryMarks(1, D(6600))], WORKING_DAYS, unit_factor=factor)
    assert factor == D("0.5")
    assert result.unit == D(10)
    assert result.total == D("44.375")


@pytest.mark.parametrize(
    ("score", "rating"),
    [
        ("0", Rating.NOT_COMPLETED),
        ("49.99", Rating.NOT_COMPLETED),
        ("50", Rating.COMPLETED),
        ("69.99", Rating.COMPLETED),
        ("70", Rating.GOOD),
        ("89.99", Rating.GOOD),
        ("90", Rating.EXCELLENT),
        ("100", Rating.EXCELLENT),
    ],
)
def test_ratings_follow_the_thresholds(score, rating):
    assert scoring.rating_for(D(score)) == rating


def test_a_disciplinary_measure_means_not_completed_whatever_the_score():
    assert scoring.rating_for(D(98), disciplined=True) == Rating.NOT_COMPLETED


@pytest.mark.django_db  # the criteria and their default points are data
def test_general_criteria_add_up_and_each_is_capped_at_its_weight():
    # Decree 335/2025 Article 12: three groups of 10 points by default.
    points = {"conduct": D(10), "competence": D("7.25"), "initiative": D(12)}
    assert scoring.general_score(SCHEME, points) == D("27.25")
    # Decree 90/2020, as months before 2026 were scored: five criteria of 6 points.
    points = {
        "politics": D(6),
        "ethics": D("5.5"),
        "discipline": D(6),
        "attitude": D("4.25"),
        "innovation": D(9),
    }
    assert scoring.general_score(SCHEME, points) == D("27.75")


@pytest.mark.parametrize(("good", "allowed"), [(0, 0), (4, 0), (5, 1), (10, 2), (14, 2), (15, 3)])
def test_excellent_is_at_most_a_fifth_of_those_rated_good(good, allowed):
    assert scoring.excellent_allowed(good, 20) == allowed


def test_period_results_average_the_months():
    assert scoring.average([D("80.00"), D("91.00"), D("85.50")]) == D("85.50")
    assert scoring.average([]) is None


def test_a_period_just_below_ninety_is_good_and_shows_below_ninety():
    # (89,99 + 90 + 90) ÷ 3 = 89,99666…: rounded first it would be 90,00 and "excellent".
    average = scoring.average([D("89.99"), D(90), D(90)])
    assert D("89.9966") < average < D("89.9967")
    assert scoring.rating_for(average) == Rating.GOOD
    assert standards.rounded_score(average) == D("89.99")


def test_the_stored_score_is_rated_on_the_exact_total_and_never_contradicts_its_rating():
    # 7 working days (3,360 minutes): task results 70 × 3,359.76/3,360 = 69.995, + general 20 = 89.995:
    # "good"; half up would store 90.00, "excellent".
    result = scoring.task_result(SCHEME, [EntryMarks(1, D("3359.76"))], 7)
    assert result.total == D("69.995")
    stored = scoring.stored_score(result, D(20), disciplined=False)
    assert (stored.total, stored.rating) == (D("89.99"), Rating.GOOD)
    assert stored.task == D("70.00")  # a part is shown half up; the score is the exact sum
    assert scoring.rating_for(stored.total) == stored.rating


def test_the_stored_parts_are_the_exact_parts_rounded_half_up():
    entries = [EntryMarks(1, D(4800), major_errors=1), EntryMarks(2, D(1800), delays=1)]
    result = scoring.task_result(SCHEME, entries, WORKING_DAYS)
    stored = scoring.stored_score(result, D("27.75"), disciplined=False)
    assert (stored.quantity, stored.quality, stored.progress) == (D("20.63"), D("11.25"), D("12.81"))
    # 44.6875 + 27.75 = 72.4375 → 72.44 (the shown parts add up to 72.44 too here)
    assert (stored.task, stored.general, stored.total, stored.rating) == (
        D("44.69"),
        D("27.75"),
        D("72.44"),
        Rating.GOOD,
    )

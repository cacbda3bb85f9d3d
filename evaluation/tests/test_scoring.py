"""Each scoring rule reproduced with numbers computed by hand (default weights: 30/20/20 + 5 × 6)."""

from decimal import Decimal

import pytest

from evaluation import scoring
from evaluation.models import Rating, ScoringScheme
from evaluation.scoring import EntryMarks
from kpi_portal import standards

D = Decimal
SCHEME = ScoringScheme()  # the defaults of Decree 335: quantity 30, quality 20, progress 20, unit 20
WORKING_DAYS = 20  # 20 × 8 h = 9,600 expected minutes


def test_quantity_is_approved_hours_against_eight_hours_a_working_day():
    # 6,600 minutes = 5.5 h a day: 30 × 6,600 / 9,600 = 20.625, kept exact (shown 20,63)
    result = scoring.task_result(SCHEME, [EntryMarks(1, D(6600))], WORKING_DAYS)
    assert result.quantity == D("20.625")
    assert (result.quality, result.progress) == (D(20), D(20))
    assert result.total == D("60.625")


def test_quantity_is_capped_at_its_points():
    result = scoring.task_result(SCHEME, [EntryMarks(1, D(12000))], WORKING_DAYS)
    assert result.quantity == D(30)
    assert result.total == D(70)


def test_a_month_without_approved_work_scores_no_task_points():
    result = scoring.task_result(SCHEME, [], WORKING_DAYS)
    assert (result.quantity, result.quality, result.progress, result.total) == (0, 0, 0, 0)


def test_a_major_error_takes_a_quarter_of_the_entrys_share_of_quality_points():
    # A is 4,800 of 6,600 minutes: its quality share 20 × 4,800/6,600 = 14.5454…; a quarter is 3.6363…
    # B is 1,800 minutes: its progress share 20 × 1,800/6,600 = 5.4545…; a quarter is 1.3636…
    entries = [EntryMarks(1, D(4800), major_errors=1), EntryMarks(2, D(1800), delays=1)]
    result = scoring.task_result(SCHEME, entries, WORKING_DAYS)
    assert standards.rounded(result.quality) == D("16.36")
    assert standards.rounded(result.progress) == D("18.64")
    # The exact parts: 20.625 + 16.3636… + 18.6363… = 55.625, where the shown parts add up to 55.63
    assert standards.rounded(result.total, 6) == D("55.625000")
    assert [d.entry_id for d in result.deductions] == [1, 2]


def test_each_error_takes_another_quarter_and_four_take_all():
    assert scoring.task_result(SCHEME, [EntryMarks(1, D(600), major_errors=2)], 1).quality == D(10)
    assert scoring.task_result(SCHEME, [EntryMarks(1, D(600), major_errors=4)], 1).quality == D(0)
    assert scoring.task_result(SCHEME, [EntryMarks(1, D(600), delays=3)], 1).progress == D(5)


def test_a_confirmed_objective_cause_removes_the_deduction_and_says_how_much():
    entries = [EntryMarks(1, D(4800), major_errors=1, exempt=True), EntryMarks(2, D(1800), delays=1)]
    result = scoring.task_result(SCHEME, entries, WORKING_DAYS)
    assert result.quality == D(20)
    assert standards.rounded(result.progress) == D("18.64")
    exempted = result.deductions[0]
    assert exempted.quality == 0
    assert standards.rounded(exempted.exempted_quality) == D("3.64")


def test_a_unit_head_gets_the_whole_unit_component_when_every_member_completed():
    # personal 60.625 fills 50 of the 70 points: 60.625 × 50/70 = 43.3035…, plus 20 = 63.3035… (63,30)
    factor = scoring.unit_factor([Rating.GOOD, Rating.COMPLETED, Rating.EXCELLENT])
    result = scoring.task_result(SCHEME, [EntryMarks(1, D(6600))], WORKING_DAYS, unit_factor=factor)
    assert factor == 1
    assert result.unit == D(20)
    assert standards.rounded(result.total) == D("63.30")


def test_a_unit_head_gets_half_the_unit_component_when_a_member_did_not_complete():
    factor = scoring.unit_factor([Rating.GOOD, Rating.NOT_COMPLETED])
    result = scoring.task_result(SCHEME, [EntryMarks(1, D(6600))], WORKING_DAYS, unit_factor=factor)
    assert factor == D("0.5")
    assert result.unit == D(10)
    assert standards.rounded(result.total) == D("53.30")


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


def test_general_criteria_add_up_and_each_is_capped_at_its_weight():
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
    # Task results 69.995 + general 20 = 89.995: "good"; half up would store 90.00, "excellent".
    result = scoring.task_result(SCHEME, [EntryMarks(1, D("9598.4"))], WORKING_DAYS)
    assert result.total == D("69.995")
    stored = scoring.stored_score(result, D(20), disciplined=False)
    assert (stored.total, stored.rating) == (D("89.99"), Rating.GOOD)
    assert stored.task == D("70.00")  # a part is shown half up; the score is the exact sum
    assert scoring.rating_for(stored.total) == stored.rating


def test_the_stored_parts_are_the_exact_parts_rounded_half_up():
    entries = [EntryMarks(1, D(4800), major_errors=1), EntryMarks(2, D(1800), delays=1)]
    result = scoring.task_result(SCHEME, entries, WORKING_DAYS)
    stored = scoring.stored_score(result, D("27.75"), disciplined=False)
    assert (stored.quantity, stored.quality, stored.progress) == (D("20.63"), D("16.36"), D("18.64"))
    # 55.625 + 27.75 = 83.375 → 83.38 (the shown parts add up to 83.38 too here)
    assert (stored.task, stored.general, stored.total, stored.rating) == (
        D("55.63"),
        D("27.75"),
        D("83.38"),
        Rating.GOOD,
    )

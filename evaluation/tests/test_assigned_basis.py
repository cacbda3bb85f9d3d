"""Task results measured against the work assigned (Decree 335/2025 Article 14), computed by hand.

Default weights: quantity 30, quality 20, progress 20 (70) and general criteria 30. On the assigned basis
the one denominator is the standard minutes of the assignments due in the month plus the accepted
own-initiative work; on the capacity basis 8 h a working day.
"""

from decimal import Decimal

from evaluation import scoring
from evaluation.models import Rating, ScoringScheme, TaskBasis
from evaluation.scoring import AssignedWork, EntryMarks
from kpi_portal import standards

D = Decimal
SCHEME = ScoringScheme()
ASSIGNED, CAPACITY = scoring.ASSIGNED, scoring.CAPACITY


def test_the_bases_are_the_models_choices():
    assert {ASSIGNED, CAPACITY} == set(TaskBasis.values)
    assert ScoringScheme().task_basis == TaskBasis.ASSIGNED  # the decree's reading is the default


def test_one_short_entry_with_nothing_assigned_is_not_completed_on_either_basis():
    entry = [EntryMarks(1, D(30))]  # one 30-minute entry of the person's own initiative
    for basis in (ASSIGNED, CAPACITY):
        result = scoring.task_result(SCHEME, entry, 22, basis=basis, assigned=[])
        stored = scoring.stored_score(result, D(30), disciplined=False)
        assert stored.rating == Rating.NOT_COMPLETED, basis
    nothing = scoring.task_result(SCHEME, entry, 22, basis=ASSIGNED, assigned=[])
    # Nothing assigned: nothing to measure against, no task points (never 30/30 = 100 % for one entry).
    assert nothing.nothing_assigned
    assert (nothing.expected_minutes, nothing.total) == (0, 0)


def test_everything_assigned_completed_on_time_without_error_scores_97():
    assigned = [AssignedWork(1, D(2400)), AssignedWork(2, D(540))]
    entries = [EntryMarks(10, D(1200), assignment_id=1), EntryMarks(11, D(1200), assignment_id=1)]
    entries.append(EntryMarks(12, D(540), assignment_id=2))
    result = scoring.task_result(SCHEME, entries, 22, basis=ASSIGNED, assigned=assigned)
    assert (result.quantity, result.quality, result.progress) == (D(30), D(20), D(20))
    stored = scoring.stored_score(result, D(27), disciplined=False)
    assert (stored.total, stored.rating) == (D("97.00"), Rating.EXCELLENT)
    assert [p.complete for p in result.products] == [True, True]


def four_products(*, exempt_one_delay: bool = False) -> scoring.TaskResult:
    """4 equal products of 600 minutes assigned; all delivered, 2 late (logged after the due date), 1 with
    a major error."""
    assigned = [AssignedWork(pk, D(600)) for pk in (1, 2, 3, 4)]
    entries = [
        EntryMarks(11, D(600), assignment_id=1),
        EntryMarks(12, D(600), assignment_id=2, major_errors=1),
        EntryMarks(13, D(600), assignment_id=3, late=True, exempt=exempt_one_delay),
        EntryMarks(14, D(600), assignment_id=4, late=True),
    ]
    return scoring.task_result(SCHEME, entries, 22, basis=ASSIGNED, assigned=assigned)


def test_two_late_products_and_one_error_lose_a_quarter_of_those_products_points():
    result = four_products()
    # Each product is a quarter of the 2,400 minutes. Quality: one error takes 25 % of one product:
    # 20 × (1 − 0.25 / 4) = 18.75. Progress: two delays take 25 % of two products: 20 × (1 − 0.5 / 4) = 17.5.
    assert result.quantity == D(30)
    assert result.quality == D("18.75")
    assert result.progress == D("17.5")
    assert result.total == D("66.25")
    # Each deduction: 25 % of the product's 5 points of quality (or progress) = 1.25
    assert {d.entry_id: d.lost for d in result.deductions} == {12: D("1.25"), 13: D("1.25"), 14: D("1.25")}


def test_an_objective_cause_confirmed_for_one_delay_removes_that_deduction():
    result = four_products(exempt_one_delay=True)
    assert result.progress == D("18.75")  # one delay left: 20 × (1 − 0.25 / 4)
    assert result.quality == D("18.75")
    exempted = {d.entry_id: d.exempted for d in result.deductions}
    assert exempted[13] == D("1.25")


def test_an_undelivered_product_counts_in_none_of_the_three_ratios():
    # 2 of 4 products delivered, on time, without error: half of every part.
    assigned = [AssignedWork(pk, D(600)) for pk in (1, 2, 3, 4)]
    entries = [EntryMarks(11, D(600), assignment_id=1), EntryMarks(12, D(600), assignment_id=2)]
    result = scoring.task_result(SCHEME, entries, 22, basis=ASSIGNED, assigned=assigned)
    assert (result.quantity, result.quality, result.progress) == (D(15), D(10), D(10))


def test_work_beyond_an_assignment_counts_no_more_than_its_workload():
    # 900 minutes logged toward a 600-minute assignment: 600 counted, no credit carried to another.
    assigned = [AssignedWork(1, D(600)), AssignedWork(2, D(600))]
    entries = [EntryMarks(11, D(900), assignment_id=1)]
    result = scoring.task_result(SCHEME, entries, 22, basis=ASSIGNED, assigned=assigned)
    assert result.approved_minutes == D(600)
    assert result.quantity == D(15)


def test_accepted_own_initiative_work_joins_both_sides_of_the_ratio():
    # 1,200 assigned and delivered + 300 of own initiative: 1,500 / 1,500; missing assigned work is not
    # made up by own initiative: 600 of 1,200 assigned + 600 own = 1,200 / 1,800.
    assigned = [AssignedWork(1, D(1200))]
    full = scoring.task_result(
        SCHEME,
        [EntryMarks(1, D(1200), assignment_id=1), EntryMarks(2, D(300))],
        22,
        basis=ASSIGNED,
        assigned=assigned,
    )
    assert (full.expected_minutes, full.quantity, full.own_initiative_minutes) == (D(1500), D(30), D(300))
    half = scoring.task_result(
        SCHEME,
        [EntryMarks(1, D(600), assignment_id=1), EntryMarks(2, D(600))],
        22,
        basis=ASSIGNED,
        assigned=assigned,
    )
    assert half.expected_minutes == D(1800)
    assert standards.rounded(half.quantity) == D("20.00")


def test_late_work_counts_one_delay_on_the_capacity_basis_too():
    late = scoring.task_result(SCHEME, [EntryMarks(1, D(9600), assignment_id=1, late=True)], 20)
    assert late.progress == D(15)  # 20 × (9,600 − 2,400) / 9,600
    assert late.quality == D(20)


def test_marks_and_lateness_together_count_four_delays_at_most():
    marks = EntryMarks(1, D(600), delays=4, late=True, assignment_id=1)
    assert marks.delays_counted == standards.MAX_MARKS

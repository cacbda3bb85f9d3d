"""Fixtures every test of the project gets: the general criteria, which are data a migration seeds."""

import pytest

DATABASE_FIXTURES = ("transactional_db", "django_db_reset_sequences", "db")


@pytest.fixture(autouse=True)
def _general_criteria(request):
    """The general criteria versions, for every test that uses the database.

    A flush (after a transactional test, or the demo copy's) empties the tables the migrations filled;
    an evaluation cannot exist without the criteria of its month, so they are seeded again when missing.
    """
    asked = [name for name in DATABASE_FIXTURES if name in request.fixturenames]
    if not (request.node.get_closest_marker("django_db") or asked):
        return
    for name in asked:  # set up before this autouse fixture reads the database
        request.getfixturevalue(name)
    from evaluation.criteria import ensure_versions

    ensure_versions()


@pytest.fixture
def capacity_basis(org):
    """Agency A measures task results against its capacity (8 h a working day), Khánh Hòa's reading:
    the tests written with hours against the month's working days ask for it by name (the default basis,
    the decree's, is the work assigned: evaluation/tests/test_assigned_basis.py)."""
    from evaluation.models import ScoringScheme, TaskBasis

    ScoringScheme.objects.update_or_create(agency=org.agency, defaults={"task_basis": TaskBasis.CAPACITY})


@pytest.fixture
def march_closed(frozen_now):
    """Wednesday 01/04/2026, 09:00: March 2026 has closed, so its evaluations may be made final
    (``frozen_now`` is 10/03, when March is still open)."""
    import datetime

    import time_machine

    from org.tests.factories import NOW

    with time_machine.travel(datetime.datetime(2026, 4, 1, 9, tzinfo=NOW.tzinfo), tick=False):
        yield

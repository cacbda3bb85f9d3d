"""The audit trail speaks the user's language: statuses, ratings and criteria in words, numbers as the
pages write them, never the codes and dictionaries the events store."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from evaluation import services
from worklog import lifecycle
from worklog.models import EntryStatus
from worklog.tests.factories import DiaryEntryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now", "capacity_basis")]
POINTS = {"conduct": Decimal("9.5"), "competence": Decimal(9), "initiative": Decimal(8)}


def test_the_trail_shows_statuses_ratings_and_criteria_in_words(client, org, diary):
    entry = DiaryEntryFactory(
        person=org.member1,
        unit=org.unit1,
        stage=diary.study,
        date=datetime.date(2026, 3, 9),
        quantity=Decimal(2),
        status=EntryStatus.SUBMITTED,
    )
    lifecycle.entries_approve(approvals={entry.pk: lifecycle.Approval(entry.version)}, by=org.head1)
    evaluation = services.evaluation_open(person=org.member1, month=datetime.date(2026, 3, 1))
    evaluation = services.self_assess(
        evaluation=evaluation, by=org.member1, points=POINTS, comments={}, comment="", version=None
    )
    services.evaluation_score(
        evaluation=evaluation, by=org.head1, points=POINTS, comments={}, comment="", version=None
    )

    client.force_login(org.hr)
    page = client.get(reverse("org:audit")).content.decode()
    assert "trạng thái: Đã duyệt" in page  # the entry
    assert "trạng thái: Đã chấm điểm" in page  # the evaluation
    table = page[page.index("<tbody") : page.index("</tbody>")]
    assert ": approved" not in table and "self_assessed" not in table and "'conduct'" not in table
    assert "Phẩm chất chính trị, đạo đức, văn hóa công vụ, ý thức kỷ luật, kỷ cương: 9,50" in page

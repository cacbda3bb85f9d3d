"""The queue's day badges say what they mean: "above 8 hours" only for a day above 8 hours, and a
separate badge for a day with an entry the evidence cross-check flagged."""

import re

import pytest

from evidence.models import EntryFlag, FlagKind
from review.tests.fixtures import MONDAY, TUESDAY, submitted

pytestmark = pytest.mark.django_db


def day_legend(page: str, day) -> str:
    match = re.search(
        rf"<legend[^>]*>(?:(?!</legend>).)*{day:%d/%m/%Y}(?:(?!</legend>).)*</legend>", page, re.S
    )
    assert match, f"no day {day}"
    return match.group(0)


def test_a_flagged_day_under_8_hours_is_not_called_above_8_hours(client, org, diary, review):
    # Monday: 2 × 60 + 240 = 360 minutes (6 h) with a flagged entry; Tuesday: 3 × 60 + 8 × 60 = 11 h.
    EntryFlag.objects.create(
        entry=review.member1_monday[0], kind=FlagKind.DOCUMENT_MISSING, detail="Không có"
    )
    submitted(org.member1, org.unit1, diary.study, TUESDAY, "8")
    client.force_login(org.head1)
    page = client.get(f"/review/?person={org.member1.pk}").content.decode()
    monday, tuesday = day_legend(page, MONDAY), day_legend(page, TUESDAY)
    assert 'data-testid="evidence-flagged"' in monday and 'data-testid="above-eight"' not in monday
    assert 'data-testid="above-eight"' in tuesday and 'data-testid="evidence-flagged"' not in tuesday
    # The filter keeps both kinds of day and says so.
    filtered = client.get(f"/review/?person={org.member1.pk}&flagged=on").content.decode()
    assert filtered.count('data-testid="queue-day"') == 2
    assert "Chỉ ngày trên 8 giờ hoặc có minh chứng cần đối chiếu" in filtered


def test_filters_say_what_they_hide_even_when_nothing_matches(client, org, review):
    client.force_login(org.head1)
    # member1 has 3 waiting entries, member2 1: filtered to member2, the page says 3 more wait.
    page = client.get(f"/review/?person={org.member2.pk}").content.decode()
    assert 'data-testid="queue-hidden"' in page and "3" in page.split('data-testid="queue-hidden"')[1][:200]
    # Nothing of member2 above 8 hours or flagged: the page does not pretend nothing waits.
    empty = client.get(f"/review/?person={org.member2.pk}&flagged=on").content.decode()
    assert 'data-testid="queue-empty"' in empty
    assert "4 nhật ký của 2 người đang chờ" in empty

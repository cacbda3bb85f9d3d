"""Typing an entry as people write: a share of a product as 0,5 or 1/2, an estimate in hours or minutes."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from worklog.forms import DurationField, QuantityField
from worklog.models import DiaryEntry

pytestmark = pytest.mark.usefixtures("frozen_now")

DAY_URL = reverse("worklog:day", args=[datetime.date(2026, 3, 10)])


@pytest.mark.parametrize(
    ("typed", "quantity"),
    [
        ("1", "1"),
        ("0,5", "0.5"),
        ("0.5", "0.5"),
        ("1/2", "0.5"),
        ("1 1/2", "1.5"),
        ("2/3", "0.67"),
        (" 3 ", "3"),
    ],
)
def test_a_quantity_is_read_as_people_type_it(typed, quantity):
    assert QuantityField(localize=True, decimal_places=2, max_digits=6).clean(typed) == Decimal(quantity)


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [("90", 90), ("90 phút", 90), ("90p", 90), ("1,5h", 90), ("1.5 h", 90), ("1h30", 90), ("2 giờ", 120),
     ("1 giờ 15 phút", 75), ("", None)],
)  # fmt: skip
def test_an_estimate_is_read_in_minutes_or_hours(typed, minutes):
    assert DurationField(required=False).clean(typed) == minutes


def test_the_day_page_saves_a_half_with_an_estimate_in_hours(client, org, diary):
    client.force_login(org.member1)

    response = client.post(DAY_URL, {"stage": diary.study.pk, "quantity": "1/2", "estimate_minutes": "1,5h"})

    assert response.status_code == 302
    entry = DiaryEntry.objects.get(person=org.member1)
    assert (entry.quantity, entry.estimate_minutes) == (Decimal("0.50"), 90)


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("quantity", "1/0", "Nhập số lượng dạng 1, 0,5 hoặc 1/2."),
        ("quantity", "nửa", "Nhập số lượng dạng 1, 0,5 hoặc 1/2."),
        ("estimate_minutes", "một giờ", "Nhập số phút (90) hoặc số giờ (1,5h hoặc 1h30)."),
        ("estimate_minutes", "-1h", "Nhập số phút (90) hoặc số giờ (1,5h hoặc 1h30)."),
    ],
)
def test_what_cannot_be_read_gets_a_message_and_saves_nothing(client, org, diary, field, typed, message):
    client.force_login(org.member1)
    data = {"stage": diary.study.pk, "quantity": "1"} | {field: typed}

    response = client.post(DAY_URL, data)

    assert response.status_code == 200
    assert message in response.text
    assert not DiaryEntry.objects.filter(person=org.member1).exists()

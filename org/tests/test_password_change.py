"""Changing one's password: the rules and their messages in Vietnamese."""

import pytest
from django.contrib.auth import password_validation
from django.urls import reverse

from org.tests.factories import PASSWORD, UserFactory

CHANGE = reverse("password_change")


@pytest.fixture
def person(client, db):
    user = UserFactory(username="canbo", full_name="Lê Thị Thu Hà")
    client.force_login(user)
    return user


def change(client, new: str, old: str = PASSWORD):
    return client.post(CHANGE, {"old_password": old, "new_password1": new, "new_password2": new})


def test_the_same_password_again_is_refused_in_vietnamese(client, person):
    response = change(client, PASSWORD)

    assert response.status_code == 200
    assert "Mật khẩu mới phải khác mật khẩu đang sử dụng." in response.text
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_a_short_password_is_refused_in_vietnamese(client, person):
    response = change(client, "Kx7#q")

    assert response.status_code == 200
    assert "Mật khẩu quá ngắn: phải có ít nhất 8 ký tự." in response.text
    assert "too short" not in response.text
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("password123", "Mật khẩu này quá phổ biến."),
        ("73920584613", "Mật khẩu này hoàn toàn là số."),
        ("canbo2026", "Mật khẩu quá giống với"),
        ("Kx7#q", "Mật khẩu quá ngắn"),
    ],
)
def test_every_rule_speaks_vietnamese(client, person, new, message):
    response = change(client, new)

    assert message in response.text
    assert response.context["form"].errors
    for english in ("This password", "The password is", "must differ"):
        assert english not in response.text


def test_the_help_texts_on_the_page_are_vietnamese(client, person):
    text = client.get(CHANGE).text

    assert "Mật khẩu mới của bạn phải khác mật khẩu đang sử dụng." in text
    assert "ít nhất 8 ký tự" in text
    assert "Your password" not in text


def test_a_different_strong_password_is_accepted(client, person):
    response = change(client, "Hoa-sen-nở-2026!")

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("Hoa-sen-nở-2026!")


def test_the_rules_apply_to_a_new_account_without_a_password():
    assert password_validation.validate_password("Hoa-sen-nở-2026!", user=None) is None


def test_the_english_interface_reads_the_english_message(client, person):
    client.cookies["django_language"] = "en"

    response = change(client, PASSWORD)

    assert "The new password must differ from the one you use now." in response.text

import pytest
from django.urls import reverse

from org.tests.factories import UserFactory

pytestmark = pytest.mark.dates  # the menu of a logged-in page is worked out on today's date


def test_vietnamese_is_the_default_language(client, db):
    client.force_login(UserFactory(full_name="Lê Thị Thu Hà"))

    response = client.get(reverse("home"))

    assert "Xin chào, Lê Thị Thu Hà" in response.text
    assert "Đăng xuất" in response.text


def test_an_english_browser_still_gets_vietnamese_until_the_person_switches(client, db):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert '<html lang="vi">' in response.text
    assert "Đăng nhập" in response.text
    assert response["Content-Language"] == "vi"


def test_switching_to_english_persists_across_pages_and_logout(client, db):
    person = UserFactory(full_name="Lê Thị Thu Hà")
    client.force_login(person)

    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)

    assert "Hello, Lê Thị Thu Hà" in response.text
    assert client.cookies["django_language"].value == "en"
    client.post(reverse("logout"))
    assert "Log in" in client.get(reverse("login")).text


def test_switching_back_to_vietnamese(client, db):
    client.force_login(UserFactory(full_name="Lê Thị Thu Hà"))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    response = client.post(reverse("set_language"), {"language": "vi", "next": "/"}, follow=True)

    assert "Xin chào, Lê Thị Thu Hà" in response.text


def test_an_unknown_language_keeps_vietnamese(client, db):
    client.force_login(UserFactory(full_name="Lê Thị Thu Hà"))

    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"}, follow=True)

    assert response.status_code == 200
    assert "Xin chào" in response.text


def test_dates_are_shown_day_first(client, db):
    from django.template import Context, Template

    rendered = Template('{{ day|date:"SHORT_DATE_FORMAT" }} {{ number }}').render(
        Context({"day": __import__("datetime").date(2026, 3, 9), "number": 5.5})
    )

    assert rendered == "09/03/2026 5,5"

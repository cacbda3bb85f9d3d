import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from org.tests.factories import PASSWORD, UserFactory

LOGIN = reverse("login")


@pytest.fixture
def person(db):
    return UserFactory(username="canbo", full_name="Lê Thị Thu Hà")


def test_the_home_page_sends_to_a_vietnamese_login_page(client, db):
    response = client.get("/", follow=True)

    assert response.redirect_chain[0][0].startswith(LOGIN)
    assert '<html lang="vi">' in response.text
    assert "Đăng nhập" in response.text
    assert "Tên đăng nhập" in response.text


@pytest.mark.dates
def test_a_person_logs_in_and_sees_their_name(client, person):
    response = client.post(LOGIN, {"username": "canbo", "password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Xin chào, Lê Thị Thu Hà" in response.text


def test_a_wrong_password_gives_a_vietnamese_error(client, person):
    response = client.post(LOGIN, {"username": "canbo", "password": "sai-mat-khau"})

    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.text
    assert "_auth_user_id" not in client.session


def test_an_empty_form_is_refused_with_messages(client, db):
    response = client.post(LOGIN, {"username": "", "password": ""})

    assert response.status_code == 200
    assert response.context["form"].errors


def test_repeated_failures_lock_the_account_on_that_address(client, person, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(LOGIN, {"username": "canbo", "password": "sai"})

    locked = client.post(LOGIN, {"username": "canbo", "password": "sai"})
    with_right_password = client.post(LOGIN, {"username": "canbo", "password": PASSWORD})

    assert locked.status_code == 429
    assert "tạm thời bị khóa" in locked.text
    assert "30" in locked.text  # minutes until it unlocks
    assert with_right_password.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_successful_login_resets_the_failure_count(client, person, settings):
    client.post(LOGIN, {"username": "canbo", "password": "sai"})
    client.post(LOGIN, {"username": "canbo", "password": PASSWORD})

    assert not AccessAttempt.objects.filter(username="canbo").exists()


def test_logout_needs_a_post_and_returns_to_login(client, person):
    client.force_login(person)

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assert response.url == LOGIN
    assert "_auth_user_id" not in client.session


def test_a_person_changes_their_password(client, person):
    client.force_login(person)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Khanh-Hoa-2026!", "new_password2": "Khanh-Hoa-2026!"},
    )

    assert response.url == reverse("password_change_done")
    person.refresh_from_db()
    assert person.check_password("Khanh-Hoa-2026!")


@pytest.mark.dates
def test_a_wrong_old_password_changes_nothing(client, person):
    client.force_login(person)

    response = client.post(
        reverse("password_change"),
        {"old_password": "sai", "new_password1": "Khanh-Hoa-2026!", "new_password2": "Khanh-Hoa-2026!"},
    )

    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_an_expired_form_gets_a_vietnamese_page(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(LOGIN, {"username": "canbo", "password": "x"})

    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.text


def test_password_change_is_for_logged_in_people_only(client, db):
    response = client.get(reverse("password_change"))

    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_the_login_page_keeps_a_bounded_number_of_queries(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        client.get(LOGIN)

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from org.tests.factories import UserFactory


@pytest.mark.dates
def test_an_unknown_page_gives_a_vietnamese_404(client, db):
    client.force_login(UserFactory())

    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.text


def test_the_server_error_page_is_vietnamese_and_needs_no_database(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "Đã xảy ra lỗi" in response.content.decode()


def test_static_assets_are_served_by_the_application(client, db):
    for path in (
        "/static/vendor/bootstrap-5.3.9/bootstrap.min.css",
        "/static/vendor/bootstrap-5.3.9/bootstrap.bundle.min.js",
        "/static/vendor/htmx-2.0.11/htmx.min.js",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        b"".join(response.streaming_content)


@pytest.mark.dates
def test_no_page_loads_anything_from_another_host(client, db):
    client.force_login(UserFactory())

    for url in ("/", "/accounts/login/"):
        html = client.get(url).text
        assert "http://" not in html and "https://" not in html, url

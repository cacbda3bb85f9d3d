"""The assignment pages: who sees and does what, bad input, and a bounded number of queries."""

import datetime
from decimal import Decimal

import pytest

from assignments import services
from assignments.models import Assignment

pytestmark = pytest.mark.django_db
DUE = datetime.date(2026, 3, 17)


@pytest.fixture
def assigned(org, diary, frozen_now):
    stage = diary.budget_review
    data = services.AssignmentInput(task=stage.task, stage=stage, quantity=Decimal(3), due_date=DUE)
    return services.assignments_create(people=[org.member1], data=data, by=org.head1)[0]


def form_data(diary, people, **extra):
    return {
        "people": [person.pk for person in people],
        "work": f"s{diary.budget_review.pk}",
        "quantity": "3",
        "due_date": "17/03/2026",
        "source": "",
        "note": "",
        **extra,
    }


def test_a_unit_head_assigns_from_the_form(client, org, diary, frozen_now):
    client.force_login(org.head1)
    page = client.get("/assignments/new/")
    assert page.status_code == 200
    assert "Thẩm định chi tiết" in page.content.decode()
    response = client.post("/assignments/new/", form_data(diary, [org.member1, org.member2]))
    assert response.status_code == 302
    assert set(Assignment.objects.values_list("person__username", flat=True)) == {"member1", "member2"}


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"quantity": "0"}, "0"),
        ({"due_date": "09/03/2026"}, "09/03/2026"),
        ({"due_date": "31/02/2026"}, ""),
        ({"work": "s999999"}, ""),
        ({"work": "x1"}, ""),
        ({"people": ""}, ""),
    ],
)
def test_bad_input_shows_the_form_again_and_assigns_nothing(client, org, diary, frozen_now, extra, message):
    client.force_login(org.head1)
    data = form_data(diary, [org.member1]) | extra
    response = client.post("/assignments/new/", data)
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode() or "alert-danger" in response.content.decode()
    assert message in response.content.decode()
    assert not Assignment.objects.exists()


def test_another_units_person_is_not_offered_and_posting_them_is_refused(client, org, diary, frozen_now):
    client.force_login(org.head1)
    page = client.get("/assignments/new/").content.decode()
    assert f'value="{org.member1.pk}"' in page
    assert f'value="{org.hr.pk}"' not in page
    response = client.post("/assignments/new/", form_data(diary, [org.member1, org.hr]))
    assert response.status_code == 200
    assert not Assignment.objects.exists()


def test_a_member_cannot_open_the_assign_form(client, org, diary, frozen_now):
    client.force_login(org.member1)
    assert client.get("/assignments/new/").status_code == 403
    assert client.post("/assignments/new/", form_data(diary, [org.member2])).status_code == 403
    assert not Assignment.objects.exists()


def test_an_outsider_neither_reads_nor_changes_an_assignment(client, org, assigned):
    for outsider in (org.member2, org.head2, org.member_b, org.leader_b):
        client.force_login(outsider)
        assert client.get(f"/assignments/{assigned.pk}/").status_code == 404
        response = client.post(f"/assignments/{assigned.pk}/cancel/", {"reason": "Không cần"})
        assert response.status_code == 404
    assigned.refresh_from_db()
    assert assigned.is_open and assigned.version == 1


def test_the_assignee_reads_it_but_cannot_change_it(client, org, assigned):
    client.force_login(org.member1)
    page = client.get(f"/assignments/{assigned.pk}/")
    assert page.status_code == 200
    assert "Hủy việc được giao" not in page.content.decode() and 'name="reason"' not in page.content.decode()
    assert client.post(f"/assignments/{assigned.pk}/cancel/", {"reason": "x"}).status_code == 403


def test_cancelling_needs_a_reason(client, org, assigned):
    client.force_login(org.head1)
    response = client.post(f"/assignments/{assigned.pk}/cancel/", {"reason": "", "version": "1"})
    assert response.status_code == 200
    assigned.refresh_from_db()
    assert assigned.is_open
    response = client.post(f"/assignments/{assigned.pk}/cancel/", {"reason": "Trùng việc", "version": "1"})
    assert response.status_code == 302
    assigned.refresh_from_db()
    assert not assigned.is_open and assigned.cancel_reason == "Trùng việc"


def test_a_bad_change_changes_nothing(client, org, assigned):
    client.force_login(org.head1)
    data = {"quantity": "abc", "due_date": "17/03/2026", "note": "", "reason": "x", "version": "1"}
    assert client.post(f"/assignments/{assigned.pk}/change/", data).status_code == 200
    data = {"quantity": "5", "due_date": "01/03/2026", "note": "", "reason": "x", "version": "1"}
    assert client.post(f"/assignments/{assigned.pk}/change/", data).status_code == 200
    assigned.refresh_from_db()
    assert (assigned.quantity, assigned.due_date, assigned.version) == (3, DUE, 1)


def test_the_day_page_offers_the_open_assignment_and_prefills_the_form(client, org, assigned):
    client.force_login(org.member1)
    page = client.get("/diary/day/2026-03-10/").content.decode()
    assert 'data-testid="open-assignments"' in page
    prefilled = client.get(f"/diary/day/2026-03-10/?assignment={assigned.pk}").content.decode()
    assert f'<option value="{assigned.pk}" selected>' in prefilled


@pytest.mark.parametrize("url", ["/assignments/", "/assignments/new/", "/assignments/{pk}/"])
def test_the_pages_take_a_bounded_number_of_queries(
    client, org, diary, assigned, django_assert_max_num_queries, url
):
    for day in range(5):
        data = services.AssignmentInput(
            task=diary.study.task,
            stage=diary.study,
            quantity=Decimal(1),
            due_date=DUE + datetime.timedelta(days=day),
        )
        services.assignments_create(people=[org.member1, org.member2], data=data, by=org.head1)
    client.force_login(org.head1)
    with django_assert_max_num_queries(30):
        assert client.get(url.format(pk=assigned.pk)).status_code == 200


def test_the_routine_page_is_a_leaders(client, org, diary, frozen_now):
    client.force_login(org.head1)
    assert client.get("/assignments/routine/STC/").status_code == 403
    client.force_login(org.member_b)
    assert client.get("/assignments/routine/STC/").status_code == 404
    client.force_login(org.leader)
    assert client.get("/assignments/routine/STC/").status_code == 200
    response = client.post(
        "/assignments/routine/STC/",
        {"position": "Không ai", "work": f"t{diary.study.task.pk}", "quantity": "2"},
    )
    assert response.status_code == 200
    assert "Không ai" in response.content.decode()


def test_the_same_form_posted_again_assigns_nothing_more(client, org, diary, frozen_now):
    client.force_login(org.head1)
    data = form_data(diary, [org.member1]) | {"client_token": "0f8e7c9a-5b1d-4d2e-9a44-6f1f2b3c4d5e"}
    assert client.post("/assignments/new/", data).status_code == 302
    assert client.post("/assignments/new/", data).status_code == 302
    assert Assignment.objects.count() == 1

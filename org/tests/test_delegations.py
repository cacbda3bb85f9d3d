import datetime

import pytest
from django.urls import reverse

from org.models import Delegation

from .factories import TODAY, DelegationFactory

pytestmark = pytest.mark.usefixtures("frozen_now")


def form_data(org, **overrides):
    data = {
        "delegate": org.member2.pk,
        "start": "2026-03-11",
        "end": "2026-03-13",
        "reason": "Đi công tác Hà Nội",
    }
    data.update(overrides)
    return data


def test_the_list_is_forbidden_to_someone_who_neither_gives_nor_receives(client, org):
    client.force_login(org.member1)

    assert client.get(reverse("org:delegations")).status_code == 403


def test_a_delegate_sees_what_they_received(client, org):
    DelegationFactory(delegator=org.head1, delegate=org.member2, start=TODAY, end=TODAY)
    client.force_login(org.member2)

    response = client.get(reverse("org:delegations"))

    assert response.status_code == 200
    assert org.head1.full_name in response.text


def test_a_unit_head_creates_a_delegation(client, org):
    client.force_login(org.head1)

    response = client.post(reverse("org:delegation_create"), form_data(org))

    assert response.status_code == 302
    delegation = Delegation.objects.get()
    assert (delegation.delegate, delegation.start, delegation.end) == (
        org.member2,
        datetime.date(2026, 3, 11),
        datetime.date(2026, 3, 13),
    )


def test_dates_typed_as_dd_mm_yyyy_are_understood(client, org):
    client.force_login(org.head1)

    client.post(reverse("org:delegation_create"), form_data(org, start="11/03/2026", end="13/03/2026"))

    assert Delegation.objects.get().end == datetime.date(2026, 3, 13)


def test_a_staff_member_cannot_open_the_form(client, org):
    client.force_login(org.member1)

    assert client.get(reverse("org:delegation_create")).status_code == 403
    assert client.post(reverse("org:delegation_create"), form_data(org)).status_code == 403
    assert not Delegation.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"start": "2026-03-01"},  # in the past
        {"end": "2026-03-01"},  # before the start
        {"start": "31/02/2026"},  # no such day
        {"delegate": "abc"},
        {"reason": ""},
        {"reason": "x" * 300},
    ],
)
def test_bad_input_redisplays_the_form_with_errors_and_saves_nothing(client, org, overrides):
    client.force_login(org.head1)

    response = client.post(reverse("org:delegation_create"), form_data(org, **overrides))

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Delegation.objects.exists()


def test_a_delegate_from_another_agency_is_not_offered(client, org):
    client.force_login(org.head1)

    response = client.post(reverse("org:delegation_create"), form_data(org, delegate=org.member_b.pk))

    assert "delegate" in response.context["form"].errors
    assert not Delegation.objects.exists()


def test_cancelling_asks_for_confirmation_first(client, org):
    delegation = DelegationFactory(delegator=org.head1, delegate=org.member2, start=TODAY, end=TODAY)
    client.force_login(org.head1)

    response = client.get(reverse("org:delegation_cancel", args=[delegation.pk]))

    assert response.status_code == 200
    delegation.refresh_from_db()
    assert delegation.cancelled_at is None


def test_the_delegator_cancels(client, org):
    delegation = DelegationFactory(delegator=org.head1, delegate=org.member2, start=TODAY, end=TODAY)
    client.force_login(org.head1)

    response = client.post(reverse("org:delegation_cancel", args=[delegation.pk]))

    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.cancelled_by == org.head1


@pytest.mark.parametrize(
    ("who", "status"), [("member2", 403), ("member1", 404), ("leader", 404), ("leader_b", 404)]
)
def test_nobody_else_can_cancel_and_only_the_delegate_learns_it_exists(client, org, who, status):
    delegation = DelegationFactory(delegator=org.head1, delegate=org.member2, start=TODAY, end=TODAY)
    client.force_login(getattr(org, who))

    response = client.post(reverse("org:delegation_cancel", args=[delegation.pk]))

    assert response.status_code == status
    delegation.refresh_from_db()
    assert delegation.cancelled_at is None


def test_cancelling_twice_shows_a_message_not_an_error_page(client, org):
    delegation = DelegationFactory(delegator=org.head1, delegate=org.member2, start=TODAY, end=TODAY)
    client.force_login(org.head1)
    client.post(reverse("org:delegation_cancel", args=[delegation.pk]))

    response = client.post(reverse("org:delegation_cancel", args=[delegation.pk]), follow=True)

    assert response.status_code == 200
    assert "Ủy quyền này đã bị hủy trước đó." in [str(m) for m in response.context["messages"]]


def test_the_list_keeps_a_bounded_number_of_queries(client, org, django_assert_max_num_queries):
    for day in range(10):
        start = TODAY + datetime.timedelta(days=day * 2)
        DelegationFactory(delegator=org.head1, delegate=org.member2, start=start, end=start)
    client.force_login(org.head1)

    with django_assert_max_num_queries(15):
        client.get(reverse("org:delegations"))


def test_the_form_keeps_a_bounded_number_of_queries(client, org, django_assert_max_num_queries):
    client.force_login(org.head1)

    with django_assert_max_num_queries(15):
        response = client.get(reverse("org:delegation_create"))

    assert response.status_code == 200


def test_the_confirmation_keeps_a_bounded_number_of_queries(client, org, django_assert_max_num_queries):
    delegation = DelegationFactory(delegator=org.head1, delegate=org.member2, start=TODAY, end=TODAY)
    client.force_login(org.head1)

    with django_assert_max_num_queries(12):
        client.get(reverse("org:delegation_cancel", args=[delegation.pk]))


def test_cancelling_an_unknown_delegation_gives_a_404(client, org):
    client.force_login(org.head1)

    assert client.post(reverse("org:delegation_cancel", args=[999999])).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, db):
    for url in (reverse("org:delegations"), reverse("org:delegation_create")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))

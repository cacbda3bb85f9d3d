import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from org import services
from org.models import Delegation

from .factories import TODAY

pytestmark = pytest.mark.usefixtures("frozen_now")


def delegate(org, **overrides):
    values = {
        "delegator": org.head1,
        "delegate": org.member2,
        "start": TODAY,
        "end": TODAY + datetime.timedelta(days=4),
        "reason": "Đi công tác",
        "by": org.head1,
    }
    values.update(overrides)
    return services.delegation_create(**values)


def test_a_unit_head_delegates_review_for_a_period(org):
    delegation = delegate(org)

    assert delegation.delegate == org.member2
    assert delegation.history.get().history_user == org.head1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"start": TODAY - datetime.timedelta(days=1)}, "start", "không được là một ngày trong quá khứ"),
        ({"end": TODAY - datetime.timedelta(days=1)}, "end", "không được trước ngày bắt đầu"),
        ({"end": TODAY + datetime.timedelta(days=400)}, "end", "tối đa là một năm"),
    ],
)
def test_bad_dates_are_refused_and_nothing_is_saved(org, overrides, field, message):
    with pytest.raises(ValidationError) as error:
        delegate(org, **overrides)

    assert message in " ".join(error.value.message_dict[field])
    assert not Delegation.objects.exists()


def test_a_delegate_from_another_agency_is_refused(org):
    with pytest.raises(ValidationError) as error:
        delegate(org, delegate=org.member_b)

    assert "đang công tác tại cơ quan của bạn" in error.value.message_dict["delegate"][0]


def test_delegating_to_oneself_is_refused(org):
    with pytest.raises(ValidationError) as error:
        delegate(org, delegate=org.head1)

    assert "chính mình" in error.value.message_dict["delegate"][0]


def test_overlapping_delegations_are_refused(org):
    delegate(org)

    with pytest.raises(ValidationError) as error:
        delegate(org, delegate=org.member1, start=TODAY + datetime.timedelta(days=2))

    assert "Bạn đã ủy quyền cho" in error.value.message_dict["start"][0]
    assert Delegation.objects.count() == 1


def test_a_person_who_reviews_nobody_cannot_delegate(org):
    with pytest.raises(PermissionDenied, match="Chỉ trưởng đơn vị hoặc lãnh đạo cơ quan"):
        delegate(org, delegator=org.member1, delegate=org.member2, by=org.member1)


def test_a_cancelled_delegation_cannot_be_cancelled_twice(org):
    delegation = delegate(org)
    services.delegation_cancel(delegation=delegation, by=org.head1)

    with pytest.raises(ValidationError, match="đã bị hủy"):
        services.delegation_cancel(delegation=delegation, by=org.head1)


def test_an_ended_delegation_cannot_be_cancelled(org):
    delegation = Delegation.objects.create(
        delegator=org.head1,
        delegate=org.member2,
        start=TODAY - datetime.timedelta(days=10),
        end=TODAY - datetime.timedelta(days=5),
        reason="Nghỉ phép",
        created_by=org.head1,
    )

    with pytest.raises(ValidationError, match="đã hết hiệu lực"):
        services.delegation_cancel(delegation=delegation, by=org.head1)
    delegation.refresh_from_db()
    assert delegation.cancelled_at is None


def test_a_transfer_cannot_start_before_the_current_membership(org):
    with pytest.raises(ValidationError, match="phải sau ngày bắt đầu"):
        services.person_transfer(person=org.member1, unit=org.unit2, on=datetime.date(2025, 1, 1))

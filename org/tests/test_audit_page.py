"""The audit trail page: HR reads their agency's events, filters them, and nobody else gets in."""

import pytest
from django.urls import reverse

from org.audit import record
from org.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
AUDIT = reverse("org:audit")


@pytest.fixture
def events(org):
    record(actor=org.head1, action="entry.returned", target=org.member1, agency=org.agency,
           person=org.member1, before={"status": "submitted"}, after={"status": "returned"},
           reason="Thiếu văn bản")  # fmt: skip
    record(actor=org.leader, action="evaluation.finalised", target=org.member2, agency=org.agency,
           person=org.member2)  # fmt: skip
    record(actor=org.leader_b, action="entry.approved", target=org.member_b, agency=org.other_agency,
           person=org.member_b)  # fmt: skip


def test_hr_reads_the_events_of_their_agency_only(client, org, events):
    client.force_login(org.hr)
    response = client.get(AUDIT)
    assert response.status_code == 200
    shown = list(response.context["page"].object_list)
    assert {e.person for e in shown} == {org.member1, org.member2}
    assert "Thiếu văn bản" in response.content.decode()


def test_filters_by_action_and_person(client, org, events):
    client.force_login(org.hr)
    shown = client.get(AUDIT, {"action": "entry.returned"}).context["page"].object_list
    assert [e.person for e in shown] == [org.member1]
    shown = client.get(AUDIT, {"person": org.member2.full_name}).context["page"].object_list
    assert [e.person for e in shown] == [org.member2]


def test_bad_filters_are_explained_not_a_crash(client, org, events):
    client.force_login(org.hr)
    response = client.get(AUDIT, {"start": "99/99/2026", "agency": "abc", "action": "drop table"})
    assert response.status_code == 200
    assert response.context["form"].errors


@pytest.mark.parametrize("who", ["member1", "head1", "catalog_manager"])
def test_people_without_an_agency_wide_role_are_refused(client, org, events, who):
    client.force_login(getattr(org, who))
    assert client.get(AUDIT).status_code == 403


def test_another_agencys_leader_sees_only_their_own(client, org, events):
    client.force_login(org.leader_b)
    shown = client.get(AUDIT).context["page"].object_list
    assert [e.person for e in shown] == [org.member_b]


def test_the_page_runs_a_bounded_number_of_queries(client, org, events, django_assert_max_num_queries):
    for _ in range(60):
        record(
            actor=org.head1,
            action="entry.approved",
            target=org.member1,
            agency=org.agency,
            person=org.member1,
        )
    client.force_login(org.hr)
    with django_assert_max_num_queries(15):
        client.get(AUDIT)
    assert AuditEvent.objects.count() == 63


def test_the_csv_export_has_the_filtered_rows_in_words(client, org, events, django_assert_max_num_queries):
    import csv
    import io

    client.force_login(org.hr)
    page = client.get(AUDIT, {"action": "entry.returned"}).content.decode()
    assert "action=entry.returned&amp;format=csv" in page  # the button keeps the filters

    with django_assert_max_num_queries(8):
        response = client.get(AUDIT, {"action": "entry.returned", "format": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Thời điểm", "Người thực hiện", "Thay mặt", "Thao tác"]
    assert len(rows) == 2  # the other agency's event and the other action are not there
    person, before, after, reason = rows[1][5:]
    assert (person, reason) == (org.member1.full_name, "Thiếu văn bản")
    assert before.startswith("trạng thái: ") and after.startswith("trạng thái: ")  # labels in words
    client.force_login(org.member1)
    assert client.get(AUDIT, {"format": "csv"}).status_code == 403
    client.force_login(org.leader_b)
    assert "Thiếu văn bản" not in client.get(AUDIT, {"format": "csv"}).content.decode()  # not their agency's

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evidence.models import OutgoingDocument
from org.models import AuditEvent

URL = "/api/v1/documents/"


def _document(n: int, **extra) -> dict:
    return {"source_id": f"VB-{n}", "number": f"{n}/STC-NS", "issued_on": "2026-03-05", **extra}


def _push(client, items):
    return client.api.post(URL, {"items": items}, format="json")


# --- Pushing ---------------------------------------------------------------------------------------------


def test_it_creates_documents_with_their_drafter_and_unit(stc, org, recheck):
    response = _push(
        stc,
        [
            _document(1, summary="Về dự toán", drafter="member1", drafting_unit="NS"),
            _document(2, drafter="", drafting_unit=None),
        ],
    )

    assert response.status_code == 200, response.json()
    assert response.json() == {"rows": 2, "created": 2, "updated": 0, "unchanged": 0}
    first = OutgoingDocument.objects.get(agency=org.agency, source_id="VB-1")
    assert (first.number, first.issued_on, first.summary) == (
        "1/STC-NS",
        datetime.date(2026, 3, 5),
        "Về dự toán",
    )
    assert (first.drafter, first.drafting_unit, first.number_key) == (org.member1, org.unit1, "1/STC-NS")
    second = OutgoingDocument.objects.get(agency=org.agency, source_id="VB-2")
    assert (second.drafter, second.drafting_unit, second.summary) == (None, None, "")


def test_usernames_and_unit_codes_are_matched_without_regard_to_case(stc, org):
    response = _push(stc, [_document(1, drafter="MEMBER1", drafting_unit="ns")])

    assert response.status_code == 200
    document = OutgoingDocument.objects.get(source_id="VB-1")
    assert (document.drafter, document.drafting_unit) == (org.member1, org.unit1)


def test_pushing_the_same_documents_again_changes_nothing(stc, recheck, django_capture_on_commit_callbacks):
    items = [_document(n, drafter="member1") for n in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        assert _push(stc, items).json()["created"] == 3
    imported_at = set(OutgoingDocument.objects.values_list("imported_at", flat=True))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = _push(stc, items)

    assert again.json() == {"rows": 3, "created": 0, "updated": 0, "unchanged": 3}
    assert OutgoingDocument.objects.count() == 3
    assert set(OutgoingDocument.objects.values_list("imported_at", flat=True)) == imported_at
    assert callbacks == []
    assert len(recheck) == 1


def test_a_changed_document_is_updated_by_source_id(stc, org, records):
    response = _push(
        stc, [{"source_id": "EO-1", "number": "12 / stc-ns", "issued_on": "2026-03-06"}, _document(9)]
    )

    assert response.json() == {"rows": 2, "created": 1, "updated": 1, "unchanged": 0}
    records.stc_document.refresh_from_db()
    assert records.stc_document.number == "12 / stc-ns"
    assert records.stc_document.issued_on == datetime.date(2026, 3, 6)
    assert records.stc_document.drafter is None  # the push says who drafted it, or nobody
    assert OutgoingDocument.objects.filter(agency=org.agency).count() == 3


def test_the_agencys_diaries_are_checked_again_once_the_push_commits(
    stc, org, recheck, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _push(stc, [_document(1)])
        assert recheck == []

    assert len(callbacks) == 1
    callbacks[0]()
    assert recheck == [org.agency.pk]


def test_a_push_that_changes_something_is_audited(stc, org):
    _push(stc, [_document(1)])

    event = AuditEvent.objects.get(action="evidence.imported")
    assert event.agency == org.agency
    assert event.actor is None
    assert event.after == {
        "kind": "documents", "api_client": "E-Office STC",
        "rows": 1, "created": 1, "updated": 0, "unchanged": 0,
    }  # fmt: skip


def test_one_bad_item_stops_the_whole_push(stc, recheck, django_capture_on_commit_callbacks):
    items = [_document(1), _document(2), _document(3, issued_on="05/03/2026"), _document(4, number="")]

    with django_capture_on_commit_callbacks(execute=True):
        response = _push(stc, items)

    assert response.status_code == 400
    errors = response.json()["items"]
    assert set(errors) == {"2", "3"}
    assert set(errors["2"]) == {"issued_on"}
    assert set(errors["3"]) == {"number"}
    assert not OutgoingDocument.objects.exists()
    assert recheck == []


def test_a_source_id_twice_in_one_push_is_refused(stc):
    response = stc.api.post(
        URL, {"items": [_document(1), _document(2), _document(1)]}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert list(response.json()["items"]) == ["2"]
    assert response.json()["items"]["2"]["source_id"] == ["The source id VB-1 already appears in item 0."]


def test_dates_outside_2000_to_2100_are_typing_errors(stc):
    response = _push(stc, [_document(1, issued_on="1926-03-05")])

    assert response.status_code == 400
    assert "issued_on" in response.json()["items"]["0"]


# --- Another agency's data -------------------------------------------------------------------------------


def test_a_drafter_of_another_agency_is_refused_naming_the_field(sxd, org):
    response = _push(sxd, [_document(1, drafter="member1")])

    assert response.status_code == 400
    assert list(response.json()["items"]["0"]) == ["drafter"]
    assert not OutgoingDocument.objects.exists()


def test_a_unit_of_another_agency_is_refused_naming_the_field(sxd, org):
    response = _push(sxd, [_document(1, drafting_unit="NS")])

    assert response.status_code == 400
    assert list(response.json()["items"]["0"]) == ["drafting_unit"]


def test_an_unknown_person_gets_the_same_answer_as_another_agencys(sxd, org):
    """The answer does not tell whether a username exists in another agency."""
    foreign = _push(sxd, [_document(1, drafter="member1")]).json()["items"]["0"]["drafter"][0]
    unknown = _push(sxd, [_document(1, drafter="nobody")]).json()["items"]["0"]["drafter"][0]

    assert foreign.replace("member1", "?") == unknown.replace("nobody", "?")


def test_pushing_another_agencys_source_id_creates_the_clients_own_document(sxd, org, records):
    response = _push(sxd, [{"source_id": "EO-1", "number": "1/SXD", "issued_on": "2026-03-01"}])

    assert response.json()["created"] == 1
    records.stc_document.refresh_from_db()
    assert records.stc_document.number == "12/STC-NS"
    assert OutgoingDocument.objects.filter(source_id="EO-1").count() == 2


def test_the_list_shows_only_the_clients_agency(sxd, records):
    response = sxd.api.get(URL)

    assert response.status_code == 200
    assert [row["source_id"] for row in response.json()["results"]] == ["SXD-1"]


def test_another_agencys_document_is_not_found(sxd, records):
    response = sxd.api.get(f"{URL}EO-1/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


# --- Reading ---------------------------------------------------------------------------------------------


def test_one_document_by_source_id(stc, records):
    response = stc.api.get(f"{URL}EO-1/")

    assert response.status_code == 200
    body = response.json()
    assert body.pop("imported_at")
    assert body == {
        "source_id": "EO-1", "number": "12/STC-NS", "issued_on": "2026-03-05", "summary": "Về dự toán 2026",
        "drafter": "member1", "drafting_unit": "NS",
    }  # fmt: skip


def test_a_source_id_with_a_slash_is_found(stc, org):
    OutgoingDocument.objects.create(
        agency=org.agency, source_id="2026/VB/7", number="7/STC", issued_on="2026-03-01"
    )

    assert stc.api.get(f"{URL}2026/VB/7/").json()["number"] == "7/STC"


def test_the_list_is_paginated_latest_first(stc, org):
    _push(stc, [_document(n, issued_on=f"2026-03-{n:02d}") for n in range(1, 26)])

    page = stc.api.get(URL, {"limit": 10, "offset": 10}).json()

    assert page["count"] == 25
    assert [row["source_id"] for row in page["results"]] == [f"VB-{n}" for n in range(15, 5, -1)]
    assert "offset=20" in page["next"]
    assert page["previous"]


def test_the_list_filters_by_dates_and_number(stc, records):
    def ids(**query):
        response = stc.api.get(URL, query)
        assert response.status_code == 200, response.json()
        return [row["source_id"] for row in response.json()["results"]]

    assert ids() == ["EO-1", "EO-2"]
    assert ids(issued_from="2026-03-01") == ["EO-1"]
    assert ids(issued_to="2026-02-28") == ["EO-2"]
    assert ids(number="12/stc-ns") == ["EO-1"]
    assert ids(number="12 / STC - NS") == ["EO-1"]
    assert ids(number="7/SXD-QLXD") == []


@pytest.mark.parametrize(
    "query",
    [{"issued_from": "05/03/2026"}, {"issued_to": "2026-13-01"}, {"number": "x" * 101}, {"number": "a\x00"}],
)
def test_a_bad_filter_is_a_json_400(stc, records, query):
    response = stc.api.get(URL, query)

    assert response.status_code == 400
    assert set(response.json()) == set(query)


def test_a_push_of_200_documents_takes_a_fixed_number_of_queries(stc, org):
    def queries(count: int, offset: int) -> int:
        items = [_document(offset + n, drafter="member1", drafting_unit="NS") for n in range(count)]
        with CaptureQueriesContext(connection) as captured:
            assert _push(stc, items).status_code == 200
        return len(captured)

    queries(1, 0)  # the first request of the minute also notes when the client was last seen
    one, two_hundred = queries(1, 100), queries(200, 1000)

    # SQLite splits a long INSERT in two batches; PostgreSQL sends one. One of them writes the mark
    # that asks for the diaries to be checked again (evidence.AgencyRecheck).
    assert two_hundred <= one + 1
    assert two_hundred <= 13


def test_a_page_of_documents_takes_a_fixed_number_of_queries(stc, org, django_assert_max_num_queries):
    _push(stc, [_document(n, drafter="member1", drafting_unit="NS") for n in range(150)])

    with django_assert_max_num_queries(4):
        assert len(stc.api.get(URL, {"limit": 150}).json()["results"]) == 150

"""Whatever a client sends, a bad body is a JSON 4xx that says what is wrong, never a server error."""

import json

import pytest

from evidence.models import CalendarAssignment, OutgoingDocument

DOCUMENTS = "/api/v1/documents/"
CALENDAR = "/api/v1/calendar/"
DOCUMENT = {"source_id": "VB-1", "number": "1/STC", "issued_on": "2026-03-05"}
MEETING = {"source_id": "L-1", "date": "2026-03-09", "title": "Họp", "participants": ["member1"]}

BAD_BODIES = [
    b"",
    b"null",
    b"[]",
    b'"items"',
    b"42",
    b"{}",
    b'{"items": null}',
    b'{"items": "VB-1"}',
    b'{"items": {"0": {}}}',
    b'{"items": []}',
    b'{"items": [null]}',
    b'{"items": [1, "two", [3]]}',
    b'{"items": [{}]}',
    b"{'items': []}",
    b'{"items": [',
    b'{"items": [NaN]}',
    b'{"items": [{"source_id": Infinity}]}',
    b"\xff\xfe\x00garbage",
    b"[" * 100_000 + b"]" * 100_000,
    b'{"items": [' + b'{"a":' * 5_000 + b"1" + b"}" * 5_000 + b"]}",
    b'{"items": [{"source_id": ' + b"9" * 10_000 + b"}]}",
    b'{"items": [{"source_id": "VB-1", "number": "1", "issued_on": 1e999}]}',
]


@pytest.mark.parametrize("url", [DOCUMENTS, CALENDAR])
@pytest.mark.parametrize("body", BAD_BODIES, ids=lambda body: body[:30].decode(errors="replace"))
def test_a_malformed_body_is_a_json_400(stc, url, body):
    response = stc.api.generic("POST", url, body, content_type="application/json")

    assert response.status_code == 400, response.content[:300]
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()


BAD_DOCUMENTS = [
    {"issued_on": 5},
    {"issued_on": None},
    {"issued_on": "2026-02-30"},
    {"issued_on": "2026-03-05T10:00:00"},
    {"issued_on": ["2026-03-05"]},
    {"issued_on": {"$date": "2026-03-05"}},
    {"issued_on": True},
    {"source_id": ""},
    {"source_id": "   "},
    {"source_id": "x" * 101},
    {"source_id": "a\x00b"},
    {"source_id": "\ud800"},
    {"source_id": None},
    {"source_id": ["VB-1"]},
    {"source_id": {"id": 1}},
    {"source_id": True},
    {"number": "x" * 101},
    {"number": "ß" * 60},  # 120 characters once upper-cased for the comparison key
    {"number": ""},
    {"summary": "x" * 2001},
    {"summary": ["a"]},
    {"drafter": 123456},
    {"drafter": ["member1"]},
    {"drafter": {"username": "member1"}},
    {"drafter": "x" * 151},
    {"drafting_unit": "x" * 31},
    {"drafting_unit": "NO-SUCH-UNIT"},
]


@pytest.mark.parametrize("change", BAD_DOCUMENTS, ids=repr)
def test_a_bad_document_is_a_json_400_naming_item_and_field(stc, change):
    # Sent escaped (ensure_ascii) so that a lone surrogate can be sent at all.
    body = json.dumps({"items": [DOCUMENT, {**DOCUMENT, "source_id": "VB-2", **change}]})
    response = stc.api.generic("POST", DOCUMENTS, body, content_type="application/json")

    assert response.status_code == 400, response.json()
    assert list(response.json()["items"]) == ["1"]
    assert list(response.json()["items"]["1"]) == list(change)
    assert not OutgoingDocument.objects.exists()


BAD_MEETINGS = [
    {"date": 20260309},
    {"start_time": "25:00"},
    {"start_time": 8},
    {"end_time": "noon"},
    {"kind": "party"},
    {"kind": ["meeting"]},
    {"kind": None},
    {"title": ""},
    {"title": "x" * 501},
    {"participants": "member1"},
    {"participants": {"member1": True}},
    {"participants": [None]},
    {"participants": ["member1"] * 501},
    {"participants": ["x" * 151]},
]


@pytest.mark.parametrize("change", BAD_MEETINGS, ids=repr)
def test_a_bad_assignment_is_a_json_400_naming_item_and_field(stc, change):
    response = stc.api.post(CALENDAR, {"items": [{**MEETING, **change}]}, format="json")

    assert response.status_code == 400, response.json()
    assert list(response.json()["items"]["0"]) == list(change)
    assert not CalendarAssignment.objects.exists()


def test_a_missing_field_is_named(stc):
    response = stc.api.post(DOCUMENTS, {"items": [{"source_id": "VB-1"}]}, format="json")

    assert set(response.json()["items"]["0"]) == {"number", "issued_on"}


def test_more_than_1000_items_are_refused_before_any_is_checked(stc, django_assert_max_num_queries):
    items = [{**DOCUMENT, "source_id": f"VB-{n}"} for n in range(10_000)]

    with django_assert_max_num_queries(2):
        response = stc.api.post(DOCUMENTS, {"items": items}, format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {"items": ["Ensure this field has no more than 1000 elements."]}


def test_1000_items_are_accepted(stc):
    items = [{**DOCUMENT, "source_id": f"VB-{n}"} for n in range(1000)]

    assert stc.api.post(DOCUMENTS, {"items": items}, format="json").json()["created"] == 1000


def test_a_body_above_the_limit_is_a_413(stc, settings):
    settings.API_MAX_BODY_BYTES = 1000
    body = json.dumps({"items": [{**DOCUMENT, "summary": "x" * 2000}]})

    response = stc.api.generic("POST", DOCUMENTS, body, content_type="application/json")

    assert response.status_code == 413
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_a_body_that_is_not_json_is_a_415(stc, content_type):
    response = stc.api.generic("POST", DOCUMENTS, b"items=1", content_type=content_type)

    assert response.status_code == 415
    assert response.json()["detail"]


def test_an_unknown_charset_is_read_as_utf8(stc):
    body = json.dumps({"items": [DOCUMENT]}).encode()

    response = stc.api.generic("POST", DOCUMENTS, body, content_type="application/json; charset=klingon")

    assert response.status_code == 200


def test_a_body_that_does_not_decode_is_a_400(stc):
    response = stc.api.generic(
        "POST", DOCUMENTS, b'{"items": [\xff]}', content_type="application/json; charset=utf-8"
    )

    assert response.status_code == 400


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_are_a_json_405(stc, records, method):
    response = getattr(stc.api, method)(DOCUMENTS, {}, format="json")

    assert response.status_code == 405
    assert response.json()["detail"]
    assert getattr(stc.api, method)(f"{DOCUMENTS}EO-1/").status_code == 405


@pytest.mark.parametrize(
    "query",
    [
        {"limit": "-1"},
        {"limit": "0"},
        {"limit": "1001"},
        {"limit": "abc"},
        {"limit": ""},
        {"offset": "-1"},
        {"offset": "1.5"},
        {"offset": "٣"},
        {"offset": "9" * 5000},
    ],
    ids=lambda query: repr(query)[:40],
)
def test_bad_pagination_parameters_are_a_json_400_naming_them(stc, records, query):
    response = stc.api.get(DOCUMENTS, query)

    assert response.status_code == 400
    assert list(response.json()) == list(query)


def test_an_offset_past_the_end_is_an_empty_page(stc, records):
    response = stc.api.get(DOCUMENTS, {"offset": str(10**17)})

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_an_unknown_parameter_is_a_json_400_naming_it(stc, records):
    """A misspelt filter must not quietly return everything."""
    response = stc.api.get(DOCUMENTS, {"issued_form": "2026-03-01", "limit": "5"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {"issued_form": ["Unknown parameter."]}
    assert stc.api.get(f"{DOCUMENTS}EO-1/", {"limit": "5"}).status_code == 400
    pushed = stc.api.post(f"{DOCUMENTS}?issued_to=2026-01-01", {"items": [DOCUMENT]}, format="json")
    assert (pushed.status_code, list(pushed.json())) == (400, ["issued_to"])


@pytest.mark.parametrize("query", [{"number": ""}, {"issued_from": ""}, {"issued_from": "20260305"}])
def test_an_empty_or_loose_filter_value_is_a_json_400(stc, records, query):
    response = stc.api.get(DOCUMENTS, query)

    assert response.status_code == 400
    assert list(response.json()) == list(query)


@pytest.mark.parametrize("source_id", ["nothing", "a%00b", "%ED%A0%80", "x" * 300])
def test_an_odd_source_id_is_not_found(stc, records, source_id):
    response = stc.api.get(f"{DOCUMENTS}{source_id}/")

    assert response.status_code == 404
    assert response.json()["detail"]

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from evidence.models import CalendarAssignment

URL = "/api/v1/calendar/"


def _meeting(n: int, **extra) -> dict:
    return {
        "source_id": f"LCT-{n}", "date": "2026-03-09", "start_time": "08:00", "end_time": "11:00",
        "title": "Họp giao ban tuần", "participants": ["head1", "member1"], **extra,
    }  # fmt: skip


def _push(client, items, **headers):
    return client.api.post(URL, {"items": items}, format="json", **headers)


def _people(assignment) -> set[str]:
    return set(assignment.participants.values_list("username", flat=True))


def test_it_creates_assignments_with_their_participants(stc, org, recheck):
    response = _push(stc, [_meeting(1), _meeting(2, kind="field_visit", start_time=None, end_time=None)])

    assert response.status_code == 200, response.json()
    assert response.json() == {"rows": 2, "created": 2, "updated": 0, "unchanged": 0}
    meeting = CalendarAssignment.objects.get(agency=org.agency, source_id="LCT-1")
    assert (meeting.date, meeting.start_time, meeting.end_time) == (
        datetime.date(2026, 3, 9), datetime.time(8), datetime.time(11),
    )  # fmt: skip
    assert (meeting.kind, meeting.title, _people(meeting)) == (
        "meeting",
        "Họp giao ban tuần",
        {"head1", "member1"},
    )
    visit = CalendarAssignment.objects.get(source_id="LCT-2")
    assert (visit.kind, visit.start_time, visit.end_time) == ("field_visit", None, None)


def test_pushing_the_same_assignments_again_changes_nothing(stc, recheck, django_capture_on_commit_callbacks):
    items = [_meeting(1), _meeting(2, participants=["member1", "MEMBER1"])]
    with django_capture_on_commit_callbacks(execute=True):
        _push(stc, items)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = _push(stc, items)

    assert again.json() == {"rows": 2, "created": 0, "updated": 0, "unchanged": 2}
    assert callbacks == []
    assert len(recheck) == 1


def test_an_update_replaces_the_participants(stc, org, records, recheck, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _push(stc, [_meeting(0, source_id="LICH-1", participants=["member2"])])

    assert response.json() == {"rows": 1, "created": 0, "updated": 1, "unchanged": 0}
    records.stc_meeting.refresh_from_db()
    assert _people(records.stc_meeting) == {"member2"}
    assert records.stc_meeting.end_time == datetime.time(11)
    assert recheck == [org.agency.pk]


def test_seconds_are_dropped_from_times(stc):
    _push(stc, [_meeting(1, start_time="08:00:59", end_time="09:30:10")])

    meeting = CalendarAssignment.objects.get()
    assert (meeting.start_time, meeting.end_time) == (datetime.time(8), datetime.time(9, 30))


def test_a_meeting_that_ends_before_it_starts_is_refused(stc):
    response = _push(stc, [_meeting(1, start_time="11:00", end_time="08:00")], HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {
        "items": {"0": {"end_time": ["The meeting ends (08:00) before it starts (11:00)."]}}
    }


def test_participants_are_required(stc):
    for participants in ([], None, "member1", [""], [["member1"]]):
        response = _push(stc, [_meeting(1, participants=participants)])

        assert response.status_code == 400, participants
        assert list(response.json()["items"]["0"]) == ["participants"]
    assert not CalendarAssignment.objects.exists()


def test_a_participant_of_another_agency_is_refused_naming_the_field(sxd, org):
    response = _push(sxd, [_meeting(1, participants=["member_b", "member1"])], HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {
        "items": {"0": {"participants": ["No person with the username “member1” in SXD."]}}
    }
    assert not CalendarAssignment.objects.exists()


def test_someone_who_has_left_the_agency_can_still_be_named(stc, org):
    """A past meeting names the people of its day, even if they moved since."""
    membership = org.member2.memberships.get()
    membership.end = datetime.date(2026, 3, 31)
    membership.save(update_fields=["end"])

    assert _push(stc, [_meeting(1, participants=["member2"])]).status_code == 200


def test_the_list_shows_only_the_clients_agency(sxd, records):
    rows = sxd.api.get(URL).json()["results"]

    assert [(row["source_id"], row["participants"]) for row in rows] == [("SXD-LICH-1", ["member_b"])]


def test_another_agencys_assignment_is_not_found(sxd, records):
    assert sxd.api.get(f"{URL}LICH-1/").status_code == 404


def test_one_assignment_by_source_id(stc, records):
    body = stc.api.get(f"{URL}LICH-1/").json()

    assert body.pop("imported_at")
    assert body == {
        "source_id": "LICH-1", "date": "2026-03-09", "start_time": "08:00", "end_time": "10:00",
        "kind": "meeting", "title": "Họp giao ban", "participants": ["head1", "member1"],
    }  # fmt: skip


def test_the_list_filters_by_dates_kind_and_participant(stc, records):
    _push(stc, [_meeting(1, date="2026-03-12", kind="field_visit", participants=["member2"])])

    def ids(**query):
        response = stc.api.get(URL, query)
        assert response.status_code == 200, response.json()
        return [row["source_id"] for row in response.json()["results"]]

    assert ids() == ["LCT-1", "LICH-1"]
    assert ids(date_from="2026-03-10") == ["LCT-1"]
    assert ids(date_to="2026-03-10") == ["LICH-1"]
    assert ids(kind="meeting") == ["LICH-1"]
    assert ids(participant="MEMBER2") == ["LCT-1"]
    assert ids(participant="member_b") == []
    assert stc.api.get(URL, {"kind": "party"}).status_code == 400


def test_a_push_of_200_assignments_takes_a_fixed_number_of_queries(stc, org):
    def queries(count: int, offset: int, **extra) -> int:
        items = [_meeting(offset + n, **extra) for n in range(count)]
        with CaptureQueriesContext(connection) as captured:
            assert _push(stc, items).status_code == 200
        return len(captured)

    queries(1, 0)
    one, two_hundred = queries(1, 100), queries(200, 1000)
    assert two_hundred <= one + 2  # SQLite splits long INSERTs in batches
    assert two_hundred <= 16

    updated = queries(200, 1000, participants=["member2"], title="Đổi")
    assert updated <= 16


def test_a_page_of_assignments_takes_a_fixed_number_of_queries(stc, org, django_assert_max_num_queries):
    _push(stc, [_meeting(n) for n in range(120)])

    with django_assert_max_num_queries(5):
        rows = stc.api.get(URL, {"limit": 200}).json()["results"]
    assert len(rows) == 120
    assert all(row["participants"] == ["head1", "member1"] for row in rows)

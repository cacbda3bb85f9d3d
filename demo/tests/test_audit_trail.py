"""The demo's audit trail reads in words: every action the demo produces, on the page HR opens, shows
field names, statuses, ratings, dates and scores as a person writes them, never as they are stored."""

import re

import pytest
from django.urls import reverse

from org import audit
from org.models import AuditEvent, User

pytestmark = pytest.mark.usefixtures("demo")

# What the demo's history holds: the diary reviewed, the months evaluated, an appeal, a measure, work given.
DEMO_ACTIONS = {
    "entry.approved",
    "entry.returned",
    "evaluation.self_assessed",
    "evaluation.scored",
    "evaluation.finalised",
    "evaluation.amended",
    "appeal.filed",
    "appeal.decided",
    "discipline.recorded",
    "assignment.created",
}
CODE = re.compile(r"^[a-z]+(_[a-z]+)*$")  # a stored code or field name: "self_assessed", "rating"
STORED_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
STORED_DECIMAL = re.compile(r"\d\.\d")
SHOWN = re.compile(r"<div>([^<]*): ([^<]*)</div>")


def raw_in(label: str, text: str) -> list[str]:
    found = []
    if CODE.match(label) or "_" in label:
        found.append(f"field {label!r}")
    if CODE.match(text) or "{" in text or "'" in text:
        found.append(f"value {text!r} of {label!r}")
    if STORED_DATE.search(text) or STORED_DECIMAL.search(text):
        found.append(f"number or date {text!r} of {label!r}")
    return found


def test_the_demo_writes_the_history_it_builds():
    assert set(AuditEvent.objects.values_list("action", flat=True).distinct()) >= DEMO_ACTIONS


def test_every_event_of_the_demo_is_shown_in_words():
    raw = {
        (event.action, found)
        for event in AuditEvent.objects.all()
        for side in ("before", "after")
        for label, text in audit.shown(event, side)
        for found in raw_in(label, text)
    }
    assert raw == set()


@pytest.mark.parametrize("action", sorted(DEMO_ACTIONS))
def test_the_audit_page_shows_each_action_in_words(client, action):
    client.force_login(User.objects.get(username="admin"))
    response = client.get(reverse("org:audit"), {"action": action})

    page = response.content.decode()
    table = page[page.index("<tbody") : page.index("</tbody>")]
    assert table.count("<tr") > 0
    assert action not in table
    shown = SHOWN.findall(table)
    assert shown, "the events show their values"
    assert [found for label, text in shown for found in raw_in(label.strip(), text.strip())] == []

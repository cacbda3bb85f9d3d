"""The review queue's section of the home page (registered with ``org.person_page.home_page``)."""

from __future__ import annotations

from org.person_page import Section

from . import selectors


def queue_section(request, person, profile) -> Section | None:
    """A reviewer's home page: how many entries wait for them, of how many people, since which day."""
    queue = selectors.review_queue(person)
    if not queue.all_count:
        return None
    return Section(
        "review/_home_queue.html",
        {"queue": queue, "oldest": queue.oldest},
        order=3,
    )

"""System checks of the organisation's data (run by ``migrate`` and ``manage.py check --database default``).

Console messages, in English like Django's own."""

from __future__ import annotations

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError


@register(Tags.database)
def review_line_check(app_configs=None, databases=None, **kwargs) -> list[Warning]:
    """``org.W001``: an active member whom nobody reviews today (``selectors.people_without_reviewer``).

    A database check: Django runs it only when asked for the databases (``migrate``, ``check
    --database``), and it keeps quiet while the tables are not there yet.
    """
    if not databases or "default" not in databases:
        return []
    from .selectors import people_without_reviewer

    try:
        gaps = people_without_reviewer()
    except DatabaseError:
        return []  # not migrated yet
    if not gaps:
        return []
    names = ", ".join(f"{gap.person} ({gap.agency.code}, {gap.unit.code})" for gap in gaps[:10])
    if len(gaps) > 10:
        names += ", …"
    return [
        Warning(
            f"{len(gaps)} active members have no reviewer, their entries would wait for ever: {names}.",
            hint=(
                "Give the unit a head, or designate a province reviewer of agency heads "
                "(a role assignment with province scope); manage.py check_review_line lists them all."
            ),
            obj="org.Membership",
            id="org.W001",
        )
    ]

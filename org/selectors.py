"""Reads about the organisation: who belongs where, who reviews whom, who sees whom.

Every access decision of the project goes through ``access_scope``: views,
templates (via the ``rules`` predicates in each app's ``rules.py``) and selectors of
the other apps alike.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import BigIntegerField, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone

from .audit import ON_BEHALF_OF
from .models import (
    Agency,
    AuditEvent,
    Delegation,
    Membership,
    Role,
    RoleAssignment,
    Unit,
    User,
    active_on_q,
    in_force_q,
)

# Roles that let a person read everything of the agencies (or province) they hold it over.
READER_ROLES = (Role.LEADER, Role.HR, Role.ADMINISTRATOR)
# Roles that may change an agency's task catalog.
CATALOG_ROLES = (Role.CATALOG_MANAGER, Role.ADMINISTRATOR)


def today() -> datetime.date:
    return timezone.localdate()


def membership_on(person: User, on: datetime.date) -> Membership | None:
    """The person's membership on a date, with unit and agency loaded."""
    return (
        Membership.objects.active_on(on)
        .filter(person=person)
        .select_related("unit__agency")
        .order_by("-start")
        .first()
    )


def review_map(agency_id: int, on: datetime.date) -> dict[int, int]:
    """Map each member of an agency on a date to the person who reviews them: the reviewer of record.

    The rule: walk up from the person's unit to the first unit whose head on
    that date is somebody else; that head reviews the person. So a member is
    reviewed by their unit head, a unit head by the head of the unit above
    (the agency leader, for a department directly below the leadership board),
    and a member of a unit without a head by the next head up. If that head
    has delegated review for the date, the delegate reviews instead, except
    when the delegate is the person: nobody reviews themself. The head of the
    agency (the head of a root unit) has no reviewer inside the agency: the
    province reviewer of the agency's province reviews them (``Role.PROVINCE_REVIEWER``
    held over the province; of several, the one designated first, the lowest
    role assignment id); with none, the head is left out of the map.

    Who may approve or return the work *now* is wider (a delegation in force
    today reaches the delegator's older work too): see ``Reviewers.acting``.

    Three queries, whatever the size of the agency.
    """
    return review_maps(agency_id, on, on)[on]


def review_maps(
    agency_id: int, start: datetime.date, end: datetime.date
) -> dict[datetime.date, dict[int, int]]:
    """``review_map`` for every date from ``start`` to ``end``, still in three queries."""
    return {
        day: {person_id: found.of_record for person_id, found in reviewers.items()}
        for day, reviewers in reviewer_maps(agency_id, start, end).items()
    }


@dataclass(frozen=True)
class Reviewers:
    """Who reviews one person's work of one day.

    ``line``: the head above the person that day, whose review rights these are.
    ``of_record``: the reviewer of the day, ``review_map``'s answer: the line head, or the delegate of
    a delegation in force that day (such days stay the delegate's afterwards: history is not rewritten).
    ``acting``: who may approve or return the work now: the reviewer of record and, while the line
    head has a delegation in force (today, or on the day itself for a future day), the head and each
    of their delegates, so the delegate reaches the head's backlog and the head keeps acting. Never
    the person themself.
    """

    line: int
    of_record: int
    acting: frozenset[int]


def reviewer_maps(
    agency_id: int,
    start: datetime.date,
    end: datetime.date,
    *,
    days: Iterable[datetime.date] | None = None,
    people: Iterable[int] | None = None,
) -> dict[datetime.date, dict[int, Reviewers]]:
    """``Reviewers`` of every member of an agency for every date from ``start`` to ``end``; three queries.

    ``days``: only these dates of the period (the review queue's days with waiting work, not every
    calendar day since the oldest); ``people``: only these members are sure to be in the maps (the
    heads, whom the rule needs, are read too), so the cost follows the work waiting, not the agency.

    The one rule of who reviews whose work: ``review_map``, ``reviewee_ids`` (and through it the access
    rules ``worklog.review_entry``, ``worklog.reopen_day``, ``evaluation.score_evaluation``), the review
    queue and the audit's "on behalf of" all read it.
    """
    now = today()
    # The agency's province reviewer (for the heads of its root units) rides along the units' query:
    # an uncorrelated subquery, worked out once.
    units = list(
        Unit.objects.filter(agency_id=agency_id)
        .annotate(province_reviewer=Subquery(_province_reviewer_of(agency_id)))
        .values_list("id", "parent_id", "province_reviewer")
    )
    parent_of = {unit_id: parent_id for unit_id, parent_id, _reviewer in units}
    province_reviewer = units[0][2] if units else None
    memberships = Membership.objects.filter(unit__agency_id=agency_id, start__lte=end).filter(
        Q(end__isnull=True) | Q(end__gte=start)
    )
    if people is not None:
        memberships = memberships.filter(Q(is_head=True) | Q(person_id__in=list(people)))
    membership_rows = list(memberships.values_list("person_id", "unit_id", "is_head", "start", "end"))
    # Those covering the period (reviewer of record), and those in force today (acting reviewers).
    delegations = list(
        Delegation.objects.filter(Q(start__lte=end, end__gte=start) | in_force_q(now))
        .filter(delegator__memberships__unit__agency_id=agency_id, delegator__memberships__is_head=True)
        .distinct()
        .order_by("start", "pk")
        .values_list("delegator_id", "delegate_id", "start", "end", "cancelled_at")
    )
    if days is None:
        days = (start + datetime.timedelta(days=n) for n in range((end - start).days + 1))
    return {
        day: _reviewers_on(day, max(day, now), parent_of, membership_rows, delegations, province_reviewer)
        for day in sorted(set(days))
        if start <= day <= end
    }


def _province_reviewer_of(agency_id: int) -> QuerySet:
    """The id of the person who reviews the heads of the agency: the active holder of
    ``Role.PROVINCE_REVIEWER`` over its province designated first (the lowest role assignment id)."""
    return (
        RoleAssignment.objects.filter(
            role=Role.PROVINCE_REVIEWER, province__agencies=agency_id, person__is_active=True
        )
        .order_by("pk")
        .values("person_id")[:1]
    )


def _province_reviewed_q(reviewer: User) -> Q:
    """A filter on agencies: those of the provinces where ``reviewer`` is a province reviewer."""
    return Q(
        province_id__in=RoleAssignment.objects.filter(
            person=reviewer, role=Role.PROVINCE_REVIEWER, province__isnull=False
        ).values("province_id")
    )


def _in_force(d_start, d_end, cancelled_at, day: datetime.date) -> bool:
    # Same rule as Delegation.objects.in_force_on: a cancellation counts from its own day.
    if not (d_start <= day <= d_end):
        return False
    return cancelled_at is None or timezone.localdate(cancelled_at) > day


def _reviewers_on(
    day, acting_day, parent_of, memberships, delegations, province_reviewer=None
) -> dict[int, Reviewers]:
    """``Reviewers`` of the work of ``day``, acted on at ``acting_day`` (today, or the day if later).

    The head of a root unit, whom no head inside the agency reviews, is reviewed by
    ``province_reviewer`` (whose delegations do not reach here: only the agency's heads delegate).
    """
    members = [
        (person_id, unit_id, is_head)
        for person_id, unit_id, is_head, m_start, m_end in memberships
        if m_start <= day and (m_end is None or m_end >= day)
    ]
    head_of = {unit_id: person_id for person_id, unit_id, is_head in members if is_head}
    heads = set(head_of.values())
    delegate_of: dict[int, int] = {}
    sharing: dict[int, set[int]] = {}
    for delegator_id, delegate_id, d_start, d_end, cancelled_at in delegations:
        if delegator_id not in heads:
            continue
        if _in_force(d_start, d_end, cancelled_at, day):
            delegate_of[delegator_id] = delegate_id  # the latest one wins
        if _in_force(d_start, d_end, cancelled_at, acting_day):
            sharing.setdefault(delegator_id, set()).add(delegate_id)

    reviewers: dict[int, Reviewers] = {}
    for person_id, unit_id, is_head in members:
        line = _line_reviewer(person_id, unit_id, parent_of, head_of)
        if line is None and is_head and unit_id in parent_of and parent_of[unit_id] is None:
            line = province_reviewer  # the agency head
        if line is None or line == person_id:
            continue
        of_record = line
        delegate = delegate_of.get(line)
        if delegate is not None and delegate != person_id:
            of_record = delegate
        acting = {of_record}
        if line in sharing:
            acting |= {line} | sharing[line]
        acting.discard(person_id)  # nobody reviews themself
        reviewers[person_id] = Reviewers(line=line, of_record=of_record, acting=frozenset(acting))
    return reviewers


def _line_reviewer(
    person_id: int, unit_id: int | None, parent_of: dict[int, int | None], head_of: dict[int, int]
) -> int | None:
    seen: set[int] = set()
    while unit_id is not None and unit_id not in seen:
        seen.add(unit_id)
        head = head_of.get(unit_id)
        if head is not None and head != person_id:
            return head
        unit_id = parent_of.get(unit_id)
    return None


def agency_heads(agency: Agency, on: datetime.date) -> QuerySet[User]:
    """Who heads the agency on a date: the head of its leadership board (the unit at the top)."""
    return User.objects.filter(
        pk__in=Membership.objects.active_on(on)
        .filter(unit__agency=agency, unit__parent__isnull=True, is_head=True)
        .values("person_id"),
        is_active=True,
    )


def reviewer_for(person: User, on: datetime.date) -> User | None:
    """Who reviews ``person``'s work of date ``on`` (the reviewer of record); ``None`` when nobody does."""
    membership = membership_on(person, on)
    if membership is None:
        return None
    reviewer_id = review_map(membership.unit.agency_id, on).get(person.pk)
    if reviewer_id is None:
        return None
    return User.objects.get(pk=reviewer_id)


@dataclass(frozen=True)
class Unreviewed:
    """A member whose entries would wait with no reviewer (``people_without_reviewer``)."""

    agency: Agency
    unit: Unit
    person: User


def people_without_reviewer(on: datetime.date | None = None) -> list[Unreviewed]:
    """Every active member on ``on`` (default today) whom nobody reviews: the agency head of an agency
    whose province has no province reviewer, a head of a unit without a head above it, a member of a
    root unit without a head. By agency, unit and name.

    The ``check_review_line`` command and the system check ``org.W001`` read it; three queries per
    agency and two more, whatever the number of people.
    """
    on = on or today()
    agencies = list(Agency.objects.order_by("code"))
    reviewed: set[int] = set()
    for agency in agencies:
        reviewed.update(review_map(agency.pk, on))
    gaps = (
        Membership.objects.active_on(on)
        .filter(person__is_active=True)
        .exclude(person_id__in=reviewed)
        .select_related("person", "unit__agency")
        .order_by("unit__agency__code", "unit__code", "person__full_name", "person__username")
    )
    return [Unreviewed(agency=m.unit.agency, unit=m.unit, person=m.person) for m in gaps]


def reviewed_agency_ids(reviewer: User, start: datetime.date, end: datetime.date) -> set[int]:
    """Agencies where the reviewer may review work dated from ``start`` to ``end``: where they head a
    unit then, where a head delegated to them then or (the backlog) today, and the agencies of the
    provinces where they are the province reviewer (of the agency heads). One query."""
    overlapping = Q(start__lte=end) & (Q(end__isnull=True) | Q(end__gte=start))
    delegators = Delegation.objects.filter(delegate=reviewer).filter(
        Q(start__lte=end, end__gte=start) | in_force_q(today())
    )
    headed = (
        Membership.objects.filter(overlapping, is_head=True)
        .filter(Q(person=reviewer) | Q(person_id__in=delegators.values("delegator_id")))
        .values("unit__agency_id")
    )
    return set(
        Agency.objects.filter(Q(pk__in=headed) | _province_reviewed_q(reviewer)).values_list("pk", flat=True)
    )


def review_candidates(
    reviewer: User, agency_ids: Iterable[int], start: datetime.date, end: datetime.date
) -> QuerySet:
    """The ids of everyone whose work dated ``start`` to ``end`` the reviewer might review (a subquery):
    a superset of what ``Reviewers.acting`` allows, narrow enough that a unit head's queue reads only
    their unit's waiting work and an agency leader's only that of the heads below them.

    The rule walks up from a person's unit to the first head who is not the person, so from each unit
    the reviewer heads in the period (or a head who delegated to them heads: in the period, or today
    for the backlog) this walks down: the members of that unit and of every unit below it reached
    through units without a head; of a unit below with a head all through the period, only its heads
    (its members are their head's). For a province reviewer, the heads of the agencies' top units.
    One query (the units); the callers apply the exact rule to what this keeps.
    """
    agency_ids = list(agency_ids)
    overlapping = Q(start__lte=end) & (Q(end__isnull=True) | Q(end__gte=start))
    delegators = Delegation.objects.filter(delegate=reviewer).filter(
        Q(start__lte=end, end__gte=start) | in_force_q(today())
    )
    headed = Membership.objects.filter(overlapping, unit=OuterRef("pk"), is_head=True).filter(
        Q(person=reviewer) | Q(person_id__in=delegators.values("delegator_id"))
    )
    headed_throughout = Membership.objects.filter(
        Q(end__isnull=True) | Q(end__gte=end), unit=OuterRef("pk"), is_head=True, start__lte=start
    )
    units = list(
        Unit.objects.filter(agency_id__in=agency_ids)
        .annotate(
            headed=Exists(headed),
            headed_throughout=Exists(headed_throughout),
            heads_reviewed=Q(agency__in=Agency.objects.filter(_province_reviewed_q(reviewer))),
        )
        .values_list("id", "parent_id", "headed", "headed_throughout", "heads_reviewed")
    )
    children: dict[int, list[int]] = {}
    closed: set[int] = set()  # units with a head all through the period: the walk stops at their heads
    for unit_id, parent_id, _headed, throughout, _reviewed in units:
        if parent_id is not None:
            children.setdefault(parent_id, []).append(unit_id)
        if throughout:
            closed.add(unit_id)
    members: set[int] = set()  # units whose every member may be the reviewer's
    heads: set[int] = set()  # units whose heads only may be
    todo = [unit_id for unit_id, _parent, headed_then, _throughout, _reviewed in units if headed_then]
    members.update(todo)
    while todo:
        for child in children.get(todo.pop(), ()):
            if child in members:
                continue  # seen, or headed by the reviewer (walked from itself)
            if child in closed:
                heads.add(child)
            else:
                members.add(child)
                todo.append(child)
    heads.update(
        unit_id
        for unit_id, parent_id, _headed, _throughout, reviewed in units
        if parent_id is None and reviewed
    )
    return (
        Membership.objects.filter(overlapping)
        .filter(Q(unit_id__in=members) | Q(unit_id__in=heads, is_head=True))
        .values("person_id")
    )


def acting_for(
    reviewer: User, work: Iterable[tuple[int, int, datetime.date]]
) -> dict[tuple[int, datetime.date], int]:
    """Whose rights the reviewer exercises on each (agency id, person id, date) of ``work`` they may
    review without being its line head: (person id, date) -> the line head (the delegator).

    Three queries per agency, whatever the number of days: the audit trail's "on behalf of".
    """
    days_of: dict[int, set[tuple[int, datetime.date]]] = {}
    for agency_id, person_id, day in work:
        days_of.setdefault(agency_id, set()).add((person_id, day))
    found: dict[tuple[int, datetime.date], int] = {}
    for agency_id, wanted in days_of.items():
        days = [day for _person_id, day in wanted]
        maps = reviewer_maps(agency_id, min(days), max(days))
        for person_id, day in wanted:
            reviewers = maps[day].get(person_id)
            if reviewers and reviewer.pk in reviewers.acting and reviewers.line != reviewer.pk:
                found[(person_id, day)] = reviewers.line
    return found


def reviewee_ids(reviewer: User, on: datetime.date) -> frozenset[int]:
    """Ids of the people whose work of date ``on`` the reviewer may approve or return now
    (``Reviewers.acting``): by line, by a delegation in force that day or today, or as the province
    reviewer of agency heads."""
    headed = Membership.objects.active_on(on).filter(person=reviewer, is_head=True).values("unit__agency_id")
    agency_ids = set(
        Agency.objects.filter(Q(pk__in=headed) | _province_reviewed_q(reviewer)).values_list("pk", flat=True)
    )
    delegator_ids = list(
        Delegation.objects.filter(delegate=reviewer)
        .filter(in_force_q(on) | in_force_q(max(on, today())))
        .values_list("delegator_id", flat=True)
    )
    if delegator_ids:
        agency_ids.update(
            Membership.objects.active_on(on)
            .filter(person_id__in=delegator_ids, is_head=True)
            .values_list("unit__agency_id", flat=True)
        )
    found: set[int] = set()
    for agency_id in agency_ids:
        found.update(
            person_id
            for person_id, reviewers in reviewer_maps(agency_id, on, on)[on].items()
            if reviewer.pk in reviewers.acting
        )
    return frozenset(found)


@dataclass(frozen=True)
class AccessScope:
    """What a user may read on a date. Built once per request (see ``access_scope``)."""

    user_id: int
    everything: bool = False
    agency_ids: frozenset[int] = frozenset()
    province_ids: frozenset[int] = frozenset()
    reviewee_ids: frozenset[int] = frozenset()
    heads_unit: bool = False
    # Agencies the user belongs to on the date, and those whose catalog they maintain.
    member_agency_ids: frozenset[int] = frozenset()
    catalog_agency_ids: frozenset[int] = frozenset()
    # (agency id, role) and (province id, role) of every role assignment.
    agency_roles: frozenset[tuple[int, str]] = frozenset()
    province_roles: frozenset[tuple[int, str]] = frozenset()

    @property
    def sees_others(self) -> bool:
        return bool(self.everything or self.agency_ids or self.province_ids or self.reviewee_ids)

    def people_q(self, on: datetime.date, *, prefix: str = "") -> Q:
        """A filter on people (``prefix`` leads from the queried model to a person) for this scope."""
        if self.everything:
            return Q()
        q = Q(**{f"{prefix}pk": self.user_id}) | Q(**{f"{prefix}pk__in": self.reviewee_ids})
        membership = f"{prefix}memberships__"
        if self.agency_ids:
            q |= active_on_q(on, prefix=membership) & Q(
                **{f"{membership}unit__agency_id__in": self.agency_ids}
            )
        if self.province_ids:
            q |= active_on_q(on, prefix=membership) & Q(
                **{f"{membership}unit__agency__province_id__in": self.province_ids}
            )
        return q

    def reads_agency(self, agency: Agency) -> bool:
        """Reads everything of the agency: leaders, HR, administrators, province scope."""
        return self.everything or agency.pk in self.agency_ids or agency.province_id in self.province_ids

    def belongs_to(self, agency: Agency) -> bool:
        return agency.pk in self.member_agency_ids

    def manages_catalog(self, agency: Agency) -> bool:
        return self.everything or agency.pk in self.catalog_agency_ids

    def has_role(self, agency: Agency, *roles: str) -> bool:
        """Holds one of ``roles`` over the agency, directly or with province scope (superusers: always)."""
        return self.everything or any(
            (agency.pk, role) in self.agency_roles or (agency.province_id, role) in self.province_roles
            for role in roles
        )


def access_scope(user: User, on: datetime.date | None = None) -> AccessScope:
    """The reading rights of ``user`` on a date (default today), cached on the user object.

    The user object lives for one request, so the cache does too.
    """
    on = on or today()
    # getattr/setattr rather than __dict__: request.user is a lazy proxy of the user.
    cache: dict[datetime.date, AccessScope] | None = getattr(user, "_access_scopes", None)
    if cache is None:
        cache = {}
        user._access_scopes = cache  # type: ignore[attr-defined]
    if on not in cache:
        cache[on] = _build_access_scope(user, on)
    return cache[on]


def _build_access_scope(user: User, on: datetime.date) -> AccessScope:
    if not user.is_authenticated or not user.is_active:
        return AccessScope(user_id=0)
    memberships = list(
        Membership.objects.active_on(on).filter(person=user).values_list("unit__agency_id", "is_head")
    )
    member_agency_ids = frozenset(agency_id for agency_id, _is_head in memberships)
    heads_unit = any(is_head for _agency_id, is_head in memberships)
    if user.is_superuser:
        return AccessScope(
            user_id=user.pk, everything=True, heads_unit=heads_unit, member_agency_ids=member_agency_ids
        )
    agency_ids: set[int] = set()
    province_ids: set[int] = set()
    catalog_agency_ids: set[int] = set()
    agency_roles: set[tuple[int, str]] = set()
    province_roles: set[tuple[int, str]] = set()
    for role, agency_id, province_id in RoleAssignment.objects.filter(person=user).values_list(
        "role", "agency_id", "province_id"
    ):
        if agency_id is not None:
            agency_roles.add((agency_id, role))
        else:
            province_roles.add((province_id, role))
        if role in CATALOG_ROLES and agency_id is not None:
            catalog_agency_ids.add(agency_id)
        if role not in READER_ROLES:
            continue
        if agency_id is not None:
            agency_ids.add(agency_id)
        else:
            province_ids.add(province_id)
    return AccessScope(
        user_id=user.pk,
        agency_ids=frozenset(agency_ids),
        province_ids=frozenset(province_ids),
        reviewee_ids=reviewee_ids(user, on),
        heads_unit=heads_unit,
        member_agency_ids=member_agency_ids,
        catalog_agency_ids=frozenset(catalog_agency_ids),
        agency_roles=frozenset(agency_roles),
        province_roles=frozenset(province_roles),
    )


def visible_people(user: User, on: datetime.date | None = None) -> QuerySet[User]:
    """Everyone ``user`` may read the data of, on a date (default today)."""
    on = on or today()
    scope = access_scope(user, on)
    if not user.is_authenticated:
        return User.objects.none()
    return User.objects.filter(scope.people_q(on)).distinct()


def people_list(
    user: User,
    *,
    on: datetime.date | None = None,
    search: str = "",
    unit: Unit | None = None,
) -> QuerySet[User]:
    """The people directory: visible people with their current unit loaded in ``current_memberships``."""
    on = on or today()
    people = visible_people(user, on)
    if search:
        people = people.filter(
            Q(full_name__icontains=search) | Q(username__icontains=search) | Q(position__icontains=search)
        )
    if unit is not None:
        people = people.filter(pk__in=Membership.objects.active_on(on).filter(unit=unit).values("person_id"))
    return people.prefetch_related(current_memberships_prefetch(on)).order_by("full_name", "username")


def current_memberships_prefetch(on: datetime.date) -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.active_on(on).select_related("unit__agency"),
        to_attr="current_memberships",
    )


def units_visible_to(user: User, on: datetime.date | None = None) -> QuerySet[Unit]:
    """Units a user may filter the directory by: those of the agencies they read, or their own."""
    on = on or today()
    scope = access_scope(user, on)
    units = Unit.objects.select_related("agency")
    if scope.everything:
        return units
    q = Q(agency_id__in=scope.agency_ids) | Q(agency__province_id__in=scope.province_ids)
    q |= Q(pk__in=Membership.objects.active_on(on).filter(person_id__in=scope.reviewee_ids).values("unit_id"))
    return units.filter(q)


def person_profile(person: User, on: datetime.date | None = None) -> dict:
    """What a profile page shows: memberships over time, roles, reviewer today."""
    on = on or today()
    memberships = list(
        Membership.objects.filter(person=person).select_related("unit__agency").order_by("-start")
    )
    current = next((m for m in memberships if m.start <= on and (m.end is None or m.end >= on)), None)
    return {
        "memberships": memberships,
        "current": current,
        "roles": list(RoleAssignment.objects.filter(person=person).select_related("agency", "province")),
        "reviewer": reviewer_for(person, on),
    }


def delegations_of(user: User) -> tuple[QuerySet[Delegation], QuerySet[Delegation]]:
    """(given, received) delegations of a user, newest first."""
    base = Delegation.objects.select_related("delegator", "delegate", "cancelled_by")
    return base.filter(delegator=user), base.filter(delegate=user)


def delegate_candidates(delegator: User, on: datetime.date | None = None) -> QuerySet[User]:
    """People of the delegator's agency, today, who may receive their review rights."""
    on = on or today()
    membership = membership_on(delegator, on)
    if membership is None:
        return User.objects.none()
    return (
        User.objects.filter(is_active=True)
        .filter(
            pk__in=Membership.objects.active_on(on)
            .filter(unit__agency_id=membership.unit.agency_id)
            .values("person_id")
        )
        .exclude(pk=delegator.pk)
        .order_by("full_name")
    )


def roles_of(user: User) -> Iterable[RoleAssignment]:
    return RoleAssignment.objects.filter(person=user).select_related("agency", "province")


def audit_trail(
    user: User,
    *,
    agency: Agency | None = None,
    person: str = "",
    action: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """The audit events of the agencies the user reads in full (leaders, HR, administrators), newest first.

    ``on_behalf_of_name``: the name of the person a delegate acted for (``org.audit.on_behalf``), in the
    same query.
    """
    scope = access_scope(user)
    events = (
        AuditEvent.objects.select_related("actor", "person", "agency")
        .annotate(on_behalf_of_id=Cast(KeyTextTransform(ON_BEHALF_OF, "after"), BigIntegerField()))
        .annotate(
            on_behalf_of_name=Subquery(
                User.objects.filter(pk=OuterRef("on_behalf_of_id")).values("full_name")[:1]
            )
        )
    )
    if not scope.everything:
        events = events.filter(
            Q(agency_id__in=scope.agency_ids) | Q(agency__province_id__in=scope.province_ids)
        )
    if agency is not None:
        events = events.filter(agency=agency)
    if person:
        events = events.filter(Q(person__full_name__icontains=person) | Q(person__username__iexact=person))
    if action:
        events = events.filter(action=action)
    if start:
        events = events.filter(at__date__gte=start)
    if end:
        events = events.filter(at__date__lte=end)
    return events


def audit_agencies(user: User) -> QuerySet[Agency]:
    scope = access_scope(user)
    if scope.everything:
        return Agency.objects.all()
    return Agency.objects.filter(Q(pk__in=scope.agency_ids) | Q(province_id__in=scope.province_ids))


def read_agencies(user: User) -> list[Agency]:
    """Agencies whose evaluations the user reads in full: leaders, HR, administrators, province scope."""
    scope = access_scope(user)
    if not (scope.everything or scope.agency_ids or scope.province_ids):
        return []
    agencies = Agency.objects.order_by("code")
    if scope.everything:
        return list(agencies)
    return list(agencies.filter(Q(pk__in=scope.agency_ids) | Q(province_id__in=scope.province_ids)))

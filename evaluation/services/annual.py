"""The annual rating (Decree 335/2025 Article 21): the reviewer proposes, the agency leader decides
within the excellent quota of the person's group before the agency's deadline, the person may appeal.

Deciding takes the same lock as the monthly quota (``records.lock_quota``: the agency's weights row),
so two leaders deciding "excellent" at once in one group are counted one after the other.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kpi_portal.history import set_history_user
from kpi_portal.text import REASON_MAX, conflict, figure, required_text, short_date
from org import selectors as org_selectors
from org.audit import record
from org.models import Agency, Role, User
from org.notifications import notify

from .. import annual
from ..models import AnnualAppeal, AnnualRating, AnnualStatus, AppealStatus, Rating
from .records import lock_quota


def _rating(value: str) -> Rating:
    if value not in Rating.values:
        raise ValidationError({"rating": [_("Choose one of the four ratings.")]})
    return Rating(value)


def _check_open(agency: Agency, year: int) -> None:
    """A year is rated from the day it has a final month until the agency's deadline in December."""
    day = annual.deadline(agency, year)
    today = org_selectors.today()
    if year > today.year:
        raise ValidationError(_("%(year)s has not begun: a year is rated in its December.") % {"year": year})
    if today > day:
        raise ValidationError(
            _(
                "The %(year)s annual ratings had to be proposed and decided by %(day)s; that day has "
                "passed. Only an appeal can change a decided rating now."
            )
            % {"year": year, "day": short_date(day)}
        )


def _check_discipline(annual_rating: AnnualRating, rating: Rating) -> None:
    if annual_rating.disciplined and rating != Rating.NOT_COMPLETED:
        raise ValidationError(
            {
                "rating": [
                    _(
                        "%(name)s had a disciplinary measure in %(year)s: the year is rated "
                        "“%(rating)s” whatever the score."
                    )
                    % {
                        "name": annual_rating.person.get_full_name(),
                        "year": annual_rating.year,
                        "rating": Rating.NOT_COMPLETED.label,
                    }
                ]
            }
        )


def _snapshot(annual_rating: AnnualRating) -> dict[str, object]:
    return {
        "status": annual_rating.status,
        "proposed_rating": annual_rating.proposed_rating,
        "decided_rating": annual_rating.decided_rating,
        "months": annual_rating.months_counted,
        "average": annual_rating.average_score,
        "group": annual_rating.group,
    }


def _save(annual_rating: AnnualRating, *, by: User, action: str, before: dict, reason: str = "") -> None:
    annual_rating.version += 1
    set_history_user(annual_rating, by=by, reason=reason or None)
    annual_rating.save()
    record(
        actor=by,
        action=action,
        target=annual_rating,
        agency=annual_rating.agency,
        person=annual_rating.person,
        before=before,
        after=_snapshot(annual_rating),
        reason=reason,
    )


def _leaders(agency: Agency) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, role_assignments__role=Role.LEADER, role_assignments__agency=agency
        ).distinct()
    )


def _locked(annual_rating: AnnualRating, version: int | None) -> AnnualRating:
    current = (
        AnnualRating.objects.select_for_update(of=("self",))
        .select_related("person", "agency", "unit")
        .get(pk=annual_rating.pk)
    )
    if version is not None and current.version != version:
        raise conflict()
    return current


def check_quota(annual_rating: AnnualRating, rating: str) -> None:
    """Refuse an excellent rating beyond the quota of the person's group (after ``lock_quota``)."""
    if rating != Rating.EXCELLENT:
        return
    found = annual.quota(
        annual_rating.agency, annual_rating.year, annual_rating.group, counting=annual_rating, rating=rating
    )
    if found.exceeded:
        raise ValidationError(
            _(
                "Rating %(name)s excellent would make %(excellent)s excellent for %(good)s rated good in "
                "the group “%(group)s” of %(year)s; at most %(percent)s%% of those rated good "
                "(%(allowed)s) may be excellent. Decide the good ratings first, or choose another rating."
            )
            % {
                "name": annual_rating.person.get_full_name(),
                "excellent": found.excellent,
                "good": found.good,
                "group": annual_rating.group_label,
                "year": annual_rating.year,
                "percent": found.percent,
                "allowed": found.allowed,
            }
        )


@transaction.atomic
def annual_propose(
    *, person: User, year: int, by: User, rating: str, comment: str, version: int | None = None
) -> AnnualRating:
    """The person's reviewer proposes the year's rating from the year's final months (the rating of
    their average is suggested; another one needs a comment). A proposal may be changed until decided."""
    membership = org_selectors.membership_on(person, annual.reference_day(year))
    if membership is None:
        raise ValidationError(
            _("%(name)s did not belong to any unit in %(year)s.")
            % {"name": person.get_full_name(), "year": year}
        )
    agency = membership.unit.agency
    proposed = AnnualRating(person=person, year=year, agency=agency)
    if not by.has_perm("evaluation.propose_annual", proposed):
        if by.pk == person.pk:
            raise PermissionDenied(_("Nobody proposes their own annual rating."))
        raise PermissionDenied(_("Only the person's reviewer proposes their annual rating."))
    _check_open(agency, year)
    chosen = _rating(rating)
    figures = annual.year_figures(person, year)
    if figures.average is None:
        raise ValidationError(
            _("%(name)s has no final month in %(year)s: the annual rating comes from the final months.")
            % {"name": person.get_full_name(), "year": year}
        )
    comment = (comment or "").strip()
    if len(comment) > REASON_MAX:
        raise ValidationError({"comment": [_("Write at most %(max)s characters.") % {"max": REASON_MAX}]})
    if chosen != figures.suggested and not comment:
        raise ValidationError(
            {"comment": [_("Say why you propose another rating than the one of the average.")]}
        )
    existing = AnnualRating.objects.filter(person=person, year=year).first()
    if existing is None:
        annual_rating = AnnualRating(person=person, year=year, agency=agency, version=0)
        before: dict[str, object] = {}
    else:
        annual_rating = _locked(existing, version)
        if annual_rating.is_decided:
            raise ValidationError(
                _("The leader has decided this annual rating; only an appeal can change it.")
            )
        before = _snapshot(annual_rating)
    annual_rating.unit = membership.unit
    annual_rating.group = annual.group_of(person, agency, annual.reference_day(year))
    annual_rating.months_counted = figures.months
    annual_rating.average_score = figures.shown_average or 0
    annual_rating.disciplined = figures.disciplined
    annual_rating.suggested_rating = figures.suggested or Rating.NOT_COMPLETED
    _check_discipline(annual_rating, chosen)
    annual_rating.proposed_rating = chosen
    annual_rating.proposal_comment = comment
    annual_rating.proposed_by = by
    annual_rating.proposed_at = timezone.now()
    _save(annual_rating, by=by, action="annual.proposed", before=before, reason=comment)
    return annual_rating


@transaction.atomic
def annual_decide(
    *, annual_rating: AnnualRating, by: User, rating: str, reason: str, version: int | None
) -> AnnualRating:
    """The agency leader decides the year's rating within the excellent quota of the person's group;
    deciding otherwise than proposed needs a written reason. The person is told and may appeal."""
    if not by.has_perm("evaluation.decide_annual", annual_rating):
        if by.pk == annual_rating.person_id:
            raise PermissionDenied(_("Nobody decides their own annual rating."))
        raise PermissionDenied(_("Only the agency leader decides annual ratings."))
    _check_open(annual_rating.agency, annual_rating.year)
    chosen = _rating(rating)
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": [_("Write at most %(max)s characters.") % {"max": REASON_MAX}]})
    lock_quota(annual_rating.agency)
    annual_rating = _locked(annual_rating, version)
    if annual_rating.is_decided:
        raise ValidationError(
            _("The annual rating of %(name)s is already decided.")
            % {"name": annual_rating.person.get_full_name()}
        )
    if chosen != annual_rating.proposed_rating and not reason:
        raise ValidationError(
            {"reason": [_("Give the reason for deciding otherwise than the reviewer proposed.")]}
        )
    _check_discipline(annual_rating, chosen)
    check_quota(annual_rating, chosen)
    before = _snapshot(annual_rating)
    annual_rating.status = AnnualStatus.DECIDED
    annual_rating.decided_rating = chosen
    annual_rating.decided_by = by
    annual_rating.decided_at = timezone.now()
    annual_rating.decision_reason = reason
    _save(annual_rating, by=by, action="annual.decided", before=before, reason=reason)
    notify(
        recipient=annual_rating.person,
        key=f"annual-decided:{annual_rating.pk}",
        title=_("Your rating of %(year)s is decided: %(rating)s")
        % {"year": annual_rating.year, "rating": chosen.label},
        body=_(
            "The average of your %(months)s final months: %(average)s. You may appeal within %(days)s days."
        )
        % {
            "months": annual_rating.months_counted,
            "average": figure(annual_rating.average_score),
            "days": annual.scheme_of(annual_rating.agency).appeal_days,
        },
        url=reverse("evaluation:annual_detail", args=[annual_rating.pk]),
    )
    return annual_rating


def _decide_order(annual_rating: AnnualRating) -> int:
    # Good before excellent, so that the quota counts the good ones of the same batch.
    order = [Rating.NOT_COMPLETED, Rating.COMPLETED, Rating.GOOD, Rating.EXCELLENT]
    return order.index(Rating(annual_rating.proposed_rating))


@transaction.atomic
def annuals_decide(*, ratings: Mapping[int, int], by: User) -> int:
    """Decide several annual ratings (id → version seen) as proposed: all of them or none."""
    if not ratings:
        raise ValidationError(_("Tick at least one annual rating to decide."))
    found = list(AnnualRating.objects.filter(pk__in=list(ratings)).select_related("person", "agency"))
    if len(found) != len(ratings):
        raise ValidationError(_("Some of these annual ratings no longer exist. Reload the page."))
    for annual_rating in sorted(found, key=_decide_order):
        annual_decide(
            annual_rating=annual_rating,
            by=by,
            rating=annual_rating.proposed_rating,
            reason="",
            version=ratings[annual_rating.pk],
        )
    return len(found)


def appeal_deadline(annual_rating: AnnualRating) -> datetime.date | None:
    """The last day to appeal: the agency's days to appeal after the decision."""
    if annual_rating.decided_at is None:
        return None
    days = annual.scheme_of(annual_rating.agency).appeal_days
    return timezone.localdate(annual_rating.decided_at) + datetime.timedelta(days=days)


@transaction.atomic
def annual_appeal_file(*, annual_rating: AnnualRating, by: User, reason: str) -> AnnualAppeal:
    """The person contests their decided annual rating within the deadline, with a written reason."""
    if not by.has_perm("evaluation.appeal_annual", annual_rating):
        raise PermissionDenied(_("Only the person rated can appeal."))
    reason = required_text(reason, "reason", _("Write why you contest the annual rating."))
    annual_rating = _locked(annual_rating, None)
    if not annual_rating.is_decided:
        raise ValidationError(_("An annual rating can be appealed once the leader has decided it."))
    if AnnualAppeal.objects.filter(annual_rating=annual_rating).exists():
        raise ValidationError(_("You have already appealed this annual rating."))
    last = appeal_deadline(annual_rating)
    if last is not None and org_selectors.today() > last:
        raise ValidationError(_("The time to appeal ended on %(day)s.") % {"day": short_date(last)})
    appeal = AnnualAppeal.objects.create(
        annual_rating=annual_rating, reason=reason, rating_before=annual_rating.decided_rating
    )
    record(
        actor=by,
        action="annual_appeal.filed",
        target=appeal,
        agency=annual_rating.agency,
        person=annual_rating.person,
        after={"rating": annual_rating.decided_rating},
        reason=reason,
    )
    for leader in _leaders(annual_rating.agency):
        if leader.pk != by.pk:
            notify(
                recipient=leader,
                key=f"annual-appeal-filed:{appeal.pk}:{leader.pk}",
                title=_("%(name)s appealed the rating of %(year)s")
                % {"name": annual_rating.person.get_full_name(), "year": annual_rating.year},
                body=reason,
                url=reverse("evaluation:annual_detail", args=[annual_rating.pk]),
            )
    return appeal


@transaction.atomic
def annual_appeal_decide(
    *, appeal: AnnualAppeal, by: User, rating: str, decision: str, version: int | None
) -> AnnualAppeal:
    """The leader upholds the rating or amends it (within the quota), with a written decision."""
    annual_rating = appeal.annual_rating
    if not by.has_perm("evaluation.decide_annual", annual_rating):
        if by.pk == annual_rating.person_id:
            raise PermissionDenied(_("Nobody decides on their own appeal."))
        raise PermissionDenied(_("Only the agency leader decides appeals."))
    decision = required_text(decision, "decision", _("Write the decision: the person will read it."))
    chosen = _rating(rating)
    lock_quota(annual_rating.agency)
    appeal = AnnualAppeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status != AppealStatus.PENDING or (version is not None and appeal.version != version):
        raise conflict()
    annual_rating = _locked(annual_rating, None)
    amend = chosen != annual_rating.decided_rating
    if amend:
        _check_discipline(annual_rating, chosen)
        check_quota(annual_rating, chosen)
        before = _snapshot(annual_rating)
        annual_rating.decided_rating = chosen
        _save(annual_rating, by=by, action="annual.amended", before=before, reason=decision)
    appeal.status = AppealStatus.AMENDED if amend else AppealStatus.UPHELD
    appeal.decision = decision
    appeal.decided_at = timezone.now()
    appeal.decided_by = by
    appeal.rating_after = annual_rating.decided_rating
    appeal.version += 1
    set_history_user(appeal, by=by)
    appeal.save()
    record(
        actor=by,
        action="annual_appeal.decided",
        target=appeal,
        agency=annual_rating.agency,
        person=annual_rating.person,
        before={"status": AppealStatus.PENDING, "rating": appeal.rating_before},
        after={"status": appeal.status, "rating": appeal.rating_after},
        reason=decision,
    )
    notify(
        recipient=annual_rating.person,
        key=f"annual-appeal-decided:{appeal.pk}",
        title=_("Appeal on your rating of %(year)s: %(status)s")
        % {"year": annual_rating.year, "status": appeal.get_status_display().lower()},
        body=decision,
        url=reverse("evaluation:annual_detail", args=[annual_rating.pk]),
    )
    return appeal


def annual_reminders(on: datetime.date) -> int:
    """Remind, in the days before an agency's deadline, each reviewer of the people they have not
    proposed yet and each leader of the proposals not decided; once a day each (the notification key)."""
    told = 0
    year = on.year
    for agency in Agency.objects.order_by("code"):
        last = annual.deadline(agency, year)
        if not (last - datetime.timedelta(days=annual.REMINDER_DAYS) <= on <= last):
            continue
        list_url = reverse("evaluation:annual_list", args=[agency.code]) + f"?year={year}"
        waiting = AnnualRating.objects.filter(agency=agency, year=year, status=AnnualStatus.PROPOSED).count()
        if waiting:
            for leader in _leaders(agency):
                told += notify(
                    recipient=leader,
                    key=f"annual-decide:{agency.pk}:{year}:{leader.pk}:{on.isoformat()}",
                    title=_("%(agency)s: %(count)s annual ratings of %(year)s to decide by %(day)s")
                    % {"agency": agency.code, "count": waiting, "year": year, "day": short_date(last)},
                    url=list_url,
                )
        for reviewer in _reviewers(agency, year):
            missing = [
                person
                for person, rating in annual.people_to_propose(reviewer, year)
                if rating is None and annual.year_figures(person, year).months
            ]
            if missing:
                told += notify(
                    recipient=reviewer,
                    key=f"annual-propose:{year}:{reviewer.pk}:{on.isoformat()}",
                    title=_("%(count)s annual ratings of %(year)s to propose by %(day)s")
                    % {"count": len(missing), "year": year, "day": short_date(last)},
                    body=", ".join(p.get_full_name() for p in missing),
                    url=reverse("evaluation:annual_mine") + f"?year={year}",
                )
    return told


def _reviewers(agency: Agency, year: int) -> list[User]:
    ids = set(org_selectors.review_map(agency.pk, annual.reference_day(year)).values())
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))

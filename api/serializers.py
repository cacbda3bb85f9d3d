"""What the API reads and writes, checked field by field before anything is written.

A push is ``{"items": [...]}``: every item is checked, then the usernames and unit codes
are looked up in the client's agency (one query each, whatever the number of items), and
only a batch without any problem reaches the service. Problems come back keyed by the
item's position: ``{"items": {"3": {"issued_on": ["…"]}}}``.
"""

from __future__ import annotations

import datetime
import re
from typing import Any, cast

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from evaluation.models import Rating
from evidence import imports
from evidence.imports import AssignmentInput, DocumentInput
from evidence.models import SOURCE_ID_MAX, AssignmentKind, normalise_number
from kpi_portal import periods, standards

from . import selectors

MAX_ITEMS = 1000
MAX_PARTICIPANTS = 500
USERNAME_MAX = 150
UNIT_CODE_MAX = 30
MONTH_PATTERN = f"^{periods.MONTH_PATTERN}$"
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"
# The years of evidence.imports.FIRST_YEAR to LAST_YEAR (2000 to 2100), for the schema.
EVIDENCE_DATE_PATTERN = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


# --- Shared fields ---------------------------------------------------------------------------------------


@extend_schema_field({"type": "string", "pattern": MONTH_PATTERN, "example": "2026-03"})
class MonthField(serializers.Field):
    """A month written YYYY-MM, as the first day of that month."""

    default_error_messages = {"invalid": gettext_lazy("Write the month as YYYY-MM, for example 2026-03.")}

    def to_internal_value(self, data) -> datetime.date:
        # Exactly YYYY-MM: the portal's own forms forgive spaces around it, the API does not.
        if not isinstance(data, str) or not re.fullmatch(periods.MONTH_PATTERN, data):
            self.fail("invalid")
        return periods.parse_month(data)

    def to_representation(self, value: datetime.date) -> str:
        return periods.month_value(value)


class StrictCharField(serializers.CharField):
    """Text that must be sent as text (DRF would take 5 for "5") and is measured before it is trimmed."""

    def to_internal_value(self, data) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class IsoDateField(serializers.DateField):
    """YYYY-MM-DD and nothing else (Python would also read 20260305 or 2026-W10-4)."""

    def to_internal_value(self, value) -> datetime.date:
        if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            self.fail("invalid", format="YYYY-MM-DD")
        return super().to_internal_value(value)


@extend_schema_field(
    {"type": "string", "format": "date", "pattern": EVIDENCE_DATE_PATTERN, "example": "2026-03-05"}
)
class EvidenceDateField(IsoDateField):
    """A date within the years the spreadsheet import accepts (others are typing errors)."""

    def to_internal_value(self, value) -> datetime.date:
        day = super().to_internal_value(value)
        if not imports.FIRST_YEAR <= day.year <= imports.LAST_YEAR:
            raise serializers.ValidationError(
                _("Use a date between %(first)s and %(last)s.")
                % {"first": imports.FIRST_YEAR, "last": imports.LAST_YEAR}
            )
        return day


@extend_schema_field({"type": "string", "pattern": TIME_PATTERN, "example": "08:30"})
class MinuteTimeField(serializers.Field):
    """A time of day, HH:MM (HH:MM:SS is read too; seconds are dropped, as in the spreadsheet import)."""

    default_error_messages = {"invalid": gettext_lazy("Write the time as HH:MM, for example 08:30.")}

    def to_internal_value(self, data) -> datetime.time:
        if not isinstance(data, str) or not re.fullmatch(TIME_PATTERN[1:-1], data):
            self.fail("invalid")
        return datetime.time(int(data[:2]), int(data[3:5]))

    def to_representation(self, value: datetime.time) -> str:
        return f"{value:%H:%M}"


def hours_field(**kwargs) -> serializers.DecimalField:
    """A read-only figure in hours (or a percentage) rounded by the one rule of pages and exports."""
    return serializers.DecimalField(
        max_digits=None,
        decimal_places=standards.DISPLAY_PLACES,
        rounding=standards.ROUNDING,
        read_only=True,
        **kwargs,
    )


def score_field(**kwargs) -> serializers.DecimalField:
    """A score or one of its parts as stored (two decimals, the total toward its rating), by the one rule."""
    return serializers.DecimalField(
        max_digits=5, decimal_places=standards.DISPLAY_PLACES, rounding=standards.ROUNDING, **kwargs
    )


class BatchField(serializers.ListField):
    """The ``items`` of a push: counted before any item is checked, then checked together."""

    def to_internal_value(self, data):
        # A 100,000-item body is refused before 100,000 items are validated.
        if isinstance(data, list) and self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)

    def run_child_validation(self, data):
        valid: dict[int, dict] = {}
        errors: dict[int, Any] = {}
        for index, item in enumerate(data):
            try:
                valid[index] = self.child.run_validation(item)
            except serializers.ValidationError as error:
                errors[index] = error.detail
        errors |= cast(BatchSerializer, self.parent).check_items(valid)
        if errors:
            # Keyed by the item's position, in order (JSON keys are strings either way).
            raise serializers.ValidationError({str(index): errors[index] for index in sorted(errors)})
        return [valid[index] for index in sorted(valid)]


class BatchSerializer(serializers.Serializer):
    """``{"items": [...]}``; ``context["agency"]`` is the client's agency."""

    def check_items(self, items: dict[int, dict]) -> dict[int, dict[str, list[str]]]:
        """Problems that need the other items or the database: repeated source ids, unknown names."""
        problems: dict[int, dict[str, list[str]]] = {}
        first_seen: dict[str, int] = {}
        for index, item in items.items():
            source_id = item["source_id"]
            if source_id in first_seen:
                problems.setdefault(index, {})["source_id"] = [
                    _("The source id %(id)s already appears in item %(item)s.")
                    % {"id": source_id, "item": first_seen[source_id]}
                ]
            else:
                first_seen[source_id] = index
        return problems

    def unknown_person(self, username: str) -> str:
        return _("No person with the username “%(username)s” in %(agency)s.") % {
            "username": username,
            "agency": self.context["agency"].code,
        }


# --- Pushing evidence ------------------------------------------------------------------------------------


class DocumentItemSerializer(serializers.Serializer):
    source_id = StrictCharField(
        max_length=SOURCE_ID_MAX, help_text="The document's id in E-Office; unique in the agency."
    )
    number = StrictCharField(
        max_length=imports.NUMBER_MAX, help_text="Number and symbol, for example 1234/STC-NS."
    )
    issued_on = EvidenceDateField(help_text="Date issued (YYYY-MM-DD).")
    summary = StrictCharField(max_length=imports.SUMMARY_MAX, allow_blank=True, default="")
    drafter = StrictCharField(
        max_length=USERNAME_MAX,
        allow_null=True,
        allow_blank=True,
        default=None,
        help_text="Username of the person who drafted it, a member of the agency.",
    )
    drafting_unit = StrictCharField(
        max_length=UNIT_CODE_MAX,
        allow_null=True,
        allow_blank=True,
        default=None,
        help_text="Code of the agency's unit that drafted it.",
    )

    def validate_number(self, number: str) -> str:
        # The stored comparison key must fit its column too (upper case can make a text longer).
        if len(normalise_number(number)) > imports.NUMBER_MAX:
            raise serializers.ValidationError(
                _("Ensure this field has no more than %(max)s characters.") % {"max": imports.NUMBER_MAX}
            )
        return number


class DocumentBatchSerializer(BatchSerializer):
    items = BatchField(child=DocumentItemSerializer(), allow_empty=False, max_length=MAX_ITEMS)

    def check_items(self, items):
        problems = super().check_items(items)
        agency = self.context["agency"]
        people = selectors.people_by_username(agency, [i["drafter"] for i in items.values() if i["drafter"]])
        units = selectors.units_by_code(
            agency, [i["drafting_unit"] for i in items.values() if i["drafting_unit"]]
        )
        for index, item in items.items():
            item["drafter_id"] = item["drafting_unit_id"] = None
            if item["drafter"]:
                item["drafter_id"] = people.get(selectors.fold(item["drafter"]))
                if item["drafter_id"] is None:
                    problems.setdefault(index, {})["drafter"] = [self.unknown_person(item["drafter"])]
            if item["drafting_unit"]:
                item["drafting_unit_id"] = units.get(selectors.fold(item["drafting_unit"]))
                if item["drafting_unit_id"] is None:
                    problems.setdefault(index, {})["drafting_unit"] = [
                        _("No unit with the code “%(code)s” in %(agency)s.")
                        % {"code": item["drafting_unit"], "agency": agency.code}
                    ]
        return problems

    def validate(self, attrs):
        attrs["items"] = [
            DocumentInput(
                source_id=item["source_id"],
                number=item["number"],
                issued_on=item["issued_on"],
                summary=item["summary"],
                drafter_id=item["drafter_id"],
                drafting_unit_id=item["drafting_unit_id"],
            )
            for item in attrs["items"]
        ]
        return attrs


class AssignmentItemSerializer(serializers.Serializer):
    source_id = StrictCharField(
        max_length=SOURCE_ID_MAX,
        help_text="The assignment's id in the work calendar; unique in the agency.",
    )
    date = EvidenceDateField()
    start_time = MinuteTimeField(allow_null=True, default=None, help_text="HH:MM")
    end_time = MinuteTimeField(allow_null=True, default=None, help_text="HH:MM")
    kind = serializers.ChoiceField(choices=AssignmentKind.choices, default=AssignmentKind.MEETING)
    title = StrictCharField(max_length=imports.TITLE_MAX)
    participants = serializers.ListField(
        child=StrictCharField(max_length=USERNAME_MAX),
        allow_empty=False,
        max_length=MAX_PARTICIPANTS,
        help_text="Usernames of the people assigned, members of the agency.",
    )

    def validate(self, attrs):
        start, end = attrs["start_time"], attrs["end_time"]
        if start and end and end < start:
            raise serializers.ValidationError(
                {
                    "end_time": [
                        _("The meeting ends (%(end)s) before it starts (%(start)s).")
                        % {"end": f"{end:%H:%M}", "start": f"{start:%H:%M}"}
                    ]
                }
            )
        return attrs


class AssignmentBatchSerializer(BatchSerializer):
    items = BatchField(child=AssignmentItemSerializer(), allow_empty=False, max_length=MAX_ITEMS)

    def check_items(self, items):
        problems = super().check_items(items)
        people = selectors.people_by_username(
            self.context["agency"], [name for item in items.values() for name in item["participants"]]
        )
        for index, item in items.items():
            ids = [people.get(selectors.fold(name)) for name in item["participants"]]
            unknown = [name for name, pk in zip(item["participants"], ids, strict=True) if pk is None]
            if unknown:
                problems.setdefault(index, {})["participants"] = [
                    self.unknown_person(name) for name in unknown
                ]
            item["participant_ids"] = frozenset(ids)
        return problems

    def validate(self, attrs):
        attrs["items"] = [
            AssignmentInput(
                source_id=item["source_id"],
                date=item["date"],
                start_time=item["start_time"],
                end_time=item["end_time"],
                kind=item["kind"],
                title=item["title"],
                participant_ids=item["participant_ids"],
            )
            for item in attrs["items"]
        ]
        return attrs


class PushResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField(help_text="Items received.")
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField(help_text="Items identical to what was stored.")


# --- Reading evidence ------------------------------------------------------------------------------------


class DocumentSerializer(serializers.Serializer):
    source_id = serializers.CharField()
    number = serializers.CharField()
    issued_on = serializers.DateField()
    summary = serializers.CharField()
    drafter = serializers.CharField(source="drafter.username", allow_null=True, default=None)
    drafting_unit = serializers.CharField(source="drafting_unit.code", allow_null=True, default=None)
    imported_at = serializers.DateTimeField()


class AssignmentSerializer(serializers.Serializer):
    source_id = serializers.CharField()
    date = serializers.DateField()
    start_time = MinuteTimeField(allow_null=True)
    end_time = MinuteTimeField(allow_null=True)
    kind = serializers.ChoiceField(choices=AssignmentKind.choices)
    title = serializers.CharField()
    participants = serializers.SerializerMethodField(help_text="Usernames.")
    imported_at = serializers.DateTimeField()

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_participants(self, assignment) -> list[str]:
        return [person.username for person in assignment.participants.all()]


class DocumentFilterSerializer(serializers.Serializer):
    issued_from = IsoDateField(required=False, help_text="Issued on or after (YYYY-MM-DD).")
    issued_to = IsoDateField(required=False, help_text="Issued on or before (YYYY-MM-DD).")
    number = StrictCharField(
        required=False,
        max_length=imports.NUMBER_MAX,
        help_text="Number and symbol; case, spaces and Đ/D do not matter.",
    )


class AssignmentFilterSerializer(serializers.Serializer):
    date_from = IsoDateField(required=False, help_text="On or after (YYYY-MM-DD).")
    date_to = IsoDateField(required=False, help_text="On or before (YYYY-MM-DD).")
    kind = serializers.ChoiceField(choices=AssignmentKind.choices, required=False)
    participant = StrictCharField(
        required=False, max_length=USERNAME_MAX, help_text="Username of a participant."
    )


# --- Monthly figures and evaluations ---------------------------------------------------------------------


class MonthFilterSerializer(serializers.Serializer):
    month = MonthField(help_text="The month, YYYY-MM.")
    unit = StrictCharField(required=False, max_length=UNIT_CODE_MAX, help_text="Only this unit (its code).")

    def validate_unit(self, code: str):
        unit = selectors.unit_by_code(self.context["agency"], code)
        if unit is None:
            raise serializers.ValidationError(
                _("No unit with the code “%(code)s” in %(agency)s.")
                % {"code": code, "agency": self.context["agency"].code}
            )
        return unit


class AgencyMonthFilterSerializer(serializers.Serializer):
    month = MonthField(help_text="The month, YYYY-MM.")


# Annotated on the rows by the views (reports.selectors.being_updated_exists).
BEING_UPDATED_HELP = (
    "True while changes to the month (approvals, returns, ratings, flags) are waiting to be computed: "
    "the figures do not include them yet. Ask again in a minute."
)


class PersonMonthSerializer(serializers.Serializer):
    month = MonthField()
    person = serializers.CharField(source="person.username", help_text="Username.")
    full_name = serializers.CharField(source="person.full_name")
    unit = serializers.CharField(source="unit.code", help_text="Unit at the end of the month.")
    in_headcount = serializers.BooleanField()
    working_days = serializers.IntegerField(
        help_text="Days actually worked: the agency's working days minus the person's approved leave."
    )
    days_with_entries = serializers.IntegerField()
    approved_hours = hours_field(help_text="Approved standard hours in the month.")
    hours_per_day = hours_field(help_text="Approved standard hours per day actually worked.")
    share_of_eight = hours_field(help_text="Hours per day as a percentage of the 8-hour norm.")
    estimate_hours_per_day = hours_field(help_text="The person's own estimate, per day actually worked.")
    pending_count = serializers.IntegerField(help_text="Entries waiting for review.")
    returned_count = serializers.IntegerField(help_text="Entries returned.")
    days_over_eight = serializers.IntegerField(help_text="Days above 8 standard hours.")
    missing_evidence = serializers.IntegerField(help_text="Entries without evidence.")
    score = score_field(allow_null=True)
    rating = serializers.SerializerMethodField()
    being_updated = serializers.BooleanField(read_only=True, help_text=BEING_UPDATED_HELP)

    @extend_schema_field({"type": "string", "nullable": True, "enum": [*Rating.values, None]})
    def get_rating(self, row) -> str | None:
        return row.rating or None


class DistributionSerializer(serializers.Serializer):
    under_four = serializers.IntegerField(help_text="People under 4 h a day.")
    four_to_six = serializers.IntegerField()
    six_to_eight = serializers.IntegerField()
    eight_or_more = serializers.IntegerField()


class RatingCountSerializer(serializers.Serializer):
    excellent = serializers.IntegerField()
    good = serializers.IntegerField()
    completed = serializers.IntegerField()
    not_completed = serializers.IntegerField()
    unrated = serializers.IntegerField()


class UnitMonthSerializer(serializers.Serializer):
    month = MonthField()
    unit = serializers.CharField(
        source="unit.code", allow_null=True, default=None, help_text="Null: the whole agency."
    )
    working_days = serializers.IntegerField()
    headcount = serializers.IntegerField()
    approved_hours = hours_field()
    hours_per_day = hours_field(help_text="Average per person and day actually worked (less leave).")
    staffing_need = hours_field(help_text="Approved standard hours ÷ (8 × working days).")
    surplus = hours_field(help_text="Headcount − staffing need.")
    distribution = DistributionSerializer(source="*")
    ratings = RatingCountSerializer(source="*")
    being_updated = serializers.BooleanField(read_only=True, help_text=BEING_UPDATED_HELP)


class EvaluationSerializer(serializers.Serializer):
    month = MonthField()
    person = serializers.CharField(source="person.username", help_text="Username.")
    full_name = serializers.CharField(source="person.full_name")
    unit = serializers.CharField(source="unit.code")
    is_unit_head = serializers.BooleanField()
    quantity_score = score_field()
    quality_score = score_field()
    progress_score = score_field()
    unit_score = score_field(allow_null=True)
    task_score = score_field()
    general_score = score_field()
    total_score = score_field()
    rating = serializers.ChoiceField(choices=Rating.choices)
    finalised_at = serializers.DateTimeField(allow_null=True)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()

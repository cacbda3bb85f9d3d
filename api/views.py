"""The API's endpoints: thin views that check the request, call a selector or service, and answer JSON.

Every query goes through the client's agency (``request.auth.agency``): no parameter names
an agency, so another agency's documents, people and figures cannot even be asked for.
"""

from __future__ import annotations

from typing import cast

from django.http import Http404, JsonResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, mixins, status
from rest_framework import serializers as drf_serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from evidence.imports import ImportKind
from org.models import Agency
from reports import selectors as report_selectors

from . import selectors, serializers, services
from .models import ApiClient
from .pagination import LimitOffsetPagination

ERROR = serializers.ErrorSerializer
VALIDATION = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Problems field by field, for example "
    '`{"month": ["Write the month as YYYY-MM, for example 2026-03."]}`, or `{"detail": "…"}`.',
)
READ_ERRORS = {
    400: VALIDATION,
    401: OpenApiResponse(ERROR, description="No key, or an unknown or revoked key."),
    429: OpenApiResponse(ERROR, description="Too many requests from this client; see Retry-After."),
}
PUSH_ERRORS = {
    400: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description="Nothing was written. Problems keyed by the item's position: "
        '`{"items": {"3": {"issued_on": ["Date has wrong format. …"]}}}`; malformed JSON gives '
        '`{"detail": "…"}`.',
    ),
    401: READ_ERRORS[401],
    413: OpenApiResponse(ERROR, description="The body is larger than the limit (5 MB by default)."),
    415: OpenApiResponse(ERROR, description="The body is not application/json."),
    429: READ_ERRORS[429],
}
SOURCE_ID = OpenApiParameter(
    "source_id", OpenApiTypes.STR, OpenApiParameter.PATH, description="The id in the agency's E-Office."
)


# The schema takes each view's docstring as the endpoint's description, so the base class has a comment:
# it speaks the language of Accept-Language (Vietnamese by default) and knows the client's agency.
class ApiView(generics.GenericAPIView):
    # The filters a GET takes (a serializer of query parameters); any other parameter is refused.
    filters: type[drf_serializers.Serializer] | None = None

    def dispatch(self, request, *args, **kwargs):
        language = translation.get_language_from_request(request)
        with translation.override(language):
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
        response.headers["Content-Language"] = language
        patch_vary_headers(response, ["Accept-Language"])
        return response

    @property
    def client(self) -> ApiClient:
        # ApiKeyAuthentication, the only authentication of the API, puts the client there.
        return cast(ApiClient, self.request.auth)

    @property
    def agency(self) -> Agency:
        return self.client.agency

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            return  # 405 follows
        # A misspelt filter (?issued_form=) would otherwise quietly return everything.
        reading = request.method in ("GET", "HEAD")
        allowed = set()
        if reading and self.filters is not None:
            allowed |= set(self.filters().fields)
        listing = reading and isinstance(self, mixins.ListModelMixin)
        if listing and isinstance(self.paginator, LimitOffsetPagination):
            allowed |= {self.paginator.limit_query_param, self.paginator.offset_query_param}
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise ValidationError({name: [_("Unknown parameter.")] for name in unknown})

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            # Django's message names the model ("No OutgoingDocument matches…"); the client needs none of it.
            raise NotFound() from None

    def filter_values(self) -> dict:
        """The query parameters, checked (a bad one is a 400 naming it)."""
        if self.filters is None:
            return {}
        # A plain dict: DRF would take an empty ?number= for an absent one, the schema says it is too short.
        checked = self.filters(data=self.request.query_params.dict(), context={"agency": self.agency})
        checked.is_valid(raise_exception=True)
        return checked.validated_data

    def push(self, serializer_class, kind: ImportKind) -> Response:
        batch = serializer_class(data=self.request.data, context={"agency": self.agency})
        batch.is_valid(raise_exception=True)
        result = services.evidence_push(client=self.client, kind=kind, items=batch.validated_data["items"])
        return Response(serializers.PushResultSerializer(result.counts()).data)


class DocumentsView(ApiView, generics.ListAPIView):
    """The agency's outgoing documents (công văn đi), the latest first."""

    filters = serializers.DocumentFilterSerializer
    serializer_class = serializers.DocumentSerializer

    def get_queryset(self):
        return selectors.documents(agency=self.agency, **self.filter_values())

    @extend_schema(
        operation_id="documents_list",
        summary="List the agency's outgoing documents",
        parameters=[serializers.DocumentFilterSerializer],
        responses={200: serializers.DocumentSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="documents_push",
        summary="Create or update outgoing documents by source id",
        description="All or nothing: with any problem nothing is written. Pushing the same items again "
        "changes nothing. Drafters are usernames of people of the agency, units are unit codes.",
        request=serializers.DocumentBatchSerializer,
        responses={200: serializers.PushResultSerializer, **PUSH_ERRORS},
        examples=[
            OpenApiExample(
                "Two documents",
                request_only=True,
                value={
                    "items": [
                        {
                            "source_id": "VB-2026-001234",
                            "number": "1234/STC-NS",
                            "issued_on": "2026-03-05",
                            "summary": "V/v hướng dẫn quyết toán kinh phí năm 2025",
                            "drafter": "member1",
                            "drafting_unit": "NS",
                        },
                        {"source_id": "VB-2026-001235", "number": "56/BC-STC", "issued_on": "2026-03-06"},
                    ]
                },
            )
        ],
    )
    def post(self, request, *args, **kwargs):
        return self.push(serializers.DocumentBatchSerializer, ImportKind.DOCUMENTS)


class DocumentView(ApiView, generics.RetrieveAPIView):
    """An outgoing document of the agency by its E-Office id; another agency's id is not found."""

    serializer_class = serializers.DocumentSerializer
    lookup_field = "source_id"

    def get_queryset(self):
        return selectors.documents(agency=self.agency)

    @extend_schema(
        operation_id="documents_retrieve",
        summary="One outgoing document of the agency",
        parameters=[SOURCE_ID],
        responses={
            200: serializers.DocumentSerializer,
            401: READ_ERRORS[401],
            404: OpenApiResponse(ERROR, description="No such document in the agency."),
            429: READ_ERRORS[429],
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class AssignmentsView(ApiView, generics.ListAPIView):
    """The agency's work calendar: meetings and field visits with their participants, the latest first."""

    filters = serializers.AssignmentFilterSerializer
    serializer_class = serializers.AssignmentSerializer

    def get_queryset(self):
        return selectors.assignments(agency=self.agency, **self.filter_values())

    @extend_schema(
        operation_id="calendar_list",
        summary="List the agency's calendar assignments (meetings, field visits)",
        parameters=[serializers.AssignmentFilterSerializer],
        responses={200: serializers.AssignmentSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="calendar_push",
        summary="Create or update calendar assignments by source id",
        description="All or nothing, like documents. Participants are usernames of people of the agency "
        "(at least one); an update replaces the participants.",
        request=serializers.AssignmentBatchSerializer,
        responses={200: serializers.PushResultSerializer, **PUSH_ERRORS},
        examples=[
            OpenApiExample(
                "A meeting",
                request_only=True,
                value={
                    "items": [
                        {
                            "source_id": "LCT-2026-0456",
                            "date": "2026-03-09",
                            "start_time": "08:00",
                            "end_time": "11:00",
                            "kind": "meeting",
                            "title": "Họp giao ban tuần",
                            "participants": ["head1", "member1"],
                        }
                    ]
                },
            )
        ],
    )
    def post(self, request, *args, **kwargs):
        return self.push(serializers.AssignmentBatchSerializer, ImportKind.CALENDAR)


class AssignmentView(ApiView, generics.RetrieveAPIView):
    """A calendar assignment of the agency by its id; another agency's id is not found."""

    serializer_class = serializers.AssignmentSerializer
    lookup_field = "source_id"

    def get_queryset(self):
        return selectors.assignments(agency=self.agency)

    @extend_schema(
        operation_id="calendar_retrieve",
        summary="One calendar assignment of the agency",
        parameters=[SOURCE_ID],
        responses={
            200: serializers.AssignmentSerializer,
            401: READ_ERRORS[401],
            404: OpenApiResponse(ERROR, description="No such assignment in the agency."),
            429: READ_ERRORS[429],
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PersonMonthsView(ApiView, generics.ListAPIView):
    """One row per person of the agency, by unit code and username."""

    filters = serializers.MonthFilterSerializer
    serializer_class = serializers.PersonMonthSerializer

    def get_queryset(self):
        rows = selectors.person_months(agency=self.agency, **self.filter_values())
        return rows.annotate(being_updated=report_selectors.being_updated_exists())

    @extend_schema(
        operation_id="figures_people",
        summary="Monthly figures of the agency's people",
        description="Empty until the month has been computed (each agency's first working day of the "
        "next month, or on demand in the portal).",
        parameters=[serializers.MonthFilterSerializer],
        responses={200: serializers.PersonMonthSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class UnitMonthsView(ApiView, generics.ListAPIView):
    """The whole agency (unit null) first, then each unit: headcount against the staffing the work needs."""

    filters = serializers.AgencyMonthFilterSerializer
    serializer_class = serializers.UnitMonthSerializer

    def get_queryset(self):
        rows = selectors.unit_months(agency=self.agency, **self.filter_values())
        return rows.annotate(being_updated=report_selectors.being_updated_exists())

    @extend_schema(
        operation_id="figures_units",
        summary="Monthly figures of the agency (unit null) and of each unit",
        parameters=[serializers.AgencyMonthFilterSerializer],
        responses={200: serializers.UnitMonthSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class EvaluationsView(ApiView, generics.ListAPIView):
    """Final monthly evaluations (Decree 335/2025): scores out of 100 and ratings."""

    filters = serializers.MonthFilterSerializer
    serializer_class = serializers.EvaluationSerializer

    def get_queryset(self):
        return selectors.final_evaluations(agency=self.agency, **self.filter_values())

    @extend_schema(
        operation_id="evaluations_list",
        summary="Final evaluations of the agency's people for a month",
        description="Only evaluations an agency leader has finalised; scores and ratings of the others "
        "may still change.",
        parameters=[serializers.MonthFilterSerializer],
        responses={200: serializers.EvaluationSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def not_found(request, path: str = ""):
    """Any other address under /api/: a JSON 404, pointing at the slash most clients forget."""
    detail = _("Not found.")
    if not request.path.endswith("/"):
        try:
            resolved = resolve(request.path + "/")
        except Resolver404:
            resolved = None
        if resolved is not None and resolved.func is not not_found:
            detail = _("Not found. Addresses of this API end with a slash: %(path)s") % {
                "path": request.path + "/"
            }
    return JsonResponse({"detail": detail}, status=status.HTTP_404_NOT_FOUND)

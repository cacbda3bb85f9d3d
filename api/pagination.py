import re

from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """``?limit=&offset=``: 100 rows by default, at most 1000 a page.

    A limit or offset that is not a whole number in range is a 400 naming it; DRF's own
    pagination would quietly use the default instead, and the client would never know.
    """

    default_limit = 100
    max_limit = 1000

    def _number(self, request, name: str, *, default: int, minimum: int, maximum: int | None) -> int:
        raw = request.query_params.get(name)
        if raw is None:
            return default
        if re.fullmatch(r"[0-9]{1,18}", raw) and minimum <= int(raw) <= (maximum or int(raw)):
            return int(raw)
        if maximum is None:
            message = _("Write a whole number of at least %(min)s.") % {"min": minimum}
        else:
            message = _("Write a whole number from %(min)s to %(max)s.") % {"min": minimum, "max": maximum}
        raise ValidationError({name: [message]})

    def get_limit(self, request) -> int:
        return self._number(
            request, self.limit_query_param, default=self.default_limit, minimum=1, maximum=self.max_limit
        )

    def get_offset(self, request) -> int:
        return self._number(request, self.offset_query_param, default=0, minimum=0, maximum=None)

    def get_schema_operation_parameters(self, view):
        limit, offset = super().get_schema_operation_parameters(view)
        limit["schema"] = {
            "type": "integer",
            "minimum": 1,
            "maximum": self.max_limit,
            "default": self.default_limit,
        }
        offset["schema"] = {"type": "integer", "minimum": 0, "maximum": 10**18 - 1, "default": 0}
        return [limit, offset]

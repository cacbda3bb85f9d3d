"""The request behind a log line: its id and the signed-in user's id, in every line it logs.

``RequestIdMiddleware`` gives each request an id (the reverse proxy's ``X-Request-ID`` when it sends
a sane one, so the proxy's access log and ours can be joined) and returns it in the response header;
``RequestContextFilter`` adds ``request_id`` and ``user_id`` to each record, for the JSON logs of
production (settings/ops.py ``json_logging``).
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

_current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "current_request", default=None
)
# What a proxy's id may look like: letters, digits and dashes, not an arbitrary string for the logs.
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request.id = given if _SANE_ID.match(given) else uuid.uuid4().hex  # type: ignore[attr-defined]
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _current_request.reset(token)
        response["X-Request-ID"] = request.id  # type: ignore[attr-defined]
        return response


class RequestContextFilter(logging.Filter):
    """Adds ``request_id`` and ``user_id`` (None outside a request, or before the user is known)."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Django's own request logs carry their request: the "Not Found" line is written after the
        # middleware has returned.
        request = getattr(record, "request", None) or _current_request.get()
        record.request_id = getattr(request, "id", None)
        record.user_id = _user_id(request)
        return True


def _user_id(request: HttpRequest | None) -> int | None:
    # Only a user the request has already loaded: logging never costs a query of its own.
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None

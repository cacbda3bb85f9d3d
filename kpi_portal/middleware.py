import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger("django.request")


class ChosenLanguageMiddleware:
    """Vietnamese unless the person chose another language with the switch.

    Replaces Django's LocaleMiddleware, which would follow the browser's
    Accept-Language: many civil servants run English-language systems and
    must still get the Vietnamese interface by default.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response


def _language_of(request) -> str:
    """The language ChosenLanguageMiddleware would pick, for pages answered before it runs."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in {code for code, _name in settings.LANGUAGES} else settings.LANGUAGE_CODE


class RequestSizeLimitMiddleware:
    """Refuse a body larger than ``MAX_REQUEST_BYTES`` from its Content-Length, before anything reads it.

    First in MIDDLEWARE: the session, CSRF and upload handlers never see the body, so a 300 MB post
    costs neither memory nor a temporary file. Django reads at most Content-Length bytes of a body,
    so one sent in chunks without a length would be read as empty: it is refused with 411 instead
    (browsers always send the length; behind nginx, which buffers chunked bodies, it is always set).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            return self._refuse(request, 413)
        if not length and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            return self._refuse(request, 411)
        return self.get_response(request)

    def _refuse(self, request, status: int) -> HttpResponse:
        with translation.override(_language_of(request)):
            limit = number_format(settings.MAX_REQUEST_BYTES / 1_048_576, 0)
            content = render_to_string("413.html", {"status": status, "limit": limit})
        # The unread body is the server's to discard (gunicorn and runserver do, or close the connection).
        return HttpResponse(content, status=status)


class SessionTimeoutMiddleware:
    """Sign out after ``SESSION_IDLE_TIMEOUT`` seconds without a request, and after ``SESSION_COOKIE_AGE``.

    The session's expiry alone moves forward whenever the session is saved; the start is kept in the
    session so a working day is the most a sign-in lasts. The time of the last request is written at
    most once a minute, not on every request; until the first write the sign-in time
    (``last_login``) stands for both.
    """

    KEY_SEEN = "kpi_seen"
    KEY_SINCE = "kpi_since"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_login = request.user.last_login
            signed_in = int(last_login.timestamp()) if last_login else now
            seen = request.session.get(self.KEY_SEEN, signed_in)
            since = request.session.get(self.KEY_SINCE, signed_in)
            if now - seen > settings.SESSION_IDLE_TIMEOUT or now - since > settings.SESSION_COOKIE_AGE:
                logout(request)
                messages.info(request, _("Your session has ended. Sign in again to go on."))
            elif now - seen >= 60:
                request.session[self.KEY_SEEN] = now
                request.session[self.KEY_SINCE] = since
        return self.get_response(request)


class OwnErrorPagesMiddleware:
    """With DEBUG on (the ``make run`` demo) show the project's 404 and 500 pages, not Django's.

    Django's debug 404 page lists every URL pattern of the site, in English.
    ``DEBUG_TECHNICAL_PAGES`` (``DJANGO_DEBUG_TECHNICAL_PAGES=True``) brings Django's pages back
    while developing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def _active(self) -> bool:
        return settings.DEBUG and not getattr(settings, "DEBUG_TECHNICAL_PAGES", False)

    def __call__(self, request):
        response = self.get_response(request)
        # An address that matches no URL pattern never reaches a view (request.resolver_match stays None).
        if self._active() and response.status_code == 404 and request.resolver_match is None:
            return defaults.page_not_found(request, Http404())
        return response

    def process_exception(self, request, exception):
        if not self._active():
            return None
        if isinstance(exception, Http404):
            return defaults.page_not_found(request, exception)
        if isinstance(exception, PermissionDenied | SuspiciousOperation):
            return None  # Django answers these with the project's 403 and 400 pages even with DEBUG on
        logger.error("Internal Server Error: %s", request.path, exc_info=exception)
        return defaults.server_error(request)

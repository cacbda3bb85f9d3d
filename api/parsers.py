"""JSON bodies with a size limit, and every malformed body a 400 (DRF's parser lets some through as 500)."""

from __future__ import annotations

import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers, status


class BodyTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


def _no_constants(name: str):
    raise ValueError(_("%(name)s is not a JSON number.") % {"name": name})


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_BODY_BYTES
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise BodyTooLarge(
                _("The body is larger than %(max)s bytes; send fewer items at a time.") % {"max": limit}
            )
        charset = (parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET
        try:
            text = raw.decode(charset)
        except (LookupError, UnicodeDecodeError):
            raise exceptions.ParseError(
                _("The body is not text in %(charset)s.") % {"charset": charset}
            ) from None
        try:
            return json.loads(text, parse_constant=_no_constants)
        # RecursionError: a body nested thousands of levels deep.
        except (ValueError, RecursionError) as error:
            raise exceptions.ParseError(
                _("The body is not valid JSON: %(error)s") % {"error": error}
            ) from None

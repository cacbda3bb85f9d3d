"""``{% day_sections %}``: the sections other apps add to the day page (``worklog.extensions``)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from worklog import extensions

register = template.Library()


@register.simple_tag(takes_context=True)
def day_sections(context) -> SafeString:
    """Render each registered day section with the page's context plus its own."""
    request = context.get("request")
    day = context.get("day")
    if request is None or day is None or not request.user.is_authenticated:
        return mark_safe("")
    parts = []
    for section in extensions.day_sections(request, day, context.get("agency"), bool(context.get("is_open"))):
        with context.push(section.context):
            parts.append(context.template.engine.get_template(section.template).render(context))
    return mark_safe("".join(parts))  # each part rendered (and escaped) by the engine

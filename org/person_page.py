"""Sections of the person page contributed by the apps above ``org``.

``org`` shows who a person is; the diary, the evaluations and the rest add their
own section by registering a provider in their ``AppConfig.ready``, so the
person page never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from .models import Agency, User


@dataclass(frozen=True)
class Section:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 0


# (request, person, their profile from ``selectors.person_profile``) → a section, or None.
Provider = Callable[[HttpRequest, User, dict[str, Any]], Section | None]


class Registry:
    """The providers of one page's sections, by name."""

    def __init__(self) -> None:
        self._providers: dict[str, Provider] = {}

    def register(self, name: str, provider: Provider) -> None:
        """Add a section (idempotent by ``name``)."""
        self._providers[name] = provider

    def sections(self, request: HttpRequest, person: User, profile: dict[str, Any]) -> list[Section]:
        found = [provider(request, person, profile) for provider in self._providers.values()]
        return sorted((s for s in found if s is not None), key=lambda s: s.order)


_person_page = Registry()
# The home page's "to do" sections (the user's own work: open assignments, …), the same way.
home_page = Registry()


def register(name: str, provider: Provider) -> None:
    """Add a section to the person page (idempotent by ``name``)."""
    _person_page.register(name, provider)


def profile_agency(profile: dict[str, Any]) -> Agency | None:
    """The agency of the person's current membership, if any."""
    return profile["current"].unit.agency if profile["current"] else None


def sections(request: HttpRequest, person: User, profile: dict[str, Any]) -> list[Section]:
    return _person_page.sections(request, person, profile)

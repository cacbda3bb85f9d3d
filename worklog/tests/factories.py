import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from worklog.models import DiaryEntry, EntryStatus


class DiaryEntryFactory(DjangoModelFactory):
    """An entry written straight to the database (no rule checked): for setting up a scene."""

    class Meta:
        model = DiaryEntry

    date = datetime.date(2026, 3, 10)
    quantity = Decimal("1")
    norm_minutes = factory.LazyAttribute(lambda o: o.stage.norm_minutes)
    standard_minutes = factory.LazyAttribute(lambda o: o.norm_minutes * o.quantity)
    task = factory.LazyAttribute(lambda o: o.stage.task)
    agency = factory.LazyAttribute(lambda o: o.unit.agency)
    status = EntryStatus.DRAFT
    description = "Soạn thảo văn bản"

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from catalog.models import CatalogVersion, DeclaredTask, EvidenceKind, Stage, StandardTask, VersionStatus
from org.tests.factories import AgencyFactory


class CatalogVersionFactory(DjangoModelFactory):
    class Meta:
        model = CatalogVersion

    agency = factory.SubFactory(AgencyFactory)
    number = factory.Sequence(lambda n: n + 1)
    status = VersionStatus.PUBLISHED
    effective_from = datetime.date(2026, 1, 1)
    published_at = factory.LazyFunction(timezone.now)


class DraftFactory(CatalogVersionFactory):
    status = VersionStatus.DRAFT
    effective_from = None
    published_at = None


class StandardTaskFactory(DjangoModelFactory):
    class Meta:
        model = StandardTask

    version = factory.SubFactory(CatalogVersionFactory)
    agency = factory.SelfAttribute("version.agency")
    code = factory.Sequence(lambda n: f"C.{n + 1:02d}")
    name = factory.Sequence(lambda n: f"Thẩm định hồ sơ số {n + 1}")
    group = "C"
    description = "Thẩm định và trình phê duyệt hồ sơ."
    output_unit = "hồ sơ"
    evidence_kind = EvidenceKind.DOCUMENT


class StageFactory(DjangoModelFactory):
    class Meta:
        model = Stage

    task = factory.SubFactory(StandardTaskFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = "Tiếp nhận, kiểm tra hồ sơ"
    norm_minutes = 60


class DeclaredTaskFactory(DjangoModelFactory):
    class Meta:
        model = DeclaredTask

    agency = factory.SubFactory(AgencyFactory)
    text = factory.Sequence(lambda n: f"Thẩm định dự toán đơn vị số {n + 1}")
    source = "test"

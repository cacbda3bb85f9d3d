"""The figures export rounds as the pages do: half up (``kpi_portal.standards.rounded``)."""

from decimal import Decimal as D

from reports.models import PersonMonth
from reports.views import export_rows


def test_the_export_rounds_half_up_like_the_pages(org):
    row = PersonMonth(
        agency=org.agency,
        person=org.member1,
        unit=org.unit1,
        working_days=1,
        approved_minutes=D("503.10"),  # 8.385 h: half-even would export 8.38
        estimate_minutes=0,
        score=D("89.99"),
    )

    (cells,) = export_rows([row])

    assert cells[5] == 8.39  # approved standard hours
    assert cells[6] == 8.39  # standard hours a day
    assert cells[7] == 104.8  # share of 8 hours: 104.8125 %
    assert cells[14] == 89.99

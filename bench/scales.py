"""The scales of the benchmark and the period it covers (no Django import: read before set-up)."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

QUARTER = datetime.date(2026, 7, 1)
MONTHS = [datetime.date(2026, 7, 1), datetime.date(2026, 8, 1), datetime.date(2026, 9, 1)]  # the quarter
PERIOD_END = datetime.date(2026, 9, 30)
# Before the longest period (a year to September 2026): memberships and catalogs start here.
MEMBERSHIP_START = datetime.date(2025, 1, 1)
# "Today" for the quarterly PDF: the first working day after the quarter.
TODAY = datetime.datetime(2026, 10, 1, 9, 0)
# "Today" for the pages: the period's last working day, late afternoon, so that the month still going
# (``/reports/me/``, the dashboard) is the period's last month with its entries.
PAGES_TODAY = datetime.datetime(2026, 9, 30, 16, 0)

# The agency whose quarterly PDF is timed: 500 people at both scales.
PDF_AGENCY = "STC"

DEPARTMENTS = [
    ("SGDDT", "Sở Giáo dục và Đào tạo"),
    ("STC", "Sở Tài chính"),
    ("SYT", "Sở Y tế"),
    ("SXD", "Sở Xây dựng"),
    ("SNV", "Sở Nội vụ"),
    ("SCT", "Sở Công Thương"),
    ("STP", "Sở Tư pháp"),
    ("SNNMT", "Sở Nông nghiệp và Môi trường"),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
    ("SKHCN", "Sở Khoa học và Công nghệ"),
    ("SDTTG", "Sở Dân tộc và Tôn giáo"),
    ("TTRT", "Thanh tra tỉnh"),
    ("VPUBND", "Văn phòng Ủy ban nhân dân tỉnh"),
    ("VPDDBQH", "Văn phòng Đoàn ĐBQH và HĐND tỉnh"),
]


@dataclass(frozen=True)
class Scale:
    name: str
    agencies: tuple[tuple[str, str, int], ...]  # code, name, people
    repeats: int  # timed runs of the job and of each page (min, median and max are reported)
    pdf_repeats: int
    months: int = 3  # the diary's months, ending with September 2026

    @property
    def people(self) -> int:
        return sum(size for _code, _name, size in self.agencies)

    @property
    def period(self) -> list[datetime.date]:
        """The first day of each month of the diary, the oldest first."""
        firsts = []
        year, month = PERIOD_END.year, PERIOD_END.month
        for _ in range(self.months):
            firsts.append(datetime.date(year, month, 1))
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        return firsts[::-1]

    @property
    def rated_months(self) -> list[datetime.date]:
        """Months with final evaluations: all but the last, which is not rated yet."""
        return self.period[:-1]


def _province_agencies() -> tuple[tuple[str, str, int], ...]:
    """40 agencies, 20,000 people: education (1,800), finance (500) and 38 of 150–800 people."""
    rng = random.Random(2026)
    others = [*DEPARTMENTS[2:], *((f"XA{n:02d}", f"Ủy ban nhân dân xã {n:02d}") for n in range(1, 27))]
    raw = [rng.randint(150, 800) for _ in others]
    remaining = 20_000 - 1_800 - 500
    sizes = [round(r * remaining / sum(raw)) for r in raw]
    sizes[-1] += remaining - sum(sizes)
    return (
        (*DEPARTMENTS[0], 1_800),
        (*DEPARTMENTS[1], 500),
        *((code, name, size) for (code, name), size in zip(others, sizes, strict=True)),
    )


SCALES = {
    "small": Scale(
        name="small",
        agencies=(
            ("STC", "Sở Tài chính", 500),
            ("SXD", "Sở Xây dựng", 45),
            ("SNV", "Sở Nội vụ", 30),
            ("SCT", "Sở Công Thương", 15),
            ("STP", "Sở Tư pháp", 10),
        ),
        repeats=7,
        pdf_repeats=3,
    ),
    "province": Scale(name="province", agencies=_province_agencies(), repeats=5, pdf_repeats=3),
    # A year of the province (about 26.75 million entries): the queue's long window and the job at a
    # year of history. Generated day by day in SQL like the others, about 10 minutes.
    "province-year": Scale(
        name="province-year", agencies=_province_agencies(), repeats=5, pdf_repeats=3, months=12
    ),
}

"""Demo work diaries of the demo window, shaped like what Khánh Hòa reported of its KPI pilot.

The Department of Finance (STC) said its 84 people averaged about 5.5 approved standard hours a
working day against the 8-hour norm, and only 6 exceeded it; reports and the staffing figures of the
demo should show the same picture. So every person gets a stable personal level of hours, and the
days vary around it. Entries are written straight to the database (as the test factories do):
the diary services refuse back-dated work and writes by anybody but the owner, which is exactly
what seeding months of history needs. ``bulk_create`` skips simple_history; the demo needs no
history of entries nobody edited.
"""

from __future__ import annotations

import datetime
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from catalog import selectors as catalog_selectors
from catalog.models import DeclaredTask, EvidenceKind, Stage, StandardTask
from kpi_portal import standards
from org import calendar
from org.models import Agency, Leave, LeaveKind, Membership, Role, RoleAssignment, Unit, User
from org.selectors import review_maps
from worklog.models import MAX_ESTIMATE_MINUTES, MAX_QUANTITY, DiaryEntry, EntryStatus

from .window import Window

SEED = 20260701
# The review queue of the demo: entries of the last PENDING_DAYS working days are not approved yet.
PENDING_DAYS = 10
# The demo staff member who must have a typical profile and a full week waiting for her reviewer.
TYPICAL = {"canbo": 5.5}
TYPICAL_WEEK = 5  # working days before today that the typical person submits in full
MAX_ENTRIES = 5  # a day's entries
LONGEST_DAY = 11 * 60  # nobody declares more than 11 standard hours in a day, whatever the cap
LEAVE_RATE = 0.05
MAJOR_ERROR_RATE = 0.02
DELAY_RATE = 0.03
RETURN_RATE = 0.015
ESTIMATE_RATE = 0.85
# Share of a working day's entries that are group A (leadership) tasks, by place in the tree.
A_SHARE_AGENCY_HEAD = 0.85
A_SHARE_BOARD = 0.7
A_SHARE_UNIT_HEAD = 0.5
A_WEIGHTS = {"A.01": 3, "A.02": 1.5, "A.03": 1, "A.04": 3, "A.05": 0.5, "A.06": 1.5}
# Output units that happen once: a working day, a shift, a meeting… (one per entry).
ONE_OFF_UNITS = {
    "ngày làm việc",
    "ca trực",
    "buổi",
    "cuộc họp",
    "đợt kiểm tra",
    "cuộc thanh tra",
    "đợt tuyển dụng",
}


@dataclass(frozen=True)
class Levels:
    """Average approved standard hours per working day, over a period, of an agency's people.

    ``mean`` counts everybody, the agency head included (the province reviewer approves their
    entries; without one, they count zero approved hours); ``high`` and ``low`` are the
    levels of the people far from the mean, ``spread`` the deviation of the others.
    """

    mean: float
    high: tuple[float, ...] = ()
    low: tuple[float, ...] = ()
    spread: float = 0.8


LEVELS = {
    "STC": Levels(mean=5.5, high=(8.4, 8.5, 8.6, 8.7, 8.8, 9.0), low=(3.4, 3.5, 3.6, 3.8), spread=0.55),
    # The two smaller agencies only show that every agency has its own diaries: no calibrated figures.
    "SXD": Levels(mean=5.2),
    "SNV": Levels(mean=5.0),
}
MID_RANGE = (4.5, 7.0)

PLACES = ("phường Nha Trang", "phường Bắc Nha Trang", "phường Cam Ranh", "phường Ninh Hòa", "xã Diên Khánh",
          "xã Vạn Ninh", "xã Khánh Vĩnh", "xã Khánh Sơn", "xã Cam Lâm", "phường Phan Rang",
          "xã Ninh Phước", "xã Ninh Sơn")  # fmt: skip
DEPARTMENTS = ("Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Nông nghiệp và Môi trường", "Sở Công Thương",
               "Sở Văn hóa, Thể thao và Du lịch", "Sở Xây dựng", "Sở Khoa học và Công nghệ", "Sở Tư pháp",
               "Sở Nội vụ", "Văn phòng UBND tỉnh", "Ban Quản lý Khu kinh tế Vân Phong")  # fmt: skip
COMPANIES = ("Công ty TNHH MTV Yến sào Khánh Hòa", "Công ty TNHH MTV Xổ số kiến thiết Khánh Hòa",
             "Công ty Cổ phần Đô thị Nha Trang", "Công ty TNHH MTV Khai thác công trình thủy lợi",
             "Công ty Cổ phần Cấp thoát nước Khánh Hòa")  # fmt: skip
PROJECTS = ("đường ven biển Cam Lâm – Cam Ranh", "Bệnh viện Đa khoa tỉnh giai đoạn 2",
            "kè chống sạt lở sông Cái Nha Trang", "hồ chứa nước Sông Chò 1", "Trường THPT Ninh Hòa",
            "đường Khánh Lê – Lâm Đồng", "khu tái định cư Phước Đồng")  # fmt: skip
PUBLIC_BODIES = ("Bệnh viện Đa khoa tỉnh", "Trung tâm Kiểm soát bệnh tật tỉnh",
                 "Trường Cao đẳng Y tế Khánh Hòa", "Trung tâm Dịch vụ nông nghiệp tỉnh",
                 "Đài Phát thanh và Truyền hình Khánh Hòa")  # fmt: skip

# What people write, per agency and task code; {place}, {dept}, {company}, {project}, {body}, {month},
# {year}, {last_year} and {next_year} are filled in per entry.
DESCRIPTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "STC": {
        "A.01": (
            "Chỉ đạo, điều hành công việc thường xuyên theo lĩnh vực phân công",
            "Nghe báo cáo tiến độ, cho ý kiến xử lý công việc phát sinh",
            "Làm việc với {dept} về các nội dung phối hợp",
        ),
        "A.02": (
            "Chủ trì họp giao ban tuần",
            "Chủ trì họp chuyên đề về tiến độ giải ngân vốn đầu tư công",
            "Chủ trì họp triển khai nhiệm vụ tháng {month}",
        ),
        "A.03": (
            "Kiểm tra, duyệt nhật ký công việc của công chức",
            "Phân công xử lý văn bản đến trên hệ thống",
            "Đánh giá, chấm điểm kết quả thực hiện nhiệm vụ của công chức",
        ),
        "A.04": (
            "Ký duyệt văn bản trả lời {dept}",
            "Xem xét, ký nháy dự thảo văn bản trình Giám đốc Sở",
            "Ký ban hành văn bản hướng dẫn {place}",
        ),
        "A.05": (
            "Tiếp công dân định kỳ tại Trụ sở tiếp công dân tỉnh",
            "Tiếp công dân phản ánh về bồi thường, hỗ trợ tái định cư tại {place}",
        ),
        "A.06": (
            "Dự họp UBND tỉnh về tình hình thực hiện dự toán ngân sách",
            "Làm việc với Đoàn giám sát HĐND tỉnh",
            "Dự họp Tỉnh ủy về sắp xếp tài sản công sau hợp nhất tỉnh",
        ),
        "B.01": (
            "Soạn văn bản hướng dẫn {place} thanh toán, quyết toán kinh phí",
            "Trả lời {dept} về chế độ chi hội nghị, công tác phí",
            "Soạn công văn hướng dẫn mua sắm tài sản công cho {dept}",
        ),
        "B.02": (
            "Tham mưu trả lời kiến nghị cử tri {place} trước kỳ họp HĐND tỉnh",
            "Tham mưu trả lời kiến nghị của doanh nghiệp về hoàn trả tiền thuê đất",
        ),
        "B.03": (
            "Góp ý dự thảo kế hoạch của {dept}",
            "Góp ý dự thảo Nghị quyết HĐND tỉnh về chính sách hỗ trợ",
            "Góp ý dự thảo đề án của {dept}",
        ),
        "B.04": (
            "Dự thảo Nghị quyết HĐND tỉnh quy định phân cấp nguồn thu, nhiệm vụ chi",
            "Dự thảo Quyết định tiêu chuẩn, định mức máy móc, thiết bị chuyên dùng",
            "Hoàn thiện dự thảo theo ý kiến thẩm định của Sở Tư pháp",
        ),
        "B.05": (
            "Báo cáo kết quả thực hiện nhiệm vụ tháng {month}",
            "Báo cáo tuần về tiến độ giải ngân",
            "Báo cáo quý về công tác cải cách hành chính",
        ),
        "B.06": (
            "Báo cáo chuyên đề về tình hình nợ đọng xây dựng cơ bản",
            "Báo cáo phục vụ Đoàn công tác của Bộ Tài chính",
            "Báo cáo rà soát nhà, đất dôi dư sau sắp xếp xã",
        ),
        "B.07": (
            "Dự hội nghị tập huấn trực tuyến của Bộ Tài chính",
            "Dự họp tại {dept}",
            "Dự hội thảo góp ý dự thảo luật",
        ),
        "B.08": (
            "Xử lý văn bản đến trên hệ thống quản lý văn bản và điều hành",
            "Phân loại, chuyển xử lý văn bản đến trong ngày",
        ),
        "B.09": (
            "Xác minh nội dung đơn phản ánh của công dân tại {place}",
            "Dự thảo kết luận giải quyết khiếu nại",
            "Tiếp nhận, phân loại đơn thư",
        ),
        "B.10": (
            "Rà soát thủ tục hành chính lĩnh vực tài chính",
            "Cập nhật quy trình nội bộ giải quyết thủ tục hành chính",
        ),
        "B.11": (
            "Cập nhật dữ liệu lên Cơ sở dữ liệu quốc gia về tài sản công",
            "Cập nhật dữ liệu lên Hệ thống thông tin quốc gia về đầu tư công",
            "Hỗ trợ công chức sử dụng hệ thống KPI",
        ),
        "B.12": ("Đăng ký, phát hành văn bản đi", "Chỉnh lý, lập hồ sơ lưu trữ năm {last_year}"),
        "B.13": ("Tổng hợp hồ sơ đề nghị khen thưởng", "Dự thảo tờ trình khen thưởng tập thể, cá nhân"),
        "B.14": (
            "Hồ sơ nâng lương thường xuyên",
            "Hồ sơ đề nghị bổ nhiệm lại",
            "Kế hoạch cử công chức đi đào tạo, bồi dưỡng",
        ),
        "C.01": (
            "Xây dựng dự toán ngân sách tỉnh năm {next_year}",
            "Phương án phân bổ ngân sách năm {next_year} cho {place}",
            "Tổng hợp số liệu dự toán của các sở, ngành",
        ),
        "C.02": ("Thẩm định dự toán năm {next_year} của {dept}",),
        "C.03": (
            "Thẩm định bổ sung dự toán cho {dept}",
            "Thẩm định kinh phí phòng, chống thiên tai phát sinh tại {place}",
        ),
        "C.04": ("Thẩm định quyết toán ngân sách năm {last_year} của {dept}",),
        "C.05": ("Thẩm tra quyết toán ngân sách năm {last_year} của {place}",),
        "C.06": (
            "Lập báo cáo quyết toán ngân sách địa phương năm {last_year}",
            "Hoàn thiện thuyết minh quyết toán trình HĐND tỉnh",
        ),
        "C.07": ("Theo dõi các khoản vay lại vốn vay ODA", "Lập kế hoạch vay, trả nợ năm {next_year}"),
        "C.08": ("Thẩm định phương án tự chủ tài chính của {body}",),
        "C.09": (
            "Kiểm tra quản lý, sử dụng kinh phí tại {dept}",
            "Kiểm tra quản lý ngân sách xã tại {place}",
        ),
        "C.10": (
            "Tổng hợp kế hoạch đầu tư công năm {next_year}",
            "Rà soát kế hoạch đầu tư công trung hạn 2026–2030",
        ),
        "C.11": ("Thẩm định nguồn vốn và khả năng cân đối vốn dự án {project}",),
        "C.12": (
            "Thẩm định phương án sắp xếp lại {company}",
            "Thẩm định kế hoạch kinh doanh năm {next_year} của {company}",
        ),
        "C.13": (
            "Báo cáo giải ngân vốn đầu tư công tháng {month}",
            "Đôn đốc giải ngân các dự án chậm tiến độ tại {place}",
        ),
        "C.14": ("Thẩm tra quyết toán dự án hoàn thành {project}",),
        "C.15": ("Kiểm tra hiện trường dự án {project}",),
        "C.16": (
            "Thẩm định giá đất cụ thể khu dân cư tại {place}",
            "Thẩm định giá đất bồi thường dự án {project}",
        ),
        "C.17": ("Thẩm định phương án giá nước sạch", "Thẩm định giá dịch vụ thu gom rác thải tại {place}"),
        "C.18": (
            "Rà soát hồ sơ kê khai giá của {company}",
            "Tổ chức hiệp thương giá theo đề nghị của doanh nghiệp",
        ),
        "C.19": (
            "Thẩm định phương án sắp xếp nhà, đất của {dept}",
            "Thẩm định phương án xử lý trụ sở dôi dư tại {place}",
        ),
        "C.20": (
            "Lập kế hoạch mua sắm tập trung máy tính năm {year}",
            "Thẩm định hồ sơ mời thầu mua sắm tài sản tập trung",
        ),
        "C.21": ("Thẩm định điều chuyển xe ô tô của {dept}", "Thẩm định thanh lý tài sản công của {place}"),
        "C.22": (
            "Giải quyết hồ sơ đăng ký thành lập doanh nghiệp",
            "Giải quyết hồ sơ thay đổi nội dung đăng ký doanh nghiệp",
        ),
        "C.23": ("Thẩm định hồ sơ điều chỉnh giấy chứng nhận đăng ký đầu tư dự án tại {place}",),
        "C.24": (
            "Giám sát tài chính 6 tháng năm {year} của {company}",
            "Đánh giá hiệu quả hoạt động năm {last_year} của {company}",
        ),
        "C.25": (
            "Thanh tra quản lý, sử dụng ngân sách tại {dept}",
            "Thanh tra công tác mua sắm tài sản tại {place}",
        ),
        "C.26": (
            "Báo cáo đánh giá thực hiện Quy hoạch tỉnh 9 tháng năm {year}",
            "Theo dõi thực hiện kế hoạch phát triển kinh tế – xã hội tháng {month}",
        ),
        "D.01": (
            "Tham gia lớp bồi dưỡng kiến thức quản lý nhà nước",
            "Tập huấn chuyển đổi số trong cơ quan nhà nước",
            "Học tập, quán triệt Nghị quyết của Đảng",
        ),
        "D.02": ("Sinh hoạt chi bộ định kỳ", "Hoạt động công đoàn cơ quan"),
        "D.03": ("Nhiệm vụ đột xuất theo chỉ đạo của Giám đốc Sở", "Chuẩn bị tài liệu phục vụ đoàn công tác"),
        "D.04": ("Trực cơ quan", "Trực phòng, chống thiên tai"),
    },
    "SXD": {
        "A.01": ("Chủ trì họp giao ban tuần", "Chủ trì họp chuyên đề về cấp phép xây dựng"),
        "B.01": (
            "Trả lời {place} về hướng dẫn cấp giấy phép xây dựng",
            "Hướng dẫn {dept} về quản lý chất lượng công trình",
        ),
        "B.02": ("Dự họp tại UBND tỉnh", "Dự họp tại {dept}"),
        "C.01": ("Cấp giấy phép xây dựng công trình tại {place}",),
        "C.02": ("Thẩm định báo cáo nghiên cứu khả thi dự án {project}",),
        "C.03": ("Thẩm định thiết kế xây dựng dự án {project}",),
        "C.04": ("Kiểm tra công tác nghiệm thu công trình {project}",),
        "C.05": ("Thẩm định hồ sơ dự án nhà ở xã hội tại {place}",),
    },
    "SNV": {
        "A.01": ("Chủ trì họp giao ban tuần", "Chủ trì họp về sắp xếp tổ chức bộ máy"),
        "B.01": (
            "Hướng dẫn {dept} về chế độ, chính sách cán bộ",
            "Trả lời {place} về tuyển dụng công chức xã",
        ),
        "C.01": ("Thẩm định đề án vị trí việc làm của {dept}",),
        "C.02": ("Thẩm định biên chế năm {next_year} của {dept}",),
        "C.03": ("Tổ chức kỳ tuyển dụng công chức năm {year}",),
        "C.04": ("Thẩm định hồ sơ khen thưởng của {dept}",),
        "C.05": ("Kiểm tra công tác cải cách hành chính tại {place}",),
        "C.06": ("Thẩm định đề án tổ chức lại {body}",),
    },
}

RETURN_REASONS = (
    "Chưa ghi số văn bản đi làm minh chứng, đề nghị bổ sung.",
    "Số lượng kê khai chưa khớp với văn bản đã phát hành trên hệ thống.",
    "Cuộc họp không có trong lịch công tác tuần, đề nghị kiểm tra lại.",
    "Nội dung mô tả chưa rõ, đề nghị ghi cụ thể hồ sơ đã xử lý.",
    "Trùng thời gian với công việc đã kê khai cùng ngày, đề nghị điều chỉnh.",
)


@dataclass
class _Catalog:
    """The published catalog valid on a date: tasks by code, with their stages."""

    tasks: dict[str, StandardTask] = field(default_factory=dict)
    stages: dict[str, list[Stage]] = field(default_factory=dict)


@dataclass
class _Person:
    pk: int
    username: str
    memberships: list[tuple[int, bool, datetime.date, datetime.date | None]]  # unit, is head, start, end
    level: float = 0.0  # average standard hours per working day over the period, leave included
    leave: frozenset[datetime.date] = frozenset()
    day_hours: float = 0.0  # average on the days worked
    estimate_bias: float = 1.0
    mixes: dict[tuple[int, bool], dict[str, float]] = field(default_factory=dict)

    def membership_on(self, day: datetime.date) -> tuple[int, bool] | None:
        for unit_id, is_head, start, end in self.memberships:
            if start <= day and (end is None or day <= end):
                return unit_id, is_head
        return None


def seed_diaries(*, window: Window) -> int:
    """Diaries of every working day of ``window`` before its last day (today); returns the entries made.

    An agency that already has diaries in the window keeps them, so a second run adds nothing.
    """
    created = 0
    for agency in Agency.objects.filter(code__in=LEVELS).order_by("code"):
        # One generator per agency: an agency's diaries do not depend on whether the others were seeded.
        rng = random.Random(f"{SEED}-{agency.code}")
        created += _seed_agency(agency, LEVELS[agency.code], window, rng)
    return created


def _seed_agency(agency: Agency, levels: Levels, window: Window, rng: random.Random) -> int:
    days = calendar.working_days(agency, window.start, window.today - datetime.timedelta(days=1))
    if not days or DiaryEntry.objects.filter(agency=agency, date__gte=window.start).exists():
        return 0
    catalogs = _catalogs(agency, days)
    if not catalogs:
        return 0
    units = {
        pk: (code, parent_id)
        for pk, code, parent_id in Unit.objects.filter(agency=agency).values_list("pk", "code", "parent_id")
    }
    hints = Counter(
        DeclaredTask.objects.filter(
            agency=agency, unit__isnull=False, standard_task__isnull=False
        ).values_list("unit_id", "standard_task__code")
    )
    reviewers = review_maps(agency.pk, days[0], days[-1])
    people = _people(agency, days)
    reviewed = {person_id for on_day in reviewers.values() for person_id in on_day}
    heads = {  # of the agency: the province reviewer reviews them (``org.selectors.review_map``)
        person.pk
        for person in people
        if any(is_head and units[unit_id][1] is None for unit_id, is_head, _s, _e in person.memberships)
    }
    _assign_levels(people, levels, reviewed, heads, days, rng)

    tz = timezone.get_default_timezone()
    pending_from = days[-PENDING_DAYS] if len(days) >= PENDING_DAYS else days[0]
    typical_week = set(days[-TYPICAL_WEEK:])
    draft_chance = {days[-1]: 0.5, days[-2]: 0.25} if len(days) >= 2 else {}
    limit = min(LONGEST_DAY, agency.daily_cap_minutes)
    numbers = _Numbers(rng, days)
    entries = []
    for index, day in enumerate(days):
        catalog = catalogs.get(day)
        if catalog is None:
            continue
        for person in people:
            place = person.membership_on(day)
            if place is None or day in person.leave:
                continue
            unit_id, is_head = place
            unit_code, parent_id = units[unit_id]
            typical = person.username in TYPICAL and day in typical_week
            if is_head and parent_id is None:
                a_share = A_SHARE_AGENCY_HEAD
            elif parent_id is None:
                a_share = A_SHARE_BOARD
            else:
                a_share = A_SHARE_UNIT_HEAD if is_head else 0.0
            mix = person.mixes.get((unit_id, is_head))
            if mix is None:
                mix = person.mixes[unit_id, is_head] = _mix(catalog, hints, unit_id, a_share, rng)
            minutes = min(
                limit, max(30, round(person.day_hours * 60 * min(1.45, max(0.55, rng.gauss(1, 0.15)))))
            )
            count = min(MAX_ENTRIES, max(2 if typical else 1, round(minutes / 120 + rng.uniform(-1, 1))))
            reviewer_id = reviewers[day].get(person.pk)
            draft = not typical and rng.random() < draft_chance.get(day, 0)
            submitted_at = datetime.datetime.combine(day, datetime.time(16), tzinfo=tz) + datetime.timedelta(
                minutes=rng.randint(0, 100)
            )
            for task, stage, quantity in _day_plan(catalog, mix, count, minutes, limit, rng):
                standard = stage.norm_minutes * quantity
                entry = DiaryEntry(
                    person_id=person.pk,
                    agency=agency,
                    unit_id=unit_id,
                    date=day,
                    task=task,
                    stage=stage,
                    quantity=quantity,
                    norm_minutes=stage.norm_minutes,
                    standard_minutes=standard,
                    estimate_minutes=_estimate(
                        standard, person.estimate_bias * STAGE_BIAS.get((task.code, stage.order), 1), rng
                    ),
                    description=_description(agency.code, task, day, rng),
                    evidence_ref=numbers.evidence(agency.code, unit_code, task, quantity, day),
                    is_overtime=False,
                )
                if draft:
                    entry.status = EntryStatus.DRAFT
                elif day < pending_from and reviewer_id is not None:
                    entry.status = EntryStatus.APPROVED
                    entry.submitted_at = submitted_at
                    entry.reviewed_by_id = reviewer_id
                    entry.reviewed_at = _office_hours(days[index + rng.choice((1, 1, 2))], tz, rng)
                    entry.major_errors = int(rng.random() < MAJOR_ERROR_RATE)
                    entry.delays = int(rng.random() < DELAY_RATE)
                elif (
                    day >= pending_from
                    and day != days[-1]
                    and reviewer_id is not None
                    and not typical
                    and rng.random() < RETURN_RATE
                ):
                    entry.status = EntryStatus.RETURNED
                    entry.submitted_at = submitted_at
                    entry.reviewed_by_id = reviewer_id
                    entry.reviewed_at = _office_hours(days[index + 1], tz, rng)
                    entry.return_reason = rng.choice(RETURN_REASONS)
                else:
                    # Waiting for the reviewer (or for nobody, where the province has no reviewer of heads).
                    entry.status = EntryStatus.SUBMITTED
                    entry.submitted_at = submitted_at
                entries.append(entry)
    DiaryEntry.objects.bulk_create(entries, batch_size=2000)
    _record_leave(agency, people, days)
    return len(entries)


def _record_leave(agency: Agency, people: list[_Person], days: list[datetime.date]) -> None:
    """The leave days drawn for each person, recorded in the leave register (one row per run of
    consecutive working days, by the agency's HR), so hours a day divide by the days worked."""
    hr = (
        RoleAssignment.objects.filter(agency=agency, role=Role.HR).values_list("person_id", flat=True).first()
    )
    position = {day: index for index, day in enumerate(days)}
    rows = []
    for person in people:
        run: list[datetime.date] = []
        for day in sorted(d for d in person.leave if person.membership_on(d) is not None):
            if run and position[day] != position[run[-1]] + 1:
                rows.append(_leave_row(agency, person, run, hr))
                run = []
            run.append(day)
        if run:
            rows.append(_leave_row(agency, person, run, hr))
    Leave.objects.bulk_create(rows, batch_size=2000)


def _leave_row(agency: Agency, person: _Person, run: list[datetime.date], hr: int | None) -> Leave:
    # Without drawing from the generator (the diaries stay as they were): one run in five is sick leave.
    kind = LeaveKind.SICK if (person.pk + run[0].toordinal()) % 5 == 0 else LeaveKind.ANNUAL
    return Leave(person_id=person.pk, agency=agency, start=run[0], end=run[-1], kind=kind, created_by_id=hr)


def _catalogs(agency: Agency, days: list[datetime.date]) -> dict[datetime.date, _Catalog]:
    """The catalog of each day, from the versions in force over the period (a query per version)."""
    starts = (
        catalog_selectors.published_versions(agency)
        .filter(effective_from__gt=days[0], effective_from__lte=days[-1])
        .values_list("effective_from", flat=True)
    )
    boundaries = sorted({on for on in starts if on is not None})
    versions = [(on, catalog_selectors.version_on(agency, on)) for on in [days[0], *boundaries]]
    loaded: dict[int, _Catalog] = {version.pk: _Catalog() for _on, version in versions if version is not None}
    stages = Stage.objects.filter(task__version_id__in=loaded, task__active=True).select_related("task")
    for stage in stages.order_by("task__code", "order"):
        catalog = loaded[stage.task.version_id]
        catalog.tasks[stage.task.code] = stage.task
        catalog.stages.setdefault(stage.task.code, []).append(stage)
    by_day = {}
    for day in days:
        in_force = [version for on, version in versions if on <= day][-1]
        if in_force is not None:
            by_day[day] = loaded[in_force.pk]
    return by_day


def _people(agency: Agency, days: list[datetime.date]) -> list[_Person]:
    """Everybody who belongs to the agency on some day of the period, in username order."""
    rows = (
        Membership.objects.filter(unit__agency=agency, start__lte=days[-1])
        .filter(Q(end__isnull=True) | Q(end__gte=days[0]))
        .order_by("start")
        .values_list("person_id", "unit_id", "is_head", "start", "end")
    )
    memberships: dict[int, list] = {}
    for person_id, *membership in rows:
        memberships.setdefault(person_id, []).append(tuple(membership))
    names = dict(User.objects.filter(pk__in=memberships).values_list("pk", "username"))
    return sorted(
        (_Person(pk, names[pk], found) for pk, found in memberships.items()), key=lambda p: p.username
    )


def _assign_levels(
    people: list[_Person],
    levels: Levels,
    reviewed: set[int],
    heads: set[int],
    days: list[datetime.date],
    rng: random.Random,
) -> None:
    """Give each person a stable level so that the agency's approved average is ``levels.mean``.

    The agency head declares more than most (reviewed by the province reviewer); people nobody
    reviews log too, but count zero approved hours; the typical person gets the level of ``TYPICAL``;
    the others are drawn, then shifted to hit the mean.
    """
    fixed = [p for p in people if p.pk not in reviewed or p.pk in heads]
    fixed_ids = {p.pk for p in fixed}
    typical = [p for p in people if p.pk not in fixed_ids and p.username in TYPICAL]
    drawn = [p for p in people if p.pk not in fixed_ids and p.username not in TYPICAL]
    rng.shuffle(drawn)
    high, low = drawn[: len(levels.high)], drawn[len(levels.high) : len(levels.high) + len(levels.low)]
    middle = drawn[len(high) + len(low) :]
    for person, level in zip(high, levels.high, strict=False):
        person.level = level
    for person, level in zip(low, levels.low, strict=False):
        person.level = level
    for person in typical:
        person.level = TYPICAL[person.username]
    for person in middle:
        person.level = rng.gauss(levels.mean, levels.spread)
    for person in fixed:
        person.level = levels.mean + 1  # leaders declare more than most, approved or not
    if middle:
        approved = [p for p in high + low + typical + fixed if p.pk in reviewed]
        wanted = levels.mean * len(people) - sum(p.level for p in approved)
        shift = (wanted - sum(p.level for p in middle)) / len(middle)
        for person in middle:
            person.level = min(MID_RANGE[1], max(MID_RANGE[0], person.level + shift))

    typical_week = set(days[-TYPICAL_WEEK:])
    high_ids = {p.pk for p in high}
    for person in people:
        # Those who work the most take less leave; the typical person is at work the week before today.
        rate = LEAVE_RATE / 2 if person.pk in high_ids else LEAVE_RATE
        person.leave = frozenset(
            day
            for day in days
            if rng.random() < rate and not (person.username in TYPICAL and day in typical_week)
        )
        worked = len(days) - len(person.leave)
        person.day_hours = person.level * len(days) / max(worked, 1)
        person.estimate_bias = rng.uniform(0.9, 1.35)


def _mix(
    catalog: _Catalog, hints: Counter, unit_id: int, a_share: float, rng: random.Random
) -> dict[str, float]:
    """A person's usual tasks with weights: leadership tasks for leaders, their unit's tasks for the rest.

    Professional tasks are those the unit declared before the catalog merged them (``hints``), plus
    shared (B) and other (D) work; each person keeps a handful of them, so people differ.
    """
    leading = {code: A_WEIGHTS.get(code, 1) for code, task in catalog.tasks.items() if task.group == "A"}
    candidates = {}
    for code, task in catalog.tasks.items():
        base = {"B": 1.0, "D": 0.6}.get(task.group, 0.0)
        weight = 3 * hints[unit_id, code] + base
        if task.group != "A" and weight:
            candidates[code] = weight
    own = _sample(candidates, rng.randint(5, 8), rng)
    professional = {code: candidates[code] * rng.uniform(0.5, 1.5) for code in own}
    mix = {}
    for part, share in ((leading, a_share if professional else 1.0), (professional, 1 - a_share)):
        total = sum(part.values())
        if total and share:
            mix.update({code: share * weight / total for code, weight in part.items()})
    return mix


def _sample(weights: dict[str, float], count: int, rng: random.Random) -> list[str]:
    """Up to ``count`` different keys drawn by weight without replacement (Efraimidis–Spirakis keys)."""
    return sorted(weights, key=lambda key: rng.random() ** (1 / weights[key]), reverse=True)[:count]


def _day_plan(
    catalog: _Catalog, mix: dict[str, float], count: int, minutes: int, limit: int, rng: random.Random
) -> list[tuple[StandardTask, Stage, Decimal]]:
    """(task, stage, quantity) of a day's entries, close to ``minutes`` in all and never above ``limit``.

    One-off work (a meeting, a shift) goes first: its quantity is capped at one, and the minutes
    it cannot take are carried over to the other entries of the day, or to one more task of the
    person's mix when the planned ones cannot take them.
    """
    order = _sample({code: weight for code, weight in mix.items() if code in catalog.tasks}, len(mix), rng)
    codes = sorted(order[:count], key=lambda code: catalog.tasks[code].output_unit not in ONE_OFF_UNITS)
    spare = [code for code in order[count:] if catalog.tasks[code].output_unit not in ONE_OFF_UNITS]
    shares = [rng.uniform(0.5, 1.5) for _code in codes]
    remaining, used = float(minutes), Decimal(0)
    plan: list[tuple[StandardTask, Stage, Decimal]] = []
    for position, code in enumerate(codes + spare):
        if position < len(codes):
            wanted = remaining * shares[position] / sum(shares[position:])
        elif remaining >= 30 and len(plan) < MAX_ENTRIES:
            wanted = remaining
        else:
            break
        task, stages = catalog.tasks[code], catalog.stages[code]
        # Mostly the stage that about one unit of output fills, now and then several small ones.
        closeness = [math.exp(-abs(math.log(max(wanted, 1) / stage.norm_minutes))) for stage in stages]
        stage = rng.choices(stages, weights=closeness)[0]
        most = Decimal(1) if task.output_unit in ONE_OFF_UNITS else MAX_QUANTITY
        quantity = min(
            most, _quantity(wanted / stage.norm_minutes), _floor_quantity((limit - used) / stage.norm_minutes)
        )
        if quantity <= 0:
            continue
        used += stage.norm_minutes * quantity
        remaining = max(0.0, minutes - float(used))
        plan.append((task, stage, quantity))
    return plan


def _quantity(units: float) -> Decimal:
    """Round as people count their output: whole documents, halves of a few, parts of a big file."""
    step = 0.05 if units < 1 else 0.5 if units < 3 else 1
    return Decimal(str(max(step, round(units / step) * step))).quantize(Decimal("0.01"))


def _floor_quantity(units: Decimal) -> Decimal:
    """The largest quantity in steps of 0.05 not above ``units``."""
    return (units * 20).to_integral_value(rounding="ROUND_FLOOR") / 20


# Stages whose norm the demo's people find too short, on purpose: the norm calibration page
# (reports/calibration.py) proposes a new norm for them on any day the demo is seeded.
STAGE_BIAS = {("B.01", 3): 1.5}


def _estimate(standard: Decimal, bias: float, rng: random.Random) -> int | None:
    """The person's own estimate: often a little above the norm, sometimes below, now and then left out."""
    if rng.random() > ESTIMATE_RATE:
        return None
    minutes = float(standard) * bias * rng.gauss(1, 0.12)
    return min(MAX_ESTIMATE_MINUTES, max(5, round(minutes / 5) * 5))


def _description(agency_code: str, task: StandardTask, day: datetime.date, rng: random.Random) -> str:
    texts = DESCRIPTIONS.get(agency_code, {}).get(task.code)
    if not texts:  # a task the catalog manager added after the demo was written
        return task.name
    return rng.choice(texts).format(
        place=rng.choice(PLACES),
        dept=rng.choice(DEPARTMENTS),
        company=rng.choice(COMPANIES),
        project=rng.choice(PROJECTS),
        body=rng.choice(PUBLIC_BODIES),
        month=f"{day.month}/{day.year}",
        year=day.year,
        last_year=day.year - 1,
        next_year=day.year + 1,
    )


def _office_hours(day: datetime.date, tz, rng: random.Random) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(8), tzinfo=tz) + datetime.timedelta(
        minutes=rng.randint(0, standards.DAILY_NORM_MINUTES)
    )


class _Numbers:
    """Numbers of outgoing documents, invitations and decisions, rising day by day as in E-Office."""

    # Number on the first working day of the window and how many are issued a working day, per kind.
    SERIES = {"CV": (1850, 24), "BC": (310, 4), "KH": (95, 1), "TTr": (80, 1), "QĐ": (160, 2), "GM": (620, 5)}

    def __init__(self, rng: random.Random, days: list[datetime.date]):
        self.rng = rng
        self.index = {day: index for index, day in enumerate(days)}
        self.next: dict[str, int] = {}

    def take(self, kind: str, day: datetime.date, count: int = 1) -> int:
        """The first of ``count`` numbers never given before: E-Office gives a number to one document
        only, so two people never cite the same one (demo/evidence.py makes a document per number)."""
        first, per_day = self.SERIES[kind]
        number = max(first + per_day * self.index[day] + self.rng.randrange(per_day), self.next.get(kind, 0))
        self.next[kind] = number + count
        return number

    def evidence(
        self, agency: str, unit: str, task: StandardTask, quantity: Decimal, day: datetime.date
    ) -> str:
        if task.evidence_kind == EvidenceKind.MEETING:
            if task.output_unit in ("đợt kiểm tra", "cuộc thanh tra"):
                return f"Quyết định số {self.take('QĐ', day)}/QĐ-{agency}"
            if task.name.startswith("Tham dự"):
                return f"Giấy mời số {self.take('GM', day)}/GM-UBND ngày {day:%d/%m/%Y}"
            return f"Lịch công tác tuần {day.isocalendar().week}, ngày {day:%d/%m/%Y}"
        if task.evidence_kind != EvidenceKind.DOCUMENT:
            return ""
        kind = {"báo cáo": "BC", "kế hoạch": "KH", "đề án": "TTr"}.get(task.output_unit, "CV")
        symbol = f"{agency}-{'VP' if unit == 'BGD' else unit}" if kind == "CV" else f"{kind}-{agency}"
        documents = int(quantity) if quantity == quantity.to_integral_value() and quantity > 1 else 1
        first = self.take(kind, day, documents)
        if documents == 1:
            return f"{first}/{symbol}"
        return f"Từ số {first} đến số {first + documents - 1}/{symbol}"

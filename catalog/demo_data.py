"""Demo catalog content: standard tasks, stages, norms and declared tasks.

Plain data, no Django imports. Modelled on the KPI pilot of Sở Tài chính tỉnh Khánh Hòa (STC), where
more than 270 tasks declared by units and people were merged into 50 standard tasks (công việc chuẩn),
each split into stages (giai đoạn) with a time norm (định mức, minutes per unit of output) and grouped
A (lãnh đạo, quản lý), B (chuyên môn dùng chung), C (chuyên môn đặc thù), D (công việc khác).
Two smaller catalogs (Sở Xây dựng, Sở Nội vụ) show that every agency keeps its own catalog.
"""

from dataclasses import dataclass

__all__ = [
    "SNV_DECLARED",
    "SNV_TASKS",
    "STC_DECLARED",
    "STC_TASKS",
    "SXD_DECLARED",
    "SXD_TASKS",
    "DemoDeclared",
    "DemoStage",
    "DemoTask",
]


@dataclass(frozen=True)
class DemoStage:
    name: str  # Vietnamese stage name
    minutes: int  # norm: minutes per one unit of output


@dataclass(frozen=True)
class DemoTask:
    code: str  # "A.01", "B.07", "C.23", "D.02" — prefix = group letter
    name: str
    group: str  # "A", "B", "C" or "D"
    output_unit: str
    evidence: str  # "document", "meeting" or "none"
    description: str  # handbook (cẩm nang KPI) text
    stages: tuple[DemoStage, ...]


@dataclass(frozen=True)
class DemoDeclared:
    text: str  # the raw declared task (đầu việc kê khai)
    unit: str  # code of the declaring unit
    task: str  # code of the standard task it was merged into


def _task(
    code: str,
    name: str,
    output_unit: str,
    evidence: str,
    description: str,
    stages: tuple[tuple[str, int], ...],
) -> DemoTask:
    return DemoTask(
        code=code,
        name=name,
        group=code.split(".", 1)[0],
        output_unit=output_unit,
        evidence=evidence,
        description=description,
        stages=tuple(DemoStage(stage_name, minutes) for stage_name, minutes in stages),
    )


def _declared(by_task: dict[str, tuple[tuple[str, str], ...]]) -> tuple[DemoDeclared, ...]:
    return tuple(
        DemoDeclared(text=text, unit=unit, task=code)
        for code, items in by_task.items()
        for unit, text in items
    )


# ---------------------------------------------------------------------------------------------------------
# Sở Tài chính (STC) — 50 standard tasks
# ---------------------------------------------------------------------------------------------------------

STC_TASKS: tuple[DemoTask, ...] = (
    # --- A. Lãnh đạo, quản lý -------------------------------------------------------------------------
    _task(
        "A.01",
        "Lãnh đạo, chỉ đạo, điều hành hoạt động của Sở, của phòng theo lĩnh vực được phân công",
        "ngày làm việc",
        "none",
        "Công việc thường xuyên của Giám đốc, Phó Giám đốc Sở và trưởng phòng: nắm tình hình, chỉ đạo, "
        "điều hành, phối hợp giải quyết công việc thuộc lĩnh vực được phân công. Tính theo ngày làm việc "
        "thực tế có mặt tại cơ quan theo lịch công tác. Không kê khai trùng thời gian đã kê khai cho các "
        "công việc cụ thể khác như chủ trì họp, ký duyệt văn bản, tiếp công dân.",
        (
            ("Nắm tình hình, nghe báo cáo của các phòng, công chức", 60),
            ("Chỉ đạo, cho ý kiến xử lý công việc phát sinh", 90),
            ("Phối hợp, làm việc với cơ quan, địa phương liên quan", 60),
        ),
    ),
    _task(
        "A.02",
        "Chủ trì họp giao ban, họp chuyên đề của Sở, của phòng",
        "cuộc họp",
        "meeting",
        "Chủ trì cuộc họp giao ban định kỳ (tuần, tháng) của Sở, của phòng hoặc họp chuyên đề để giải quyết "
        "công việc. Được tính khi cuộc họp diễn ra theo lịch công tác đã đăng ký và có thông báo kết luận "
        "hoặc biên bản họp. Minh chứng là lịch họp trên hệ thống quản lý văn bản và điều hành.",
        (
            ("Chuẩn bị nội dung, tài liệu họp", 60),
            ("Chủ trì cuộc họp", 120),
            ("Kết luận, chỉ đạo triển khai sau họp", 30),
        ),
    ),
    _task(
        "A.03",
        "Phân công, kiểm tra, đánh giá kết quả thực hiện nhiệm vụ của công chức",
        "lượt",
        "none",
        "Lãnh đạo Sở, lãnh đạo phòng giao việc, kiểm tra nhật ký công việc và đánh giá, chấm điểm kết quả "
        "thực hiện nhiệm vụ của công chức thuộc quyền quản lý. Mỗi lượt là việc đánh giá một công chức "
        "trong một kỳ (tháng). Được tính khi kết quả đánh giá đã được ghi nhận trên hệ thống KPI.",
        (
            ("Phân công, giao việc trên hệ thống", 30),
            ("Kiểm tra, duyệt nhật ký công việc", 60),
            ("Đánh giá, chấm điểm kết quả thực hiện nhiệm vụ", 30),
        ),
    ),
    _task(
        "A.04",
        "Xem xét, ký duyệt văn bản, hồ sơ trình ký",
        "văn bản",
        "document",
        "Lãnh đạo Sở, lãnh đạo phòng xem xét nội dung, thể thức và ký duyệt (ký nháy, ký ban hành) văn bản, "
        "hồ sơ do công chức trình. Được tính khi văn bản đã được ký và phát hành. Minh chứng là văn bản đi "
        "có số, ký hiệu trên hệ thống quản lý văn bản.",
        (
            ("Xem xét nội dung, thể thức văn bản trình ký", 15),
            ("Chỉnh sửa, cho ý kiến hoặc ký ban hành", 10),
        ),
    ),
    _task(
        "A.05",
        "Tiếp công dân định kỳ, đột xuất",
        "buổi",
        "meeting",
        "Lãnh đạo Sở tiếp công dân định kỳ theo lịch hoặc đột xuất, tiếp nhận khiếu nại, tố cáo, kiến nghị, "
        "phản ánh theo Luật Tiếp công dân 2013. Được tính khi buổi tiếp diễn ra theo lịch và có sổ tiếp "
        "công dân hoặc biên bản làm việc. Công chức tham gia cùng lãnh đạo kê khai theo cùng công việc này.",
        (
            ("Nghiên cứu hồ sơ, nội dung vụ việc trước buổi tiếp", 60),
            ("Tiếp công dân, đối thoại", 180),
            ("Chỉ đạo xử lý, trả lời sau buổi tiếp", 60),
        ),
    ),
    _task(
        "A.06",
        "Tham dự họp, làm việc với Tỉnh ủy, HĐND, UBND tỉnh và bộ, ngành Trung ương",
        "cuộc họp",
        "meeting",
        "Lãnh đạo Sở tham dự họp UBND tỉnh, kỳ họp HĐND tỉnh, họp của Tỉnh ủy hoặc làm việc với bộ, ngành "
        "Trung ương với tư cách đại diện Sở: báo cáo, giải trình, tham mưu. Được tính khi có giấy mời hoặc "
        "lịch công tác. Họp do công chức tham dự theo phân công kê khai vào công việc B.07.",
        (
            ("Nghiên cứu tài liệu, chuẩn bị ý kiến phát biểu", 60),
            ("Tham dự họp, báo cáo, giải trình", 150),
            ("Báo cáo kết quả, triển khai kết luận cuộc họp", 30),
        ),
    ),
    # --- B. Chuyên môn dùng chung ----------------------------------------------------------------------
    _task(
        "B.01",
        "Soạn thảo văn bản hành chính trả lời, hướng dẫn cơ quan, đơn vị, cá nhân",
        "văn bản",
        "document",
        "Nghiên cứu văn bản đến, hồ sơ và quy định liên quan để dự thảo công văn trả lời, hướng dẫn nghiệp "
        "vụ cho cơ quan, đơn vị, tổ chức, cá nhân. Được tính khi văn bản đã được lãnh đạo ký và phát hành. "
        "Minh chứng là công văn đi có số, ký hiệu; nhật ký kê khai mà không có công văn đi tương ứng sẽ bị "
        "trả lại.",
        (
            ("Nghiên cứu hồ sơ, văn bản đến, quy định liên quan", 60),
            ("Dự thảo văn bản", 60),
            ("Trình lãnh đạo, hoàn chỉnh và phát hành", 20),
        ),
    ),
    _task(
        "B.02",
        "Tham mưu trả lời kiến nghị của cử tri, đại biểu HĐND, doanh nghiệp",
        "văn bản",
        "document",
        "Tổng hợp, phân loại và tham mưu văn bản trả lời kiến nghị của cử tri, chất vấn của đại biểu HĐND, "
        "kiến nghị của doanh nghiệp, hiệp hội thuộc lĩnh vực của Sở. Được tính khi văn bản trả lời hoặc báo "
        "cáo giải trình đã được phát hành đúng thời hạn. Minh chứng là công văn đi.",
        (
            ("Tổng hợp, phân loại kiến nghị", 30),
            ("Lấy ý kiến, phối hợp với đơn vị liên quan", 60),
            ("Dự thảo văn bản trả lời, báo cáo giải trình", 90),
            ("Trình ký, phát hành và cập nhật kết quả", 20),
        ),
    ),
    _task(
        "B.03",
        "Góp ý dự thảo văn bản quy phạm pháp luật, đề án, kế hoạch của cơ quan khác",
        "văn bản",
        "document",
        "Nghiên cứu, tham gia ý kiến đối với dự thảo luật, nghị định, thông tư, nghị quyết, quyết định, đề "
        "án, kế hoạch do bộ, ngành, UBND tỉnh hoặc các sở gửi lấy ý kiến. Được tính khi văn bản góp ý đã "
        "được gửi đi; trường hợp thống nhất toàn bộ vẫn phải có văn bản trả lời.",
        (
            ("Nghiên cứu dự thảo và quy định liên quan", 90),
            ("Dự thảo văn bản góp ý", 60),
            ("Trình ký, gửi văn bản góp ý", 15),
        ),
    ),
    _task(
        "B.04",
        "Chủ trì soạn thảo văn bản quy phạm pháp luật, đề án thuộc lĩnh vực của Sở",
        "văn bản",
        "document",
        "Chủ trì xây dựng dự thảo nghị quyết của HĐND tỉnh, quyết định của UBND tỉnh hoặc đề án thuộc lĩnh "
        "vực tài chính, đầu tư theo Luật Ban hành văn bản quy phạm pháp luật. Được tính khi hồ sơ dự thảo "
        "đã trình cấp có thẩm quyền. Minh chứng là tờ trình kèm dự thảo văn bản.",
        (
            ("Xây dựng đề cương, dự thảo văn bản", 960),
            ("Lấy ý kiến, tổng hợp, giải trình, tiếp thu", 480),
            ("Hoàn thiện hồ sơ gửi thẩm định", 240),
            ("Trình UBND tỉnh, HĐND tỉnh ban hành", 120),
        ),
    ),
    _task(
        "B.05",
        "Xây dựng báo cáo định kỳ (tuần, tháng, quý, 6 tháng, năm)",
        "báo cáo",
        "document",
        "Thu thập số liệu, xây dựng báo cáo định kỳ theo chế độ báo cáo của UBND tỉnh, bộ, ngành về lĩnh "
        "vực được giao. Được tính khi báo cáo đã được ký và gửi đi đúng hạn; báo cáo gửi trễ hạn bị trừ "
        "điểm tiến độ. Minh chứng là văn bản báo cáo đi.",
        (
            ("Thu thập, tổng hợp số liệu", 120),
            ("Dự thảo báo cáo", 120),
            ("Trình ký, gửi báo cáo", 20),
        ),
    ),
    _task(
        "B.06",
        "Xây dựng báo cáo đột xuất, chuyên đề theo yêu cầu",
        "báo cáo",
        "document",
        "Xây dựng báo cáo đột xuất, chuyên đề theo yêu cầu của Tỉnh ủy, HĐND, UBND tỉnh, đoàn giám sát, "
        "đoàn kiểm tra hoặc bộ, ngành Trung ương. Được tính khi báo cáo đã được phát hành. Minh chứng là "
        "văn bản báo cáo đi kèm văn bản yêu cầu.",
        (
            ("Thu thập thông tin, số liệu theo yêu cầu", 90),
            ("Phân tích, dự thảo báo cáo", 150),
            ("Trình ký, gửi báo cáo", 20),
        ),
    ),
    _task(
        "B.07",
        "Tham dự họp, hội nghị, hội thảo theo phân công",
        "cuộc họp",
        "meeting",
        "Công chức tham dự họp, hội nghị, hội thảo do cơ quan khác tổ chức theo phân công của lãnh đạo. "
        "Được tính khi có giấy mời được phân công trên hệ thống và có báo cáo kết quả cuộc họp cho lãnh "
        "đạo. Họp nội bộ của phòng không kê khai vào công việc này.",
        (
            ("Nghiên cứu tài liệu, chuẩn bị ý kiến", 45),
            ("Tham dự cuộc họp", 150),
            ("Báo cáo kết quả cuộc họp cho lãnh đạo", 20),
        ),
    ),
    _task(
        "B.08",
        "Tiếp nhận, phân loại, xử lý văn bản đến",
        "văn bản",
        "none",
        "Tiếp nhận, đọc, phân loại văn bản đến được phân công trên hệ thống quản lý văn bản và đề xuất "
        "hướng xử lý, chuyển xử lý hoặc lưu theo dõi. Chỉ tính cho văn bản không phát sinh sản phẩm riêng; "
        "văn bản đến dẫn tới công văn trả lời được tính vào công việc tương ứng.",
        (
            ("Tiếp nhận, nghiên cứu, phân loại văn bản đến", 10),
            ("Đề xuất xử lý, chuyển xử lý hoặc lưu theo dõi", 10),
        ),
    ),
    _task(
        "B.09",
        "Giải quyết khiếu nại, tố cáo, kiến nghị, phản ánh",
        "hồ sơ",
        "document",
        "Tiếp nhận, phân loại đơn, xác minh và tham mưu giải quyết khiếu nại, tố cáo, kiến nghị, phản ánh "
        "thuộc thẩm quyền của Giám đốc Sở theo Luật Khiếu nại 2011 và Luật Tố cáo 2018. Được tính khi có "
        "quyết định giải quyết, kết luận nội dung tố cáo hoặc văn bản trả lời được ban hành.",
        (
            ("Tiếp nhận, phân loại đơn", 30),
            ("Xác minh nội dung khiếu nại, tố cáo", 960),
            ("Dự thảo báo cáo xác minh, quyết định hoặc kết luận", 240),
            ("Trình ký, ban hành và công khai kết quả", 60),
        ),
    ),
    _task(
        "B.10",
        "Thực hiện nhiệm vụ cải cách hành chính, kiểm soát thủ tục hành chính",
        "văn bản",
        "document",
        "Rà soát, đánh giá quy định và thủ tục hành chính; xây dựng kế hoạch, báo cáo cải cách hành chính; "
        "tham mưu công bố, cập nhật thủ tục hành chính thuộc lĩnh vực của Sở. Được tính khi kế hoạch, báo "
        "cáo hoặc quyết định công bố đã được ban hành.",
        (
            ("Rà soát, đánh giá quy định, thủ tục hành chính", 120),
            ("Dự thảo kế hoạch, báo cáo, quyết định công bố thủ tục hành chính", 120),
            ("Trình ký, cập nhật lên Cơ sở dữ liệu quốc gia về thủ tục hành chính", 30),
        ),
    ),
    _task(
        "B.11",
        "Chuyển đổi số, ứng dụng công nghệ thông tin, cập nhật dữ liệu lên hệ thống thông tin",
        "lượt",
        "none",
        "Cập nhật, chuẩn hóa dữ liệu chuyên ngành lên các hệ thống thông tin, cổng thông tin điện tử; vận "
        "hành, hỗ trợ kỹ thuật phần mềm và thiết bị của cơ quan; số hóa hồ sơ, tài liệu. Được tính theo "
        "lượt cập nhật hoặc lượt hỗ trợ có ghi nhận trên hệ thống.",
        (
            ("Cập nhật, chuẩn hóa dữ liệu trên hệ thống", 45),
            ("Hỗ trợ kỹ thuật, vận hành phần mềm, thiết bị", 30),
        ),
    ),
    _task(
        "B.12",
        "Công tác văn thư, lưu trữ",
        "văn bản",
        "none",
        "Vào sổ, đóng dấu, phát hành văn bản đi; lập hồ sơ công việc, chỉnh lý và nộp lưu tài liệu vào "
        "lưu trữ cơ quan theo Nghị định 30/2020/NĐ-CP về công tác văn thư và Luật Lưu trữ. Được tính theo "
        "số văn bản được xử lý, ghi nhận trên sổ đăng ký và hệ thống quản lý văn bản.",
        (
            ("Vào sổ, đóng dấu, phát hành văn bản", 10),
            ("Lập hồ sơ, chỉnh lý, nộp lưu tài liệu", 15),
        ),
    ),
    _task(
        "B.13",
        "Tham mưu công tác thi đua, khen thưởng",
        "hồ sơ",
        "document",
        "Hướng dẫn, tiếp nhận, thẩm định hồ sơ đề nghị khen thưởng và tham mưu Hội đồng thi đua – khen "
        "thưởng của Sở theo Luật Thi đua, khen thưởng 2022. Được tính khi tờ trình, quyết định khen thưởng "
        "hoặc hồ sơ đề nghị cấp trên khen thưởng đã được ban hành.",
        (
            ("Hướng dẫn, tiếp nhận hồ sơ đề nghị khen thưởng", 30),
            ("Thẩm định hồ sơ, tổng hợp ý kiến Hội đồng thi đua – khen thưởng", 90),
            ("Dự thảo tờ trình, quyết định khen thưởng", 60),
        ),
    ),
    _task(
        "B.14",
        "Tham mưu công tác tổ chức cán bộ (tuyển dụng, nâng lương, bổ nhiệm, đào tạo, đánh giá)",
        "hồ sơ",
        "document",
        "Tham mưu các thủ tục về tổ chức bộ máy, vị trí việc làm, tuyển dụng, nâng bậc lương, bổ nhiệm, cử "
        "đi đào tạo, đánh giá, xếp loại công chức của Sở. Được tính khi quyết định hoặc tờ trình đã được "
        "ban hành và hồ sơ công chức được cập nhật.",
        (
            ("Rà soát, chuẩn bị hồ sơ, thủ tục", 60),
            ("Dự thảo tờ trình, quyết định", 60),
            ("Trình ký, cập nhật hồ sơ công chức", 20),
        ),
    ),
    # --- C. Chuyên môn đặc thù -------------------------------------------------------------------------
    _task(
        "C.01",
        "Lập dự toán ngân sách địa phương và phương án phân bổ ngân sách tỉnh hằng năm",
        "hồ sơ",
        "document",
        "Hướng dẫn các cơ quan, địa phương xây dựng dự toán; tổng hợp, cân đối dự toán thu, chi ngân sách "
        "địa phương, kế hoạch tài chính – ngân sách nhà nước 3 năm và phương án phân bổ ngân sách cấp tỉnh "
        "theo Luật Ngân sách nhà nước 2015 và Nghị định 163/2016/NĐ-CP. Được tính khi hồ sơ dự toán đã trình "
        "UBND tỉnh, HĐND tỉnh và dự toán được giao.",
        (
            ("Hướng dẫn xây dựng dự toán, thông báo số kiểm tra", 480),
            ("Tổng hợp, cân đối dự toán thu, chi ngân sách", 2400),
            ("Dự thảo báo cáo, tờ trình, nghị quyết trình UBND, HĐND tỉnh", 960),
            ("Giải trình, hoàn chỉnh và giao dự toán", 480),
        ),
    ),
    _task(
        "C.02",
        "Thẩm định dự toán ngân sách năm của cơ quan, đơn vị cấp tỉnh",
        "hồ sơ",
        "document",
        "Kiểm tra, thảo luận và thẩm định dự toán thu, chi ngân sách năm do cơ quan, đơn vị dự toán cấp tỉnh "
        "lập, bảo đảm đúng chế độ, định mức theo Luật Ngân sách nhà nước 2015. Mỗi đơn vị là một hồ sơ. "
        "Được tính khi văn bản thông báo kết quả thẩm định dự toán đã được phát hành.",
        (
            ("Tiếp nhận, kiểm tra dự toán đơn vị lập", 60),
            ("Làm việc, thảo luận dự toán với đơn vị", 120),
            ("Thẩm định chi tiết các khoản thu, chi", 300),
            ("Dự thảo văn bản thông báo kết quả thẩm định", 90),
        ),
    ),
    _task(
        "C.03",
        "Thẩm định bổ sung, điều chỉnh dự toán, bố trí kinh phí phát sinh trong năm",
        "hồ sơ",
        "document",
        "Thẩm định đề nghị bổ sung, điều chỉnh dự toán, sử dụng dự phòng ngân sách, bố trí kinh phí cho "
        "nhiệm vụ phát sinh của cơ quan, đơn vị, địa phương. Được tính khi tờ trình, quyết định bổ sung dự "
        "toán hoặc văn bản trả lời đã được phát hành.",
        (
            ("Tiếp nhận, kiểm tra hồ sơ đề nghị", 30),
            ("Thẩm định nội dung, định mức, nguồn kinh phí", 150),
            ("Dự thảo tờ trình, quyết định bổ sung dự toán", 90),
            ("Trình ký, phát hành", 20),
        ),
    ),
    _task(
        "C.04",
        "Xét duyệt, thẩm định quyết toán ngân sách năm của cơ quan, đơn vị dự toán cấp tỉnh",
        "hồ sơ",
        "document",
        "Kiểm tra báo cáo quyết toán, xét duyệt hoặc thẩm định số liệu quyết toán ngân sách năm của cơ quan, "
        "đơn vị dự toán cấp tỉnh theo Luật Ngân sách nhà nước 2015. Mỗi đơn vị là một hồ sơ. Được tính khi "
        "thông báo xét duyệt hoặc thẩm định quyết toán đã được phát hành.",
        (
            ("Tiếp nhận, kiểm tra báo cáo quyết toán", 60),
            ("Xét duyệt, thẩm định số liệu quyết toán tại đơn vị", 600),
            ("Dự thảo biên bản, thông báo xét duyệt, thẩm định quyết toán", 120),
            ("Trình ký, phát hành thông báo", 20),
        ),
    ),
    _task(
        "C.05",
        "Thẩm tra quyết toán ngân sách cấp huyện, cấp xã",
        "hồ sơ",
        "document",
        "Đối chiếu, thẩm tra báo cáo quyết toán thu, chi ngân sách của địa phương cấp dưới, kiến nghị xử lý "
        "các khoản chi sai chế độ theo Luật Ngân sách nhà nước 2015 và Nghị định 163/2016/NĐ-CP. Mỗi địa "
        "phương là một hồ sơ. Được tính khi thông báo kết quả thẩm tra quyết toán đã được phát hành.",
        (
            ("Tiếp nhận, đối chiếu báo cáo quyết toán với Kho bạc Nhà nước", 120),
            ("Thẩm tra chi tiết số liệu thu, chi ngân sách", 960),
            ("Dự thảo thông báo kết quả thẩm tra quyết toán", 180),
            ("Trình ký, phát hành và theo dõi xử lý kiến nghị", 30),
        ),
    ),
    _task(
        "C.06",
        "Lập báo cáo quyết toán ngân sách địa phương hằng năm trình HĐND tỉnh",
        "báo cáo",
        "document",
        "Tổng hợp, đối chiếu số liệu và lập báo cáo quyết toán ngân sách địa phương hằng năm, dự thảo nghị "
        "quyết phê chuẩn quyết toán trình HĐND tỉnh; giải trình với Kiểm toán nhà nước và gửi Bộ Tài chính. "
        "Được tính khi hồ sơ quyết toán đã được trình HĐND tỉnh.",
        (
            ("Tổng hợp, đối chiếu số liệu quyết toán thu, chi", 1440),
            ("Dự thảo báo cáo, tờ trình, nghị quyết phê chuẩn quyết toán", 720),
            ("Giải trình với Kiểm toán nhà nước, Ban Kinh tế – Ngân sách HĐND tỉnh", 240),
            ("Hoàn chỉnh hồ sơ, gửi Bộ Tài chính", 120),
        ),
    ),
    _task(
        "C.07",
        "Quản lý nợ của chính quyền địa phương",
        "hồ sơ",
        "document",
        "Theo dõi, tổng hợp tình hình vay, trả nợ; xây dựng kế hoạch vay, trả nợ hằng năm và thẩm định đề "
        "nghị vay lại vốn vay nước ngoài của chính quyền địa phương theo Luật Quản lý nợ công 2017. Được "
        "tính khi kế hoạch, báo cáo hoặc tờ trình đã được ban hành.",
        (
            ("Theo dõi, tổng hợp tình hình vay, trả nợ", 120),
            ("Xây dựng kế hoạch vay, trả nợ; thẩm định đề nghị vay lại", 360),
            ("Dự thảo báo cáo, tờ trình", 120),
        ),
    ),
    _task(
        "C.08",
        "Thẩm định phương án tự chủ tài chính của đơn vị sự nghiệp công lập",
        "hồ sơ",
        "document",
        "Thẩm định nguồn thu, nhiệm vụ chi và mức độ tự bảo đảm chi thường xuyên trong phương án tự chủ tài "
        "chính của đơn vị sự nghiệp công lập theo Nghị định 60/2021/NĐ-CP. Được tính khi văn bản thẩm định "
        "hoặc tờ trình giao quyền tự chủ đã được phát hành.",
        (
            ("Tiếp nhận, kiểm tra hồ sơ phương án", 60),
            ("Thẩm định nguồn thu, nhiệm vụ chi, mức độ tự chủ", 480),
            ("Dự thảo văn bản thẩm định, tờ trình giao tự chủ", 120),
            ("Trình ký, phát hành", 20),
        ),
    ),
    _task(
        "C.09",
        "Kiểm tra việc quản lý, sử dụng kinh phí ngân sách tại cơ quan, đơn vị, địa phương",
        "đợt kiểm tra",
        "meeting",
        "Kiểm tra trực tiếp tại cơ quan, đơn vị, địa phương việc chấp hành chế độ quản lý, sử dụng kinh phí "
        "ngân sách nhà nước theo kế hoạch hoặc đột xuất. Được tính khi có quyết định kiểm tra, lịch làm "
        "việc tại đơn vị và thông báo kết quả kiểm tra.",
        (
            ("Xây dựng kế hoạch, quyết định kiểm tra", 120),
            ("Kiểm tra trực tiếp tại đơn vị", 960),
            ("Dự thảo biên bản, thông báo kết quả kiểm tra", 240),
            ("Theo dõi việc khắc phục sau kiểm tra", 60),
        ),
    ),
    _task(
        "C.10",
        "Lập, tổng hợp kế hoạch đầu tư công trung hạn và hằng năm",
        "kế hoạch",
        "document",
        "Hướng dẫn, tổng hợp đề xuất của chủ đầu tư, địa phương; cân đối nguồn vốn, danh mục dự án và tham "
        "mưu trình HĐND tỉnh quyết định kế hoạch đầu tư công trung hạn, hằng năm theo Luật Đầu tư công 2024; "
        "tham mưu giao, điều chỉnh kế hoạch vốn chi tiết. Được tính khi tờ trình, nghị quyết hoặc quyết định "
        "giao kế hoạch đã được ban hành.",
        (
            ("Hướng dẫn, tiếp nhận đề xuất của chủ đầu tư, địa phương", 480),
            ("Tổng hợp, rà soát, cân đối nguồn vốn và danh mục dự án", 1920),
            ("Dự thảo báo cáo, tờ trình, nghị quyết", 720),
            ("Tham mưu giao kế hoạch vốn chi tiết", 240),
        ),
    ),
    _task(
        "C.11",
        "Thẩm định chủ trương đầu tư, nguồn vốn và khả năng cân đối vốn dự án đầu tư công",
        "dự án",
        "document",
        "Thẩm định sự cần thiết, mục tiêu, quy mô, tổng mức đầu tư, nguồn vốn và khả năng cân đối vốn của dự "
        "án đầu tư công trước khi cấp có thẩm quyền quyết định chủ trương đầu tư theo Luật Đầu tư công 2024. "
        "Được tính khi báo cáo thẩm định đã được phát hành.",
        (
            ("Tiếp nhận, kiểm tra hồ sơ, lấy ý kiến cơ quan liên quan", 120),
            ("Thẩm định sự cần thiết, mục tiêu, quy mô, nguồn vốn", 600),
            ("Dự thảo báo cáo thẩm định, tờ trình", 240),
            ("Hoàn chỉnh hồ sơ trình cấp có thẩm quyền quyết định", 60),
        ),
    ),
    _task(
        "C.12",
        "Thẩm định phương án sắp xếp, thoái vốn, kế hoạch kinh doanh và phân phối lợi nhuận của doanh nghiệp "
        "nhà nước",
        "hồ sơ",
        "document",
        "Thẩm định đề án sắp xếp, thoái vốn, kế hoạch sản xuất kinh doanh và đầu tư phát triển, quỹ tiền "
        "lương và phương án phân phối lợi nhuận của doanh nghiệp do UBND tỉnh làm chủ sở hữu, theo quy định "
        "về quản lý, sử dụng vốn nhà nước tại doanh nghiệp. Được tính khi văn bản thẩm định hoặc tờ trình "
        "đã được phát hành.",
        (
            ("Tiếp nhận, kiểm tra hồ sơ của doanh nghiệp", 60),
            ("Phân tích, thẩm định các chỉ tiêu, phương án", 480),
            ("Dự thảo văn bản thẩm định, tờ trình UBND tỉnh", 120),
        ),
    ),
    _task(
        "C.13",
        "Theo dõi, đôn đốc giải ngân vốn đầu tư công; giám sát, đánh giá đầu tư",
        "báo cáo",
        "document",
        "Thu thập số liệu giải ngân từ chủ đầu tư và Kho bạc Nhà nước, đánh giá tiến độ, khó khăn vướng mắc, "
        "tham mưu văn bản đôn đốc, điều chuyển vốn và báo cáo giám sát, đánh giá đầu tư theo Luật Đầu tư "
        "công 2024. Được tính khi báo cáo hoặc văn bản đôn đốc đã được phát hành.",
        (
            ("Thu thập số liệu giải ngân từ chủ đầu tư, Kho bạc Nhà nước", 120),
            ("Phân tích, đánh giá tiến độ, khó khăn vướng mắc", 180),
            ("Dự thảo báo cáo, văn bản đôn đốc, đề xuất điều chuyển vốn", 120),
        ),
    ),
    _task(
        "C.14",
        "Thẩm tra quyết toán dự án hoàn thành",
        "dự án",
        "document",
        "Thẩm tra hồ sơ, giá trị quyết toán dự án, công trình, hạng mục công trình sử dụng vốn đầu tư công "
        "đã hoàn thành theo Nghị định 99/2021/NĐ-CP. Được tính khi báo cáo thẩm tra và tờ trình hoặc quyết "
        "định phê duyệt quyết toán đã được phát hành. Mỗi dự án (hoặc dự án thành phần) là một sản phẩm.",
        (
            ("Tiếp nhận, kiểm tra tính đầy đủ hồ sơ", 60),
            ("Thẩm tra chi tiết giá trị quyết toán", 960),
            ("Dự thảo báo cáo thẩm tra, tờ trình", 240),
            ("Hoàn chỉnh, trình phê duyệt quyết toán", 90),
        ),
    ),
    _task(
        "C.15",
        "Kiểm tra thực tế hiện trường dự án đầu tư",
        "đợt kiểm tra",
        "meeting",
        "Đi kiểm tra hiện trường, làm việc với chủ đầu tư, nhà thầu, địa phương về tiến độ, khối lượng và "
        "vướng mắc của dự án phục vụ thẩm định, giám sát hoặc thẩm tra quyết toán. Được tính khi chuyến "
        "kiểm tra có trong lịch công tác và có biên bản hoặc báo cáo kết quả kiểm tra.",
        (
            ("Chuẩn bị kế hoạch, hồ sơ, tài liệu kiểm tra", 60),
            ("Kiểm tra hiện trường, làm việc với chủ đầu tư", 240),
            ("Lập biên bản, báo cáo kết quả kiểm tra", 90),
        ),
    ),
    _task(
        "C.16",
        "Thẩm định giá đất cụ thể",
        "hồ sơ",
        "document",
        "Khảo sát thực địa, thu thập thông tin giá thị trường và thẩm định phương án giá đất cụ thể (tính "
        "tiền bồi thường, tiền sử dụng đất, tiền thuê đất, giá khởi điểm đấu giá) trình Hội đồng thẩm định "
        "giá đất theo Luật Đất đai 2024. Được tính khi văn bản thẩm định hoặc tờ trình phê duyệt giá đất "
        "đã được phát hành.",
        (
            ("Tiếp nhận, kiểm tra hồ sơ phương án giá đất", 60),
            ("Khảo sát thực địa, thu thập thông tin giá thị trường", 240),
            ("Thẩm định phương án giá đất, chuẩn bị họp Hội đồng thẩm định giá đất", 480),
            ("Dự thảo văn bản thẩm định, tờ trình phê duyệt giá đất", 120),
        ),
    ),
    _task(
        "C.17",
        "Thẩm định phương án giá hàng hóa, dịch vụ do Nhà nước định giá",
        "hồ sơ",
        "document",
        "Thẩm định căn cứ, phương pháp và mức giá trong phương án giá hàng hóa, dịch vụ thuộc thẩm quyền "
        "định giá của UBND tỉnh theo Luật Giá 2023. Được tính khi văn bản thẩm định hoặc dự thảo quyết định "
        "giá đã được trình, phát hành.",
        (
            ("Tiếp nhận, kiểm tra hồ sơ phương án giá", 30),
            ("Thẩm định căn cứ, phương pháp và mức giá đề xuất", 360),
            ("Dự thảo văn bản thẩm định, quyết định giá", 120),
            ("Trình ký, phát hành", 20),
        ),
    ),
    _task(
        "C.18",
        "Tổ chức hiệp thương giá; tiếp nhận, rà soát hồ sơ kê khai giá",
        "hồ sơ",
        "document",
        "Tiếp nhận, rà soát hồ sơ đề nghị hiệp thương giá và văn bản kê khai giá; tổ chức hội nghị hiệp "
        "thương giữa bên mua và bên bán theo Luật Giá 2023. Được tính khi thông báo kết quả hiệp thương "
        "hoặc văn bản phản hồi kê khai giá đã được phát hành.",
        (
            ("Tiếp nhận, rà soát hồ sơ hiệp thương, kê khai giá", 60),
            ("Tổ chức hội nghị hiệp thương giá", 180),
            ("Dự thảo thông báo kết quả hiệp thương", 60),
        ),
    ),
    _task(
        "C.19",
        "Thẩm định phương án sắp xếp lại, xử lý nhà, đất thuộc sở hữu nhà nước",
        "hồ sơ",
        "document",
        "Tổng hợp phương án đề xuất, kiểm tra hiện trạng và tổ chức họp liên ngành thẩm định phương án sắp "
        "xếp lại, xử lý cơ sở nhà, đất của cơ quan, đơn vị theo Luật Quản lý, sử dụng tài sản công 2017. "
        "Mỗi cơ sở nhà, đất là một hồ sơ. Được tính khi tờ trình hoặc quyết định phê duyệt phương án đã được "
        "phát hành.",
        (
            ("Tiếp nhận, tổng hợp phương án đề xuất", 60),
            ("Kiểm tra hiện trạng nhà, đất tại thực địa", 240),
            ("Tổ chức họp liên ngành, thẩm định phương án", 240),
            ("Dự thảo tờ trình, quyết định phê duyệt phương án", 120),
        ),
    ),
    _task(
        "C.20",
        "Tổ chức mua sắm tài sản công tập trung",
        "gói thầu",
        "document",
        "Tổng hợp nhu cầu, lập dự toán và kế hoạch lựa chọn nhà thầu, tổ chức lựa chọn nhà thầu và ký thỏa "
        "thuận khung mua sắm tập trung theo Luật Quản lý, sử dụng tài sản công 2017 và pháp luật về đấu "
        "thầu. Được tính theo gói thầu khi kết quả lựa chọn nhà thầu đã được phê duyệt.",
        (
            ("Tổng hợp nhu cầu mua sắm của các đơn vị", 240),
            ("Lập, trình phê duyệt dự toán, kế hoạch lựa chọn nhà thầu", 480),
            ("Tổ chức lựa chọn nhà thầu", 960),
            ("Ký thỏa thuận khung, theo dõi thực hiện hợp đồng", 240),
        ),
    ),
    _task(
        "C.21",
        "Thẩm định giao, điều chuyển, thanh lý, bán tài sản công",
        "hồ sơ",
        "document",
        "Thẩm định đề nghị giao, điều chuyển, thanh lý, bán tài sản công (xe ô tô, máy móc, thiết bị) theo "
        "tiêu chuẩn, định mức và hiện trạng tài sản theo Luật Quản lý, sử dụng tài sản công 2017. Được tính "
        "khi quyết định hoặc văn bản xử lý tài sản đã được phát hành và dữ liệu tài sản được cập nhật.",
        (
            ("Tiếp nhận, kiểm tra hồ sơ đề nghị", 30),
            ("Thẩm định tiêu chuẩn, định mức, hiện trạng tài sản", 180),
            ("Dự thảo văn bản, quyết định xử lý tài sản", 90),
            ("Cập nhật Cơ sở dữ liệu quốc gia về tài sản công", 20),
        ),
    ),
    _task(
        "C.22",
        "Giải quyết thủ tục đăng ký doanh nghiệp",
        "hồ sơ",
        "document",
        "Tiếp nhận, kiểm tra tính hợp lệ và xử lý hồ sơ đăng ký thành lập, thay đổi nội dung đăng ký, tạm "
        "ngừng, giải thể doanh nghiệp và đơn vị phụ thuộc theo Luật Doanh nghiệp 2020. Được tính khi giấy "
        "chứng nhận hoặc thông báo yêu cầu sửa đổi, bổ sung hồ sơ đã được cấp trên Hệ thống thông tin quốc "
        "gia về đăng ký doanh nghiệp.",
        (
            ("Tiếp nhận, kiểm tra tính hợp lệ hồ sơ", 20),
            ("Xử lý hồ sơ trên Hệ thống thông tin quốc gia về đăng ký doanh nghiệp", 30),
            ("Cấp giấy chứng nhận hoặc ra thông báo yêu cầu sửa đổi, bổ sung", 15),
        ),
    ),
    _task(
        "C.23",
        "Cấp, điều chỉnh giấy chứng nhận đăng ký đầu tư; thẩm định chấp thuận chủ trương đầu tư dự án ngoài "
        "ngân sách",
        "dự án",
        "document",
        "Tiếp nhận, lấy ý kiến và thẩm định hồ sơ dự án đầu tư sử dụng vốn ngoài ngân sách, kể cả dự án có "
        "vốn đầu tư nước ngoài, để chấp thuận chủ trương đầu tư, cấp hoặc điều chỉnh giấy chứng nhận đăng "
        "ký đầu tư theo Luật Đầu tư 2020. Được tính khi báo cáo thẩm định, quyết định hoặc giấy chứng nhận "
        "đã được phát hành.",
        (
            ("Tiếp nhận, kiểm tra hồ sơ dự án", 60),
            ("Lấy ý kiến thẩm định của cơ quan liên quan", 120),
            ("Thẩm định, lập báo cáo thẩm định", 480),
            ("Dự thảo quyết định, giấy chứng nhận đăng ký đầu tư", 90),
        ),
    ),
    _task(
        "C.24",
        "Giám sát tài chính, đánh giá hiệu quả hoạt động và xếp loại doanh nghiệp nhà nước",
        "báo cáo",
        "document",
        "Rà soát báo cáo tài chính, phân tích các chỉ tiêu bảo toàn, phát triển vốn và hiệu quả hoạt động "
        "của doanh nghiệp do UBND tỉnh làm chủ sở hữu hoặc có vốn nhà nước; lập báo cáo giám sát tài chính "
        "và kết quả xếp loại doanh nghiệp. Được tính khi báo cáo đã được phát hành.",
        (
            ("Tiếp nhận, rà soát báo cáo tài chính của doanh nghiệp", 120),
            ("Phân tích các chỉ tiêu tài chính, hiệu quả hoạt động", 360),
            ("Dự thảo báo cáo giám sát, kết quả xếp loại", 180),
        ),
    ),
    _task(
        "C.25",
        "Thanh tra chuyên ngành tài chính, ngân sách, đầu tư",
        "cuộc thanh tra",
        "meeting",
        "Khảo sát, xây dựng kế hoạch, tiến hành thanh tra trực tiếp tại đơn vị, dự thảo kết luận và theo "
        "dõi việc thực hiện kết luận thanh tra theo Luật Thanh tra 2022. Được tính theo cuộc thanh tra khi "
        "có quyết định thanh tra, biên bản làm việc và kết luận thanh tra được ban hành.",
        (
            ("Khảo sát, xây dựng kế hoạch, quyết định thanh tra", 480),
            ("Tiến hành thanh tra trực tiếp tại đơn vị", 2400),
            ("Dự thảo báo cáo, kết luận thanh tra", 960),
            ("Theo dõi, đôn đốc thực hiện kết luận thanh tra", 240),
        ),
    ),
    _task(
        "C.26",
        "Theo dõi, đánh giá thực hiện Quy hoạch tỉnh và kế hoạch phát triển kinh tế – xã hội",
        "báo cáo",
        "document",
        "Tổng hợp chỉ tiêu từ các sở, ngành, địa phương; đánh giá tình hình thực hiện Quy hoạch tỉnh thời kỳ "
        "2021–2030 theo Luật Quy hoạch 2017; xây dựng kế hoạch phát triển kinh tế – xã hội hằng năm và 5 "
        "năm. Được tính khi báo cáo, kế hoạch hoặc tờ trình đã được phát hành.",
        (
            ("Thu thập, tổng hợp chỉ tiêu từ các sở, ngành, địa phương", 480),
            ("Phân tích, đánh giá tình hình thực hiện", 480),
            ("Dự thảo báo cáo, kế hoạch, tờ trình", 480),
            ("Hoàn chỉnh theo ý kiến góp ý, trình ban hành", 240),
        ),
    ),
    # --- D. Công việc khác -----------------------------------------------------------------------------
    _task(
        "D.01",
        "Học tập, bồi dưỡng, tập huấn nâng cao trình độ",
        "buổi",
        "none",
        "Tham gia lớp đào tạo, bồi dưỡng, tập huấn chuyên môn, lý luận chính trị theo quyết định cử đi học "
        "hoặc tự nghiên cứu tài liệu nghiệp vụ theo yêu cầu của lãnh đạo. Được tính theo buổi học có trong "
        "quyết định cử đi học hoặc lịch tập huấn.",
        (
            ("Tham gia lớp học, tập huấn", 210),
            ("Tự nghiên cứu tài liệu, viết thu hoạch", 30),
        ),
    ),
    _task(
        "D.02",
        "Sinh hoạt chi bộ, hoạt động công đoàn, đoàn thanh niên",
        "buổi",
        "meeting",
        "Tham gia sinh hoạt chi bộ định kỳ, sinh hoạt chuyên đề và các hoạt động của công đoàn, đoàn thanh "
        "niên cơ quan. Được tính khi buổi sinh hoạt có trong lịch công tác hoặc thông báo của tổ chức đoàn "
        "thể.",
        (
            ("Chuẩn bị nội dung sinh hoạt", 30),
            ("Tham gia sinh hoạt, hoạt động", 120),
        ),
    ),
    _task(
        "D.03",
        "Thực hiện nhiệm vụ đột xuất do lãnh đạo giao",
        "nhiệm vụ",
        "none",
        "Nhiệm vụ phát sinh ngoài danh mục công việc chuẩn do lãnh đạo Sở, lãnh đạo phòng giao trực tiếp. "
        "Được tính khi lãnh đạo xác nhận kết quả trên hệ thống. Nhiệm vụ lặp lại thường xuyên cần được đề "
        "nghị bổ sung vào danh mục công việc chuẩn.",
        (
            ("Tiếp nhận, nghiên cứu yêu cầu nhiệm vụ", 30),
            ("Thực hiện nhiệm vụ", 180),
            ("Báo cáo kết quả cho lãnh đạo", 20),
        ),
    ),
    _task(
        "D.04",
        "Trực cơ quan, trực lễ, Tết, trực phòng chống thiên tai",
        "ca trực",
        "none",
        "Trực cơ quan ngoài giờ, ngày nghỉ, lễ, Tết hoặc trực phòng chống thiên tai, tìm kiếm cứu nạn theo "
        "lịch phân công. Được tính theo ca trực có trong lịch trực và sổ trực.",
        (
            ("Nhận bàn giao ca trực", 10),
            ("Thực hiện nhiệm vụ trực, xử lý tình huống phát sinh", 420),
            ("Ghi sổ trực, bàn giao ca", 15),
        ),
    ),
)


# ---------------------------------------------------------------------------------------------------------
# Sở Tài chính (STC) — declared tasks (đầu việc kê khai), grouped by the standard task they were merged into
# ---------------------------------------------------------------------------------------------------------

_STC_DECLARED_BY_TASK: dict[str, tuple[tuple[str, str], ...]] = {
    "A.01": (
        ("BGD", "Lãnh đạo, chỉ đạo, điều hành chung hoạt động của Sở"),
        ("BGD", "Chỉ đạo, điều hành lĩnh vực ngân sách, giá, công sản theo phân công của Giám đốc"),
        ("BGD", "Phụ trách, chỉ đạo lĩnh vực đầu tư công, đăng ký doanh nghiệp"),
        ("BGD", "Điều hành công việc hằng ngày của Sở"),
        ("TTR", "Lãnh đạo, điều hành hoạt động của Thanh tra Sở"),
        ("NS", "Quản lý, điều hành chung công việc của Phòng Quản lý Ngân sách"),
        ("DT", "Điều hành hoạt động của phòng QLĐT"),
    ),
    "A.02": (
        ("BGD", "Chủ trì họp giao ban Ban Giám đốc hằng tuần"),
        ("BGD", "Chủ trì họp giao ban tháng toàn Sở"),
        ("BGD", "Chủ trì họp chuyên đề về giải ngân vốn đầu tư công"),
        ("GCS", "Chủ trì họp giao ban phòng đầu tuần"),
        ("TH", "Tổ chức họp phòng triển khai nhiệm vụ tháng"),
    ),
    "A.03": (
        ("BGD", "Phân công, giao việc cho các phòng theo lĩnh vực phụ trách"),
        ("BGD", "Đánh giá, xếp loại chất lượng trưởng phòng hằng tháng"),
        ("NS", "Phân công nhiệm vụ, kiểm tra tiến độ công việc của công chức trong phòng"),
        ("DN", "Duyệt nhật ký công việc, chấm điểm KPI công chức phòng"),
        ("VP", "Đánh giá kết quả thực hiện nhiệm vụ hằng tháng của công chức, người lao động Văn phòng"),
    ),
    "A.04": (
        ("BGD", "Ký duyệt văn bản, hồ sơ trình ký"),
        ("BGD", "Xem xét, ký ban hành văn bản của Sở"),
        ("DT", "Kiểm tra, ký nháy văn bản trước khi trình lãnh đạo Sở"),
        ("TCDN", "Rà soát nội dung, thể thức dự thảo văn bản của chuyên viên trước khi trình ký"),
        ("TTR", "Duyệt dự thảo kết luận, văn bản của Thanh tra trước khi trình Giám đốc"),
    ),
    "A.05": (
        ("BGD", "Tiếp công dân định kỳ theo lịch của Giám đốc Sở"),
        ("BGD", "Tiếp công dân định kỳ hằng tháng tại trụ sở Sở"),
        ("BGD", "Tiếp và đối thoại với công dân về giá đất bồi thường dự án Khu đô thị mới Cam Lâm"),
        ("TTR", "Tham gia cùng lãnh đạo Sở tiếp công dân định kỳ"),
    ),
    "A.06": (
        ("BGD", "Dự họp UBND tỉnh thường kỳ tháng"),
        ("BGD", "Tham dự kỳ họp HĐND tỉnh, giải trình chất vấn về ngân sách"),
        ("BGD", "Dự họp Ban Thường vụ Tỉnh ủy cho ý kiến về kế hoạch đầu tư công"),
        ("BGD", "Làm việc với Bộ Tài chính về bổ sung có mục tiêu từ NSTW cho tỉnh"),
        ("BGD", "Dự họp Ban Chỉ đạo các công trình, dự án trọng điểm của tỉnh"),
    ),
    "B.01": (
        ("VP", "Soạn thảo công văn trả lời đơn vị"),
        ("NS", "Soạn văn bản hướng dẫn các đơn vị sử dụng nguồn kinh phí tiết kiệm chi thường xuyên"),
        (
            "NS",
            "Trả lời công văn của UBND thị xã Ninh Hòa về nguồn kinh phí thực hiện chính sách an sinh xã hội",
        ),
        ("DT", "Soạn văn bản hướng dẫn chủ đầu tư thủ tục điều chỉnh kế hoạch vốn"),
        ("GCS", "Trả lời Sở Y tế về tiêu chuẩn, định mức máy móc, thiết bị chuyên dùng"),
        ("GCS", "Văn bản trả lời đơn vị về định mức xe ô tô phục vụ công tác chung"),
        ("TCDN", "Hướng dẫn doanh nghiệp nhà nước lập báo cáo tài chính, báo cáo giám sát theo quy định"),
        ("DN", "Trả lời doanh nghiệp về thủ tục đăng ký thay đổi ngành nghề kinh doanh"),
        ("TH", "Soạn CV trả lời các sở, ngành về số liệu kinh tế – xã hội"),
    ),
    "B.02": (
        (
            "NS",
            "Tham mưu trả lời kiến nghị cử tri trước kỳ họp HĐND tỉnh về chế độ phụ cấp người hoạt động "
            "không chuyên trách cấp xã",
        ),
        ("DT", "Trả lời kiến nghị cử tri huyện Khánh Sơn về bố trí vốn đường liên xã"),
        ("GCS", "Trả lời kiến nghị của cử tri Vạn Ninh về giá nước sạch sinh hoạt"),
        ("DN", "Tham mưu văn bản trả lời kiến nghị của doanh nghiệp tại Hội nghị gặp gỡ doanh nghiệp quý"),
        ("DN", "Trả lời kiến nghị Hiệp hội Du lịch Nha Trang – Khánh Hòa về thủ tục đầu tư"),
        ("VP", "Tổng hợp, trả lời kiến nghị của cử tri gửi đến Sở"),
        ("TH", "Trả lời kiến nghị cử tri về tiến độ thực hiện Quy hoạch tỉnh"),
    ),
    "B.03": (
        ("NS", "Góp ý dự thảo Nghị quyết HĐND tỉnh quy định chế độ chi tiếp khách"),
        ("DT", "Góp ý dự thảo Nghị định hướng dẫn Luật Đầu tư công"),
        ("GCS", "Góp ý dự thảo quyết định điều chỉnh bảng giá đất của UBND tỉnh"),
        ("VP", "Góp ý dự thảo văn bản QPPL do các sở gửi lấy ý kiến"),
        ("TTR", "Góp ý dự thảo Quy chế phối hợp thanh tra, kiểm tra trên địa bàn tỉnh"),
        ("TCDN", "Góp ý dự thảo Điều lệ tổ chức và hoạt động Công ty Xổ số kiến thiết Khánh Hòa"),
        ("TH", "Cho ý kiến dự thảo Kế hoạch hành động thực hiện Nghị quyết của Tỉnh ủy"),
    ),
    "B.04": (
        (
            "NS",
            "Chủ trì xây dựng Nghị quyết HĐND tỉnh về phân cấp nguồn thu, nhiệm vụ chi giai đoạn 2026–2030",
        ),
        (
            "NS",
            "Soạn thảo Nghị quyết quy định định mức phân bổ dự toán chi thường xuyên ngân sách địa phương "
            "năm 2026",
        ),
        (
            "GCS",
            "Xây dựng Quyết định của UBND tỉnh quy định tiêu chuẩn, định mức sử dụng máy móc, thiết bị "
            "chuyên dùng",
        ),
        ("GCS", "Xây dựng quy định phân cấp thẩm quyền quản lý tài sản công trên địa bàn tỉnh"),
        (
            "DT",
            "Xây dựng Nghị quyết HĐND tỉnh về nguyên tắc, tiêu chí phân bổ vốn đầu tư công trung hạn "
            "2026–2030",
        ),
    ),
    "B.05": (
        ("NS", "Báo cáo tình hình thực hiện dự toán ngân sách tháng"),
        ("NS", "Báo cáo quý về tình hình thu, chi NSNN"),
        ("DT", "Báo cáo 6 tháng công tác đấu thầu trên địa bàn tỉnh"),
        ("VP", "Báo cáo công tác tháng, quý của Sở"),
        ("VP", "BC tuần gửi VP UBND tỉnh"),
        ("TTR", "Báo cáo công tác thanh tra, tiếp công dân, giải quyết KNTC định kỳ quý"),
        ("DN", "Báo cáo tình hình đăng ký doanh nghiệp hằng tháng"),
        ("TCDN", "Báo cáo tình hình sắp xếp, đổi mới doanh nghiệp nhà nước 6 tháng, năm"),
        ("GCS", "Báo cáo tình hình giá cả thị trường hằng tháng"),
        ("TH", "Báo cáo tình hình kinh tế – xã hội tháng"),
    ),
    "B.06": (
        ("NS", "Báo cáo đột xuất theo yêu cầu của UBND tỉnh về tình hình nợ đọng xây dựng cơ bản"),
        ("DT", "Báo cáo Đoàn giám sát của HĐND tỉnh về các dự án chậm tiến độ"),
        ("GCS", "Báo cáo chuyên đề về kết quả sắp xếp lại nhà, đất trên địa bàn tỉnh gửi Bộ Tài chính"),
        ("TH", "Báo cáo phục vụ Đoàn công tác của Chính phủ làm việc với tỉnh"),
        ("VP", "Tổng hợp báo cáo của Sở phục vụ Đoàn kiểm tra của Tỉnh ủy"),
        (
            "TCDN",
            "Báo cáo đột xuất về tình hình tài chính của doanh nghiệp có vốn nhà nước theo yêu cầu "
            "của Tỉnh ủy",
        ),
    ),
    "B.07": (
        ("NS", "Tham dự họp tại Văn phòng UBND tỉnh về kinh phí phòng, chống dịch bệnh"),
        ("DT", "Dự họp tại Sở Xây dựng về hồ sơ dự án Đường ven biển đoạn qua Cam Ranh"),
        ("GCS", "Dự họp Hội đồng thẩm định bảng giá đất tỉnh"),
        ("VP", "Dự hội nghị trực tuyến của Bộ Tài chính"),
        ("TTR", "Tham dự hội nghị tổng kết công tác thanh tra năm của Thanh tra tỉnh"),
        ("DN", "Dự Hội nghị xúc tiến đầu tư tỉnh Khánh Hòa"),
        ("TH", "Tham dự hội thảo về Quy hoạch tỉnh tại UBND tỉnh"),
        ("TCDN", "Dự họp Đại hội đồng cổ đông thường niên của doanh nghiệp có vốn nhà nước"),
    ),
    "B.08": (
        ("VP", "Tiếp nhận, phân loại văn bản đến trên E-Office"),
        ("NS", "Xử lý văn bản đến"),
        ("DT", "Nhận và xử lý văn bản đến được phân công trên hệ thống quản lý văn bản"),
        ("GCS", "Đọc, nghiên cứu văn bản đến, đề xuất xử lý"),
        ("BGD", "Xem xét, bút phê phân công xử lý văn bản đến"),
        ("TH", "Xử lý vb đến"),
    ),
    "B.09": (
        ("TTR", "Xác minh nội dung đơn tố cáo của công dân phường Vĩnh Hải, Nha Trang"),
        ("TTR", "Giải quyết đơn khiếu nại về giá bồi thường dự án Đường Vành đai 4 Nha Trang"),
        ("TTR", "Tham mưu giải quyết khiếu nại, tố cáo thuộc thẩm quyền Giám đốc Sở"),
        ("TTR", "Xử lý đơn thư kiến nghị, phản ánh"),
        ("GCS", "Xác minh đơn phản ánh về việc bán thanh lý tài sản tại trường học ở Diên Khánh"),
        ("VP", "Tiếp nhận, phân loại đơn thư gửi đến Sở"),
    ),
    "B.10": (
        ("VP", "Rà soát, cập nhật TTHC của Sở"),
        ("VP", "Xây dựng kế hoạch cải cách hành chính năm của Sở"),
        ("DN", "Rà soát, đề xuất đơn giản hóa thủ tục đăng ký doanh nghiệp"),
        ("GCS", "Rà soát, công bố thủ tục hành chính lĩnh vực giá, công sản"),
        ("VP", "Tự đánh giá, chấm điểm chỉ số cải cách hành chính của Sở"),
    ),
    "B.11": (
        ("VP", "Quản trị hệ thống mạng, máy tính của Sở"),
        ("VP", "Cập nhật thông tin lên Cổng thông tin điện tử Sở Tài chính"),
        ("GCS", "Nhập dữ liệu giá thị trường lên Cơ sở dữ liệu về giá"),
        ("DN", "Số hóa hồ sơ đăng ký doanh nghiệp lưu trữ giấy"),
        ("DT", "Cập nhật thông tin dự án lên Hệ thống thông tin quốc gia về đầu tư công"),
        ("VP", "Hỗ trợ công chức sử dụng phần mềm KPI, E-Office"),
    ),
    "B.12": (
        ("VP", "Vào sổ, đóng dấu, phát hành văn bản đi"),
        ("VP", "Chỉnh lý tài liệu lưu trữ năm 2023 của Sở Kế hoạch và Đầu tư cũ"),
        ("VP", "Lập hồ sơ công việc, nộp lưu vào lưu trữ cơ quan"),
        ("NS", "Sắp xếp, lập hồ sơ lưu trữ tài liệu của phòng"),
        ("DT", "Lưu hồ sơ quyết toán dự án hoàn thành năm 2024"),
    ),
    "B.13": (
        ("VP", "Tổng hợp hồ sơ đề nghị khen thưởng cuối năm"),
        ("VP", "Tham mưu Hội đồng thi đua – khen thưởng Sở bình xét danh hiệu thi đua năm 2024"),
        (
            "VP",
            "Dự thảo Quyết định tặng Giấy khen cho tập thể, cá nhân có thành tích hoàn thành dự toán thu "
            "ngân sách",
        ),
        ("NS", "Lập hồ sơ đề nghị tặng Bằng khen UBND tỉnh cho tập thể Phòng Quản lý Ngân sách"),
    ),
    "B.14": (
        ("VP", "Tham mưu nâng bậc lương thường xuyên, trước thời hạn cho công chức"),
        ("VP", "Xây dựng đề án vị trí việc làm của Sở sau hợp nhất"),
        ("VP", "Thực hiện quy trình bổ nhiệm lại Phó Trưởng phòng"),
        ("VP", "Cử công chức đi đào tạo, bồi dưỡng"),
        ("VP", "Rà soát, bố trí, sắp xếp công chức sau hợp nhất Sở Tài chính và Sở Kế hoạch và Đầu tư"),
    ),
    "C.01": (
        ("NS", "Xây dựng dự toán NSNN năm 2026 và kế hoạch tài chính – ngân sách 3 năm 2026–2028"),
        ("NS", "Lập dự toán thu, chi ngân sách tỉnh năm 2026 trình HĐND tỉnh"),
        ("NS", "Xây dựng phương án phân bổ dự toán chi thường xuyên NS tỉnh"),
        ("NS", "Tham mưu giao dự toán ngân sách cho các đơn vị đầu năm"),
        ("BGD", "Chỉ đạo xây dựng dự toán NSĐP năm 2026"),
        ("TH", "Phối hợp tổng hợp cân đối chi đầu tư phát triển trong dự toán ngân sách"),
    ),
    "C.02": (
        ("NS", "Thẩm định dự toán năm 2026 của Sở Y tế"),
        ("NS", "Thảo luận dự toán năm 2026 với Sở Giáo dục và Đào tạo"),
        ("NS", "Thẩm định dự toán đơn vị cấp tỉnh"),
        ("NS", "TĐ DTNS năm của các đơn vị khối Đảng, đoàn thể"),
        ("NS", "Thẩm định dự toán chi thường xuyên của Ban Quản lý Khu kinh tế Vân Phong"),
    ),
    "C.03": (
        ("NS", "Thẩm định đề nghị bổ sung kinh phí khắc phục hậu quả mưa lũ cho các địa phương"),
        ("NS", "Bổ sung dự toán kinh phí tổ chức Festival Biển Nha Trang"),
        ("NS", "Thẩm định đề nghị bổ sung kinh phí mua thuốc, vật tư y tế cho Bệnh viện Đa khoa tỉnh"),
        ("NS", "Điều chỉnh dự toán giữa các nhiệm vụ chi của Sở Nông nghiệp và Môi trường"),
        ("NS", "Tham mưu sử dụng dự phòng ngân sách tỉnh hỗ trợ huyện đảo Trường Sa"),
    ),
    "C.04": (
        ("NS", "Xét duyệt quyết toán năm 2024 của Sở Văn hóa, Thể thao và Du lịch"),
        ("NS", "Thẩm định quyết toán ngân sách năm 2024 các đơn vị dự toán cấp I"),
        ("NS", "Thông báo thẩm định quyết toán năm của Trường Cao đẳng Y tế Khánh Hòa"),
        ("NS", "Thẩm định báo cáo quyết toán kinh phí hoạt động của Văn phòng Đoàn ĐBQH và HĐND tỉnh"),
    ),
    "C.05": (
        ("NS", "Thẩm tra quyết toán ngân sách huyện Cam Lâm năm 2024"),
        ("NS", "Thẩm tra quyết toán NS huyện Khánh Vĩnh"),
        ("NS", "Thẩm tra quyết toán ngân sách thành phố Cam Ranh năm 2024"),
        ("NS", "Thẩm định quyết toán ngân sách huyện đảo Trường Sa"),
        ("NS", "Thông báo kết quả thẩm tra quyết toán ngân sách thị xã Ninh Hòa"),
        ("NS", "Thẩm tra quyết toán ngân sách huyện Vạn Ninh năm 2024"),
    ),
    "C.06": (
        ("NS", "Lập báo cáo quyết toán NSĐP năm 2024 trình HĐND tỉnh phê chuẩn"),
        ("NS", "Tổng hợp quyết toán thu, chi ngân sách địa phương năm"),
        ("NS", "Giải trình số liệu quyết toán ngân sách địa phương với Đoàn Kiểm toán nhà nước"),
        ("NS", "Dự thảo Nghị quyết HĐND tỉnh phê chuẩn quyết toán NSĐP năm 2024"),
    ),
    "C.07": (
        ("NS", "Xây dựng kế hoạch vay, trả nợ của chính quyền địa phương năm 2026"),
        ("NS", "Theo dõi, báo cáo tình hình vay và trả nợ vay lại vốn ODA"),
        (
            "DT",
            "Thẩm định đề nghị vay lại vốn vay ODA dự án Môi trường bền vững các thành phố duyên hải – tiểu "
            "dự án Nha Trang",
        ),
        ("TH", "Tổng hợp dư nợ chính quyền địa phương báo cáo Bộ Tài chính"),
    ),
    "C.08": (
        (
            "NS",
            "Thẩm định phương án tự chủ tài chính của Bệnh viện Đa khoa tỉnh Khánh Hòa giai đoạn 2026–2030",
        ),
        ("NS", "Thẩm định phương án tự chủ tài chính các trường THPT thuộc Sở GD&ĐT"),
        ("NS", "Thẩm định PA tự chủ tài chính đơn vị sự nghiệp công lập"),
        ("NS", "Thẩm định phương án tự chủ tài chính của Báo và Phát thanh, Truyền hình Khánh Hòa"),
    ),
    "C.09": (
        ("NS", "Kiểm tra việc sử dụng kinh phí sự nghiệp giáo dục tại huyện Khánh Sơn"),
        ("NS", "Kiểm tra tình hình quản lý, sử dụng kinh phí tại Trung tâm Y tế huyện Vạn Ninh"),
        ("TTR", "Kiểm tra việc chấp hành chế độ tài chính tại các đơn vị sự nghiệp"),
        ("TTR", "Kiểm tra công tác quản lý tài chính, ngân sách tại UBND xã Cam Hải Đông"),
        ("GCS", "Kiểm tra việc quản lý, sử dụng kinh phí mua sắm tài sản tại Sở Giáo dục và Đào tạo"),
    ),
    "C.10": (
        ("DT", "Xây dựng kế hoạch đầu tư công trung hạn 5 năm 2026–2030"),
        ("DT", "Lập kế hoạch đầu tư công năm 2026 nguồn ngân sách tỉnh"),
        ("DT", "Tổng hợp nhu cầu vốn đầu tư công của các địa phương"),
        ("DT", "Tham mưu giao chi tiết kế hoạch vốn đầu tư công năm 2025"),
        ("DT", "Điều chỉnh kế hoạch đầu tư công năm 2025 giữa các dự án"),
        ("TH", "Cân đối nguồn vốn đầu tư từ tiền sử dụng đất trong kế hoạch đầu tư công"),
    ),
    "C.11": (
        ("DT", "Thẩm định chủ trương đầu tư dự án Đường Vành đai 4 Nha Trang"),
        ("DT", "Thẩm định nguồn vốn và khả năng cân đối vốn dự án mở rộng Trường THPT Cam Lâm"),
        ("DT", "Thẩm định chủ trương đầu tư dự án kè chống sạt lở bờ sông Cái Nha Trang"),
        ("DT", "Thẩm định CTĐT dự án nâng cấp tuyến đường liên xã huyện Khánh Sơn"),
        ("DT", "Thẩm định điều chỉnh chủ trương đầu tư dự án Bệnh viện Đa khoa khu vực Ninh Hòa"),
        ("DT", "Thẩm định chủ trương đầu tư các dự án nhóm C sử dụng vốn ngân sách tỉnh"),
    ),
    "C.12": (
        (
            "TCDN",
            "Thẩm định phương án thoái vốn nhà nước tại công ty cổ phần có vốn nhà nước trên địa bàn tỉnh",
        ),
        (
            "TCDN",
            "Thẩm định kế hoạch sản xuất kinh doanh và đầu tư phát triển năm 2025 của Công ty Yến "
            "sào Khánh Hòa",
        ),
        ("TCDN", "Thẩm định quỹ tiền lương, thù lao của người quản lý doanh nghiệp nhà nước"),
        ("TCDN", "Thẩm định phương án phân phối lợi nhuận năm 2024 của Công ty Xổ số kiến thiết Khánh Hòa"),
        ("TCDN", "Rà soát, thẩm định đề án sắp xếp lại doanh nghiệp nhà nước do UBND tỉnh quản lý"),
    ),
    "C.13": (
        ("DT", "Báo cáo tình hình giải ngân vốn đầu tư công hằng tháng"),
        ("DT", "Đôn đốc chủ đầu tư đẩy nhanh giải ngân vốn"),
        ("DT", "Theo dõi giải ngân vốn các dự án trọng điểm của tỉnh"),
        ("DT", "Tổng hợp báo cáo giám sát, đánh giá tổng thể đầu tư năm 2024"),
        ("DT", "Đề xuất điều chuyển vốn từ dự án giải ngân chậm sang dự án có nhu cầu"),
        ("TH", "Tổng hợp số liệu giải ngân phục vụ họp Tổ công tác của UBND tỉnh"),
    ),
    "C.14": (
        ("DT", "Thẩm tra quyết toán dự án đường ven biển Cam Ranh"),
        ("DT", "Thẩm tra QTDA hoàn thành Trường Tiểu học Vĩnh Lương"),
        ("DT", "Thẩm tra quyết toán dự án hoàn thành"),
        ("DT", "Thẩm tra, trình phê duyệt quyết toán dự án Hồ chứa nước Sông Chò 1"),
        ("DT", "Thẩm tra quyết toán dự án hoàn thành Kè chống sạt lở bờ biển Ninh Hải, Ninh Hòa"),
        ("DT", "QTDA HT công trình Trạm y tế xã Sơn Thái, huyện Khánh Vĩnh"),
        (
            "DT",
            "Thẩm tra quyết toán dự án thành phần bồi thường, hỗ trợ, tái định cư Khu tái định cư Ninh Thủy",
        ),
        ("DT", "Thẩm tra quyết toán các công trình nông thôn mới huyện Diên Khánh"),
        ("DT", "Lập tờ trình phê duyệt quyết toán dự án Trung tâm Văn hóa – Thể thao huyện Vạn Ninh"),
    ),
    "C.15": (
        ("DT", "Kiểm tra hiện trường dự án Đường Vành đai 4 Nha Trang"),
        ("DT", "Đi kiểm tra thực tế tiến độ thi công dự án kè sông Cái đoạn qua Diên Khánh"),
        ("DT", "Kiểm tra thực tế công trình trước khi thẩm tra quyết toán"),
        ("BGD", "Đi kiểm tra hiện trường các dự án trọng điểm tại Cam Lâm, Cam Ranh"),
        ("TH", "Khảo sát thực tế tình hình thực hiện dự án tại huyện Khánh Sơn"),
    ),
    "C.16": (
        ("GCS", "Thẩm định giá đất cụ thể dự án Khu đô thị mới Cam Lâm"),
        ("GCS", "Thẩm định giá đất tính tiền bồi thường dự án Đường Vành đai 4 Nha Trang"),
        ("GCS", "Thẩm định phương án giá đất cụ thể"),
        ("GCS", "Chuẩn bị hồ sơ họp Hội đồng thẩm định giá đất tỉnh"),
        ("GCS", "TĐ giá đất khởi điểm đấu giá quyền sử dụng đất lô đất tại khu dân cư Hòn Xện, Nha Trang"),
        ("GCS", "Thẩm định giá đất để tính tiền thuê đất dự án du lịch tại Bãi Dài, Cam Ranh"),
    ),
    "C.17": (
        ("GCS", "Thẩm định phương án giá nước sạch sinh hoạt trên địa bàn thành phố Nha Trang"),
        ("GCS", "Thẩm định giá dịch vụ khám bệnh, chữa bệnh tại các cơ sở y tế công lập"),
        ("GCS", "Thẩm định giá dịch vụ thu gom, vận chuyển, xử lý rác thải sinh hoạt tại huyện Cam Lâm"),
        ("GCS", "Thẩm định PA giá vé tham quan Khu di tích Tháp Bà Ponagar"),
        ("GCS", "Thẩm định phương án giá hàng hóa, dịch vụ do UBND tỉnh định giá"),
    ),
    "C.18": (
        ("GCS", "Tổ chức hiệp thương giá cát san lấp giữa nhà thầu và doanh nghiệp khai thác"),
        ("GCS", "Tiếp nhận, rà soát văn bản kê khai giá của doanh nghiệp"),
        ("GCS", "Hiệp thương giá"),
        ("GCS", "Rà soát hồ sơ kê khai giá dịch vụ lưu trú du lịch dịp Tết"),
    ),
    "C.19": (
        ("GCS", "Thẩm định phương án sắp xếp lại, xử lý nhà đất của các cơ quan sau sáp nhập"),
        ("GCS", "Kiểm tra hiện trạng cơ sở nhà, đất dôi dư của UBND huyện Diên Khánh sau sắp xếp"),
        ("GCS", "Xây dựng phương án xử lý trụ sở dôi dư của các huyện, xã sau sắp xếp đơn vị hành chính"),
        ("GCS", "Họp liên ngành thẩm định phương án sắp xếp nhà đất khối tỉnh"),
        ("GCS", "Thẩm định PA xử lý cơ sở nhà đất số 4 Phan Chu Trinh, Nha Trang"),
        ("BGD", "Chủ trì làm việc về phương án xử lý trụ sở cũ của Sở Kế hoạch và Đầu tư"),
    ),
    "C.20": (
        ("GCS", "Tổ chức mua sắm tập trung máy tính cho các cơ quan, đơn vị năm 2025"),
        ("GCS", "Tổng hợp nhu cầu mua sắm tập trung năm 2026"),
        ("GCS", "Lập kế hoạch lựa chọn nhà thầu gói mua sắm tập trung thiết bị y tế"),
        ("GCS", "Mua sắm tập trung xe ô tô chuyên dùng"),
    ),
    "C.21": (
        ("GCS", "Thẩm định điều chuyển xe ô tô từ các sở sau hợp nhất"),
        ("GCS", "Thanh lý tài sản hư hỏng tại Trường THPT Nguyễn Văn Trỗi, Nha Trang"),
        ("GCS", "Thẩm định hồ sơ bán tài sản công"),
        ("GCS", "Tham mưu quyết định giao tài sản cho Trung tâm Kiểm soát bệnh tật tỉnh"),
        ("VP", "Lập hồ sơ đề nghị thanh lý tài sản, trang thiết bị hư hỏng của Sở"),
    ),
    "C.22": (
        ("DN", "Cấp giấy chứng nhận đăng ký doanh nghiệp"),
        ("DN", "Giải quyết hồ sơ đăng ký thành lập mới doanh nghiệp"),
        ("DN", "Đăng ký thay đổi nội dung ĐKDN"),
        ("DN", "Xử lý hồ sơ tạm ngừng kinh doanh, giải thể doanh nghiệp"),
        ("DN", "Cấp GCN đăng ký hoạt động chi nhánh, văn phòng đại diện"),
        ("DN", "Tiếp nhận, xử lý hồ sơ đăng ký doanh nghiệp qua mạng"),
        ("DN", "Ra thông báo yêu cầu sửa đổi, bổ sung hồ sơ đăng ký doanh nghiệp"),
    ),
    "C.23": (
        (
            "DN",
            "Thẩm định hồ sơ chấp thuận chủ trương đầu tư dự án khu du lịch nghỉ dưỡng Bắc bán đảo Cam Ranh",
        ),
        ("DN", "Cấp GCN đăng ký đầu tư dự án nhà máy chế biến thủy sản vốn Hàn Quốc tại Ninh Hòa"),
        ("DN", "Điều chỉnh giấy chứng nhận đăng ký đầu tư"),
        ("DN", "Thẩm định điều chỉnh tiến độ dự án đầu tư ngoài ngân sách"),
        ("DN", "Thẩm định hồ sơ đề nghị chấp thuận nhà đầu tư dự án nhà ở xã hội tại Cam Ranh"),
        ("TH", "Góp ý sự phù hợp với Quy hoạch tỉnh của các dự án đầu tư ngoài ngân sách"),
    ),
    "C.24": (
        ("TCDN", "Giám sát tài chính 6 tháng, năm của doanh nghiệp nhà nước"),
        ("TCDN", "Đánh giá, xếp loại doanh nghiệp năm 2024"),
        ("TCDN", "Phân tích báo cáo tài chính Công ty TNHH MTV Xổ số kiến thiết Khánh Hòa"),
        ("TCDN", "Lập báo cáo giám sát tài chính doanh nghiệp có vốn nhà nước"),
        ("TCDN", "Giám sát việc bảo toàn, phát triển vốn nhà nước tại doanh nghiệp"),
    ),
    "C.25": (
        ("TTR", "Thanh tra việc quản lý, sử dụng NSNN tại huyện Vạn Ninh"),
        ("TTR", "Thanh tra chuyên ngành về giá tại doanh nghiệp kinh doanh xăng dầu"),
        ("TTR", "Thanh tra công tác đấu thầu dự án đầu tư công tại Ban QLDA"),
        ("TTR", "Dự thảo kết luận thanh tra"),
        ("TTR", "Theo dõi, đôn đốc thực hiện kết luận thanh tra"),
        (
            "TTR",
            "Tiến hành thanh tra tại Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công "
            "nghiệp tỉnh",
        ),
        ("TTR", "Xây dựng kế hoạch thanh tra năm 2026 của Sở"),
    ),
    "C.26": (
        ("TH", "Theo dõi, đánh giá tình hình thực hiện Quy hoạch tỉnh Khánh Hòa thời kỳ 2021–2030"),
        ("TH", "Xây dựng kế hoạch phát triển kinh tế – xã hội năm 2026"),
        ("TH", "Xây dựng kế hoạch phát triển KT-XH 5 năm 2026–2030"),
        ("TH", "Rà soát, điều chỉnh Quy hoạch tỉnh sau hợp nhất tỉnh Khánh Hòa và tỉnh Ninh Thuận"),
        ("TH", "Tổng hợp chỉ tiêu tăng trưởng GRDP quý"),
        ("TH", "Xây dựng kịch bản tăng trưởng kinh tế năm 2025"),
    ),
    "D.01": (
        ("VP", "Tham gia lớp bồi dưỡng kiến thức quản lý nhà nước ngạch chuyên viên chính"),
        ("NS", "Dự tập huấn nghiệp vụ quản lý ngân sách do Bộ Tài chính tổ chức"),
        ("DT", "Tập huấn Luật Đầu tư công 2024"),
        ("GCS", "Học tập, nghiên cứu Luật Giá 2023 và các văn bản hướng dẫn"),
        ("DN", "Tham gia lớp trung cấp lý luận chính trị"),
        ("TTR", "Tự nghiên cứu tài liệu nghiệp vụ"),
    ),
    "D.02": (
        ("VP", "Sinh hoạt chi bộ định kỳ"),
        ("VP", "Tổ chức hoạt động công đoàn nhân ngày Quốc tế Phụ nữ 8/3"),
        ("TH", "Tham gia hoạt động Đoàn thanh niên Sở"),
        ("NS", "Sinh hoạt chuyên đề chi bộ"),
    ),
    "D.03": (
        ("BGD", "Thực hiện nhiệm vụ đột xuất do UBND tỉnh giao"),
        ("NS", "Nhiệm vụ đột xuất lãnh đạo Sở giao"),
        ("DT", "Tham gia Tổ công tác tháo gỡ khó khăn, vướng mắc cho các dự án của tỉnh"),
        ("VP", "Chuẩn bị hậu cần phục vụ Đoàn công tác của Bộ Tài chính"),
    ),
    "D.04": (
        ("VP", "Trực cơ quan ngày nghỉ, lễ, Tết"),
        ("VP", "Trực Tết Nguyên đán Ất Tỵ 2025"),
        ("TCDN", "Trực ban phòng, chống thiên tai và tìm kiếm cứu nạn"),
        ("DN", "Trực cơ quan theo lịch phân công"),
    ),
}

STC_DECLARED: tuple[DemoDeclared, ...] = _declared(_STC_DECLARED_BY_TASK)


# ---------------------------------------------------------------------------------------------------------
# Sở Xây dựng (SXD) — a smaller catalog
# ---------------------------------------------------------------------------------------------------------

SXD_TASKS: tuple[DemoTask, ...] = (
    _task(
        "A.01",
        "Chủ trì họp giao ban, họp chuyên đề",
        "cuộc họp",
        "meeting",
        "Lãnh đạo Sở, lãnh đạo phòng chủ trì họp giao ban định kỳ hoặc họp chuyên đề để giải quyết công "
        "việc. Được tính khi cuộc họp có trong lịch công tác và có thông báo kết luận.",
        (
            ("Chuẩn bị nội dung họp", 45),
            ("Chủ trì cuộc họp", 120),
            ("Kết luận, chỉ đạo sau họp", 30),
        ),
    ),
    _task(
        "B.01",
        "Soạn thảo văn bản trả lời, hướng dẫn chuyên môn về xây dựng",
        "văn bản",
        "document",
        "Nghiên cứu hồ sơ và quy định để dự thảo công văn trả lời, hướng dẫn chủ đầu tư, địa phương, tổ "
        "chức, cá nhân về lĩnh vực xây dựng. Được tính khi công văn đi đã được phát hành.",
        (
            ("Nghiên cứu hồ sơ, quy định liên quan", 60),
            ("Dự thảo văn bản", 60),
            ("Trình ký, phát hành", 20),
        ),
    ),
    _task(
        "B.02",
        "Tham dự họp, hội nghị theo phân công",
        "cuộc họp",
        "meeting",
        "Tham dự họp, hội nghị do cơ quan khác tổ chức theo phân công của lãnh đạo. Được tính khi có giấy "
        "mời được phân công và báo cáo kết quả cuộc họp.",
        (
            ("Nghiên cứu tài liệu, chuẩn bị ý kiến", 45),
            ("Tham dự cuộc họp", 150),
            ("Báo cáo kết quả cuộc họp", 20),
        ),
    ),
    _task(
        "C.01",
        "Cấp, điều chỉnh giấy phép xây dựng",
        "hồ sơ",
        "document",
        "Tiếp nhận, kiểm tra hồ sơ, kiểm tra thực địa và đối chiếu quy hoạch để cấp, điều chỉnh giấy phép "
        "xây dựng thuộc thẩm quyền của Sở theo Luật Xây dựng. Được tính khi giấy phép hoặc văn bản trả lời "
        "đã được trả cho người đề nghị.",
        (
            ("Tiếp nhận, kiểm tra hồ sơ đề nghị cấp phép", 30),
            ("Kiểm tra thực địa, đối chiếu quy hoạch", 180),
            ("Dự thảo giấy phép xây dựng hoặc văn bản trả lời", 60),
            ("Trình ký, trả kết quả", 20),
        ),
    ),
    _task(
        "C.02",
        "Thẩm định báo cáo nghiên cứu khả thi đầu tư xây dựng",
        "dự án",
        "document",
        "Thẩm định báo cáo nghiên cứu khả thi, thiết kế cơ sở của dự án đầu tư xây dựng thuộc thẩm quyền "
        "của cơ quan chuyên môn về xây dựng theo Luật Xây dựng. Được tính khi thông báo kết quả thẩm định "
        "đã được phát hành.",
        (
            ("Tiếp nhận, kiểm tra hồ sơ", 60),
            ("Thẩm định nội dung dự án, thiết kế cơ sở", 960),
            ("Dự thảo thông báo kết quả thẩm định", 180),
            ("Hoàn chỉnh, phát hành", 30),
        ),
    ),
    _task(
        "C.03",
        "Thẩm định thiết kế xây dựng triển khai sau thiết kế cơ sở",
        "hồ sơ",
        "document",
        "Thẩm định thiết kế kỹ thuật, thiết kế bản vẽ thi công và dự toán xây dựng triển khai sau thiết kế "
        "cơ sở. Được tính khi thông báo kết quả thẩm định đã được phát hành.",
        (
            ("Tiếp nhận, kiểm tra hồ sơ thiết kế", 45),
            ("Thẩm định thiết kế, dự toán", 720),
            ("Dự thảo thông báo kết quả thẩm định", 120),
        ),
    ),
    _task(
        "C.04",
        "Kiểm tra công tác nghiệm thu, chất lượng công trình xây dựng",
        "đợt kiểm tra",
        "meeting",
        "Kiểm tra hiện trường và hồ sơ quản lý chất lượng trong quá trình thi công và khi nghiệm thu hoàn "
        "thành công trình đưa vào sử dụng. Được tính khi đợt kiểm tra có trong lịch công tác và có văn bản "
        "thông báo kết quả kiểm tra.",
        (
            ("Chuẩn bị hồ sơ, kế hoạch kiểm tra", 60),
            ("Kiểm tra hiện trường, hồ sơ quản lý chất lượng", 300),
            ("Dự thảo văn bản thông báo kết quả kiểm tra", 120),
        ),
    ),
    _task(
        "C.05",
        "Thẩm định hồ sơ về nhà ở và kinh doanh bất động sản",
        "hồ sơ",
        "document",
        "Thẩm định hồ sơ về nhà ở xã hội, nhà ở thương mại, điều kiện bán nhà ở hình thành trong tương lai "
        "theo pháp luật về nhà ở và kinh doanh bất động sản. Được tính khi văn bản hoặc quyết định đã được "
        "phát hành.",
        (
            ("Tiếp nhận, rà soát hồ sơ", 45),
            ("Thẩm định điều kiện theo quy định về nhà ở, kinh doanh bất động sản", 240),
            ("Dự thảo văn bản, quyết định", 90),
        ),
    ),
)

_SXD_DECLARED_BY_TASK: dict[str, tuple[tuple[str, str], ...]] = {
    "A.01": (
        ("BGD", "Chủ trì giao ban Sở hằng tuần"),
        ("BGD", "Chủ trì họp về tháo gỡ vướng mắc cấp phép xây dựng"),
        ("QLXD", "Họp phòng triển khai công việc tuần"),
    ),
    "B.01": (
        ("QLXD", "Trả lời công văn của UBND phường về cấp phép xây dựng nhà ở riêng lẻ"),
        ("VP", "Soạn văn bản trả lời đơn vị"),
        ("QLXD", "Hướng dẫn chủ đầu tư về thủ tục điều chỉnh dự án"),
        ("QLXD", "Trả lời kiến nghị của doanh nghiệp về giá vật liệu xây dựng"),
    ),
    "B.02": (
        ("BGD", "Dự họp UBND tỉnh về dự án Đường Vành đai 4 Nha Trang"),
        ("QLXD", "Dự họp tại Sở Tài chính góp ý chủ trương đầu tư dự án"),
        ("VP", "Dự hội nghị trực tuyến của Bộ Xây dựng"),
    ),
    "C.01": (
        ("QLXD", "Cấp giấy phép xây dựng công trình khách sạn trên đường Trần Phú, Nha Trang"),
        ("QLXD", "Cấp phép xây dựng"),
        ("QLXD", "Điều chỉnh giấy phép xây dựng dự án khu nghỉ dưỡng tại Bãi Dài, Cam Lâm"),
        ("QLXD", "Kiểm tra thực địa hồ sơ xin phép xây dựng trạm BTS"),
    ),
    "C.02": (
        ("QLXD", "Thẩm định BCNCKT dự án Trường THCS tại Diên Khánh"),
        ("QLXD", "Thẩm định dự án đầu tư xây dựng Bệnh viện Đa khoa khu vực Cam Ranh"),
        ("QLXD", "Thẩm định báo cáo NCKT các dự án nhóm B"),
        ("BGD", "Chủ trì họp thẩm định dự án Khu liên hợp thể thao tỉnh"),
    ),
    "C.03": (
        ("QLXD", "Thẩm định thiết kế xây dựng triển khai sau TKCS công trình cầu qua sông Dinh, Ninh Hòa"),
        ("QLXD", "Thẩm định TK BVTC và dự toán"),
        ("QLXD", "Thẩm định thiết kế kỹ thuật công trình kè bờ biển Vạn Ninh"),
    ),
    "C.04": (
        ("QLXD", "Kiểm tra công tác nghiệm thu hoàn thành công trình trụ sở UBND xã Cam Hiệp Bắc"),
        ("QLXD", "Kiểm tra chất lượng công trình trong quá trình thi công"),
        (
            "QLXD",
            "Kiểm tra nghiệm thu đưa vào sử dụng chung cư nhà ở xã hội tại phường Phước Long, Nha Trang",
        ),
    ),
    "C.05": (
        ("QLXD", "Thẩm định hồ sơ bán nhà ở hình thành trong tương lai dự án tại Cam Ranh"),
        ("QLXD", "Xác nhận đối tượng mua nhà ở xã hội"),
        ("QLXD", "Thẩm định hồ sơ công nhận chủ đầu tư dự án nhà ở thương mại"),
    ),
}

SXD_DECLARED: tuple[DemoDeclared, ...] = _declared(_SXD_DECLARED_BY_TASK)


# ---------------------------------------------------------------------------------------------------------
# Sở Nội vụ (SNV) — a smaller catalog
# ---------------------------------------------------------------------------------------------------------

SNV_TASKS: tuple[DemoTask, ...] = (
    _task(
        "A.01",
        "Chủ trì họp, chỉ đạo, điều hành công việc",
        "cuộc họp",
        "meeting",
        "Lãnh đạo Sở, lãnh đạo phòng chủ trì họp giao ban, họp chuyên đề về tổ chức bộ máy, biên chế, công "
        "vụ. Được tính khi cuộc họp có trong lịch công tác và có thông báo kết luận.",
        (
            ("Chuẩn bị nội dung họp", 45),
            ("Chủ trì cuộc họp", 120),
            ("Kết luận, chỉ đạo sau họp", 30),
        ),
    ),
    _task(
        "B.01",
        "Soạn thảo văn bản hướng dẫn, trả lời cơ quan, đơn vị",
        "văn bản",
        "document",
        "Dự thảo công văn hướng dẫn, trả lời cơ quan, đơn vị, địa phương về tổ chức bộ máy, biên chế, chế độ "
        "chính sách đối với cán bộ, công chức. Được tính khi công văn đi đã được phát hành.",
        (
            ("Nghiên cứu hồ sơ, quy định liên quan", 60),
            ("Dự thảo văn bản", 60),
            ("Trình ký, phát hành", 20),
        ),
    ),
    _task(
        "C.01",
        "Thẩm định đề án vị trí việc làm",
        "đề án",
        "document",
        "Thẩm định danh mục vị trí việc làm, bản mô tả công việc và khung năng lực của cơ quan, đơn vị theo "
        "quy định của Chính phủ về vị trí việc làm và biên chế công chức. Được tính khi văn bản thẩm định "
        "hoặc tờ trình phê duyệt đã được phát hành.",
        (
            ("Tiếp nhận, kiểm tra hồ sơ đề án", 60),
            ("Thẩm định danh mục, bản mô tả công việc, khung năng lực vị trí việc làm", 600),
            ("Dự thảo văn bản thẩm định, tờ trình phê duyệt", 120),
        ),
    ),
    _task(
        "C.02",
        "Thẩm định, tham mưu giao biên chế công chức và số lượng người làm việc",
        "hồ sơ",
        "document",
        "Tổng hợp đề nghị, thẩm định và cân đối biên chế công chức, số lượng người làm việc trong đơn vị sự "
        "nghiệp công lập; xác định biên chế dôi dư. Được tính khi tờ trình hoặc quyết định giao biên chế đã "
        "được ban hành.",
        (
            ("Tổng hợp đề nghị của cơ quan, đơn vị", 120),
            ("Thẩm định, cân đối biên chế", 480),
            ("Dự thảo tờ trình, quyết định giao biên chế", 120),
        ),
    ),
    _task(
        "C.03",
        "Tổ chức tuyển dụng công chức",
        "đợt tuyển dụng",
        "document",
        "Xây dựng kế hoạch, thông báo tuyển dụng, tiếp nhận phiếu đăng ký, tổ chức thi tuyển hoặc xét tuyển "
        "và thông báo kết quả tuyển dụng công chức. Được tính khi thông báo kết quả tuyển dụng đã được phát "
        "hành.",
        (
            ("Xây dựng kế hoạch, thông báo tuyển dụng", 480),
            ("Tiếp nhận, kiểm tra phiếu đăng ký dự tuyển", 960),
            ("Tổ chức thi tuyển, xét tuyển", 1440),
            ("Thông báo kết quả, trình công nhận trúng tuyển", 240),
        ),
    ),
    _task(
        "C.04",
        "Thẩm định hồ sơ thi đua, khen thưởng",
        "hồ sơ",
        "document",
        "Tiếp nhận, thẩm định tiêu chuẩn, thành tích trong hồ sơ đề nghị khen thưởng cấp tỉnh và cấp nhà "
        "nước theo Luật Thi đua, khen thưởng 2022. Được tính khi tờ trình hoặc quyết định khen thưởng đã "
        "được ban hành.",
        (
            ("Tiếp nhận, kiểm tra hồ sơ", 30),
            ("Thẩm định tiêu chuẩn, thành tích", 90),
            ("Dự thảo tờ trình, quyết định khen thưởng", 45),
        ),
    ),
    _task(
        "C.05",
        "Kiểm tra công tác cải cách hành chính, công vụ",
        "đợt kiểm tra",
        "meeting",
        "Kiểm tra tại cơ quan, đơn vị, địa phương việc thực hiện cải cách hành chính, kỷ luật, kỷ cương "
        "hành chính và chế độ công vụ. Được tính khi đợt kiểm tra có trong lịch công tác và có thông báo kết "
        "quả kiểm tra.",
        (
            ("Xây dựng kế hoạch, quyết định kiểm tra", 120),
            ("Kiểm tra tại cơ quan, đơn vị", 300),
            ("Dự thảo thông báo kết quả kiểm tra", 120),
        ),
    ),
    _task(
        "C.06",
        "Thẩm định đề án thành lập, tổ chức lại, giải thể cơ quan, đơn vị",
        "đề án",
        "document",
        "Thẩm định đề án thành lập, tổ chức lại, hợp nhất, giải thể cơ quan chuyên môn, đơn vị sự nghiệp "
        "công lập thuộc UBND tỉnh. Được tính khi văn bản thẩm định hoặc tờ trình đã được phát hành.",
        (
            ("Tiếp nhận, kiểm tra hồ sơ đề án", 60),
            ("Thẩm định chức năng, nhiệm vụ, cơ cấu tổ chức, biên chế", 720),
            ("Dự thảo văn bản thẩm định, tờ trình", 180),
        ),
    ),
)

_SNV_DECLARED_BY_TASK: dict[str, tuple[tuple[str, str], ...]] = {
    "A.01": (
        ("BGD", "Chủ trì giao ban Sở"),
        ("BGD", "Chủ trì họp về sắp xếp tổ chức bộ máy sau hợp nhất tỉnh"),
        ("TCBC", "Họp phòng phân công nhiệm vụ"),
    ),
    "B.01": (
        ("TCBC", "Hướng dẫn các sở xây dựng kế hoạch biên chế năm 2026"),
        ("VP", "Trả lời công văn của đơn vị"),
        ("TCBC", "Trả lời UBND xã về chính sách, chế độ đối với cán bộ nghỉ việc do sắp xếp bộ máy"),
    ),
    "C.01": (
        ("TCBC", "Thẩm định đề án vị trí việc làm của Sở Tài chính sau hợp nhất"),
        ("TCBC", "Thẩm định đề án vị trí việc làm các đơn vị sự nghiệp thuộc Sở Y tế"),
        ("TCBC", "TĐ đề án VTVL"),
        ("TCBC", "Thẩm định bản mô tả công việc, khung năng lực vị trí việc làm của Sở Xây dựng"),
    ),
    "C.02": (
        ("TCBC", "Tham mưu giao biên chế công chức năm 2026 cho các cơ quan hành chính tỉnh"),
        ("TCBC", "Thẩm định số lượng người làm việc trong đơn vị sự nghiệp công lập"),
        ("TCBC", "Rà soát, xác định biên chế dôi dư theo kết quả đánh giá KPI"),
    ),
    "C.03": (
        ("TCBC", "Tổ chức kỳ thi tuyển công chức tỉnh năm 2025"),
        ("VP", "Tiếp nhận phiếu đăng ký dự tuyển công chức"),
        ("TCBC", "Xây dựng kế hoạch tuyển dụng công chức"),
        ("TCBC", "Thông báo kết quả thi tuyển công chức"),
    ),
    "C.04": (
        ("VP", "Thẩm định hồ sơ đề nghị tặng Bằng khen của UBND tỉnh"),
        ("VP", "Thẩm định hồ sơ đề nghị danh hiệu Chiến sĩ thi đua cấp tỉnh"),
        ("BGD", "Họp Hội đồng Thi đua – Khen thưởng tỉnh xét khen thưởng năm"),
    ),
    "C.05": (
        ("TCBC", "Kiểm tra công tác CCHC tại UBND huyện Cam Lâm"),
        ("VP", "Kiểm tra công vụ đột xuất tại các cơ quan"),
        ("TCBC", "Kiểm tra việc chấp hành kỷ luật, kỷ cương hành chính tại các xã sau sắp xếp"),
    ),
    "C.06": (
        ("TCBC", "Thẩm định đề án hợp nhất Sở Tài chính và Sở Kế hoạch và Đầu tư"),
        ("TCBC", "Thẩm định đề án tổ chức lại các đơn vị sự nghiệp thuộc UBND tỉnh"),
        ("TCBC", "Thẩm định đề án thành lập Trung tâm Phục vụ hành chính công tỉnh"),
        ("BGD", "Cho ý kiến đề án sắp xếp các phòng chuyên môn"),
    ),
}

SNV_DECLARED: tuple[DemoDeclared, ...] = _declared(_SNV_DECLARED_BY_TASK)

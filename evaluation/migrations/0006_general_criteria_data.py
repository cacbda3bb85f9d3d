"""General criteria as data (docs/general-criteria.md): the versions and the data moved onto them.

Seeds Decree 90/2020's five criteria (the keys of the former choices, so scored months keep them) and
Decree 335/2025 Article 12's three groups; moves each agency's five weight columns into rows; gives
every evaluation its version (a month already scored keeps Decree 90's criteria it was scored on);
and points each criterion score at its criterion.
"""

import datetime

from django.db import migrations

DECREE_90 = {
    "name": "Nghị định 90/2020/NĐ-CP",
    "legal_basis": (
        "Nghị định 90/2020/NĐ-CP ngày 13/8/2020 về đánh giá, xếp loại chất lượng cán bộ, công chức, "
        "viên chức (hiệu lực 20/8/2020), Điều 3; 5 tiêu chí × 6 điểm theo cách chấm của cơ quan"
    ),
    "effective_from": datetime.date(2020, 8, 20),
    "criteria": [
        ("politics", "Chính trị tư tưởng", "", 6),
        ("ethics", "Đạo đức, lối sống", "", 6),
        ("discipline", "Ý thức tổ chức kỷ luật", "", 6),
        ("attitude", "Tác phong, lề lối làm việc và thái độ phục vụ nhân dân", "", 6),
        ("innovation", "Tinh thần đổi mới, sáng tạo", "", 6),
    ],
}
DECREE_335 = {
    "name": "Nghị định 335/2025/NĐ-CP",
    "legal_basis": (
        "Nghị định 335/2025/NĐ-CP ngày 21/12/2025 về đánh giá, xếp loại chất lượng đối với cơ quan hành "
        "chính nhà nước và công chức (hiệu lực 01/01/2026), khoản 2 Điều 12: tiêu chí chung tối đa 30 điểm"
    ),
    "effective_from": datetime.date(2026, 1, 1),
    "criteria": [
        (
            "conduct",
            "Phẩm chất chính trị, đạo đức, văn hóa công vụ, ý thức kỷ luật, kỷ cương",
            "Điểm a khoản 2 Điều 12: phẩm chất chính trị, phẩm chất đạo đức, văn hóa công vụ và ý thức "
            "kỷ luật, kỷ cương trong thực thi công vụ.",
            10,
        ),
        (
            "competence",
            "Năng lực chuyên môn theo vị trí việc làm, trách nhiệm, thái độ phục vụ và phối hợp",
            "Điểm b khoản 2 Điều 12: năng lực chuyên môn, nghiệp vụ theo yêu cầu của vị trí việc làm; "
            "khả năng đáp ứng yêu cầu thực hiện nhiệm vụ được giao; tinh thần trách nhiệm trong thực thi "
            "công vụ; thái độ phục vụ Nhân dân, doanh nghiệp và khả năng phối hợp với đồng nghiệp.",
            10,
        ),
        (
            "initiative",
            "Đổi mới, sáng tạo, dám nghĩ, dám làm, dám chịu trách nhiệm",
            "Điểm c khoản 2 Điều 12: năng lực đổi mới, sáng tạo, dám nghĩ, dám làm, dám chịu trách nhiệm "
            "vì lợi ích chung trong thực thi công vụ.",
            10,
        ),
    ],
}
OLD_WEIGHT_COLUMNS = ["politics", "ethics", "discipline", "attitude", "innovation"]


def seed_versions(apps, schema_editor):
    CriteriaVersion = apps.get_model("evaluation", "CriteriaVersion")
    GeneralCriterion = apps.get_model("evaluation", "GeneralCriterion")
    for data in (DECREE_90, DECREE_335):
        version, _created = CriteriaVersion.objects.get_or_create(
            effective_from=data["effective_from"],
            defaults={"name": data["name"], "legal_basis": data["legal_basis"]},
        )
        for order, (key, name, description, points) in enumerate(data["criteria"], start=1):
            GeneralCriterion.objects.get_or_create(
                key=key,
                defaults={
                    "version": version,
                    "order": order,
                    "name": name,
                    "description": description,
                    "default_points": points,
                },
            )


def move_data(apps, schema_editor):
    CriteriaVersion = apps.get_model("evaluation", "CriteriaVersion")
    GeneralCriterion = apps.get_model("evaluation", "GeneralCriterion")
    ScoringScheme = apps.get_model("evaluation", "ScoringScheme")
    CriterionWeight = apps.get_model("evaluation", "CriterionWeight")
    MonthlyEvaluation = apps.get_model("evaluation", "MonthlyEvaluation")
    CriterionScore = apps.get_model("evaluation", "CriterionScore")
    HistoricalCriterionScore = apps.get_model("evaluation", "HistoricalCriterionScore")
    decree_90 = CriteriaVersion.objects.get(effective_from=DECREE_90["effective_from"])
    old = {c.key: c for c in GeneralCriterion.objects.filter(version=decree_90)}

    # The agency's weights of the old criteria stay as they were, now as rows.
    CriterionWeight.objects.bulk_create(
        CriterionWeight(scheme=scheme, criterion=old[key], points=getattr(scheme, f"{key}_points"))
        for scheme in ScoringScheme.objects.all()
        for key in OLD_WEIGHT_COLUMNS
    )

    # A month already scored keeps the criteria it was scored on; the others get those of their month.
    scored = set(CriterionScore.objects.values_list("evaluation_id", flat=True))
    MonthlyEvaluation.objects.filter(pk__in=scored).update(criteria_version=decree_90)
    versions = list(CriteriaVersion.objects.order_by("-effective_from"))
    for version in versions:
        MonthlyEvaluation.objects.filter(
            criteria_version__isnull=True, month__gte=version.effective_from
        ).update(criteria_version=version)
    MonthlyEvaluation.objects.filter(criteria_version__isnull=True).update(criteria_version=versions[-1])

    for key, criterion in old.items():
        CriterionScore.objects.filter(criterion_key=key).update(criterion=criterion)
        HistoricalCriterionScore.objects.filter(criterion_key=key).update(criterion=criterion)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0005_general_criteria_versions"),
    ]

    operations = [
        migrations.RunPython(seed_versions, migrations.RunPython.noop),
        migrations.RunPython(move_data, migrations.RunPython.noop),
    ]

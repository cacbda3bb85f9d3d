URL = "/api/v1/evaluations/"


def test_only_final_evaluations_are_shown(stc, march):
    response = stc.api.get(URL, {"month": "2026-03"})

    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == 1
    row = rows[0]
    assert row.pop("finalised_at") is None
    assert row == {
        "month": "2026-03", "person": "member1", "full_name": row["full_name"], "unit": "NS",
        "is_unit_head": False, "quantity_score": 27.5, "quality_score": 15.0, "progress_score": 15.0,
        "unit_score": None, "task_score": 57.5, "general_score": 25.0, "total_score": 82.5, "rating": "good",
    }  # fmt: skip


def test_only_the_clients_agency(sxd, march):
    rows = sxd.api.get(URL, {"month": "2026-03"}).json()["results"]

    assert [(row["person"], row["rating"]) for row in rows] == [("member_b", "excellent")]


def test_filtered_by_unit(stc, march):
    assert stc.api.get(URL, {"month": "2026-03", "unit": "VP"}).json()["count"] == 0
    assert stc.api.get(URL, {"month": "2026-03", "unit": "NS"}).json()["count"] == 1


def test_a_bad_month_or_unit_is_a_json_400(sxd, march):
    assert list(sxd.api.get(URL, {"month": "03-2026"}).json()) == ["month"]
    assert list(sxd.api.get(URL, {"month": "2026-03", "unit": "NS"}).json()) == ["unit"]
    assert sxd.api.get(URL).status_code == 400

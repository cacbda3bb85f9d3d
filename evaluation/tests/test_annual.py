"""The annual rating (Decree 335/2025 Article 21): proposed by the reviewer from the final months,
decided by the agency leader within each group's excellent quota by the deadline, appealed in time;
HR's list, its export and the annual PDF."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from evaluation import annual
from evaluation.models import (
    AnnualAppeal,
    AnnualRating,
    AnnualStatus,
    AppealStatus,
    DisciplinaryMeasure,
    EvaluationStatus,
    MonthlyEvaluation,
    Rating,
    ScoringScheme,
)
from evaluation.services import annual as services
from org.models import AuditEvent, Notification
from org.tests.factories import NOW, MembershipFactory, UnitFactory

pytestmark = [pytest.mark.django_db]

DECEMBER = datetime.datetime(2026, 12, 1, 9, tzinfo=NOW.tzinfo)
YEAR = 2026


@pytest.fixture(autouse=True)
def _december():
    """1 December 2026: the year's ratings are due by 15 December. Messages read in English."""
    with time_machine.travel(DECEMBER, tick=False), translation.override("en"):
        yield


def final_months(person, unit, *scores) -> None:
    for month, score in enumerate(scores, start=1):
        MonthlyEvaluation.objects.create(
            person=person, agency=unit.agency, unit=unit, month=datetime.date(YEAR, month, 1),
            status=EvaluationStatus.FINAL, total_score=Decimal(score), working_days=20,
            rating=annual_rating_of(Decimal(score)),
        )  # fmt: skip


def annual_rating_of(score: Decimal) -> str:
    from evaluation import scoring

    return scoring.rating_for(score)


def propose(org, person, rating, *, by=None, comment=""):
    return services.annual_propose(
        person=person, year=YEAR, by=by or org.head1, rating=rating, comment=comment
    )


def decide(annual_rating, by, rating=None, reason=""):
    return services.annual_decide(
        annual_rating=annual_rating, by=by, rating=rating or annual_rating.proposed_rating, reason=reason,
        version=annual_rating.version,
    )  # fmt: skip


def good_people(org, count: int) -> None:
    """``count`` people of another unit, rated good for the year (the staff group)."""
    unit = UnitFactory(agency=org.agency, parent=org.board, code="GX")
    for n in range(count):
        person = MembershipFactory(unit=unit, person__username=f"good{n}").person
        AnnualRating.objects.create(
            person=person, year=YEAR, agency=org.agency, unit=unit, group=annual.STAFF, months_counted=11,
            average_score=Decimal(80), suggested_rating=Rating.GOOD, proposed_rating=Rating.GOOD,
            proposed_by=org.leader, proposed_at=DECEMBER, status=AnnualStatus.DECIDED,
            decided_rating=Rating.GOOD, decided_by=org.leader, decided_at=DECEMBER,
        )  # fmt: skip


# Proposing -------------------------------------------------------------------------------------------


def test_the_reviewer_proposes_the_rating_of_the_average_of_the_final_months(org):
    final_months(org.member1, org.unit1, 80, 90, 88)
    found = propose(org, org.member1, Rating.GOOD)
    assert found.status == AnnualStatus.PROPOSED
    assert found.months_counted == 3
    assert found.average_score == Decimal("86.00")
    assert found.suggested_rating == Rating.GOOD
    assert found.group == annual.STAFF
    assert found.proposed_by == org.head1
    assert AuditEvent.objects.filter(action="annual.proposed", object_id=found.pk).count() == 1


def test_months_not_final_do_not_count(org):
    final_months(org.member1, org.unit1, 95, 95)
    MonthlyEvaluation.objects.create(
        person=org.member1, agency=org.agency, unit=org.unit1, month=datetime.date(YEAR, 3, 1),
        status=EvaluationStatus.SCORED, total_score=Decimal(10), rating=Rating.NOT_COMPLETED,
    )  # fmt: skip
    found = propose(org, org.member1, Rating.EXCELLENT)
    assert (found.months_counted, found.average_score) == (2, Decimal("95.00"))


def test_a_unit_head_and_an_agency_leader_are_in_the_leaders_group(org):
    final_months(org.head1, org.unit1, 80)
    final_months(org.deputy, org.board, 80)
    assert propose(org, org.head1, Rating.GOOD, by=org.leader).group == annual.LEADERS
    assert propose(org, org.deputy, Rating.GOOD, by=org.leader).group == annual.LEADERS


def test_an_agency_may_group_the_rest_by_job_position(org):
    ScoringScheme.objects.update_or_create(agency=org.agency, defaults={"annual_groups": "positions"})
    org.member1.position = "Chuyên viên"
    org.member1.save()
    final_months(org.member1, org.unit1, 80)
    assert propose(org, org.member1, Rating.GOOD).group == "position:Chuyên viên"


def test_proposing_another_rating_than_the_average_s_needs_a_comment(org):
    final_months(org.member1, org.unit1, 80)
    with pytest.raises(ValidationError) as error:
        propose(org, org.member1, Rating.EXCELLENT)
    assert "Say why" in str(error.value)
    assert not AnnualRating.objects.exists()
    assert (
        propose(org, org.member1, Rating.EXCELLENT, comment="Sáng kiến cấp tỉnh").proposed_rating
        == "excellent"
    )


def test_a_year_without_a_final_month_cannot_be_proposed(org):
    with pytest.raises(ValidationError, match="no final month"):
        propose(org, org.member1, Rating.GOOD)


def test_an_unknown_rating_is_refused(org):
    final_months(org.member1, org.unit1, 80)
    with pytest.raises(ValidationError, match="four ratings"):
        propose(org, org.member1, "superb")
    assert not AnnualRating.objects.exists()


def test_nobody_but_the_reviewer_proposes(org):
    final_months(org.member1, org.unit1, 80)
    for outsider in (org.member2, org.member1, org.hr, org.leader_b):
        with pytest.raises(PermissionDenied):
            propose(org, org.member1, Rating.GOOD, by=outsider)
    assert not AnnualRating.objects.exists()


def test_a_disciplined_year_is_only_not_completed(org):
    final_months(org.member1, org.unit1, 95)
    DisciplinaryMeasure.objects.create(
        person=org.member1, agency=org.agency, decided_on=datetime.date(YEAR, 5, 2),
        description="Khiển trách", recorded_by=org.hr,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="disciplinary measure"):
        propose(org, org.member1, Rating.GOOD, comment="x")
    found = propose(org, org.member1, Rating.NOT_COMPLETED)
    assert found.suggested_rating == Rating.NOT_COMPLETED


# Deciding --------------------------------------------------------------------------------------------


def test_the_leader_decides_and_the_person_is_told(org):
    final_months(org.member1, org.unit1, 80)
    found = decide(propose(org, org.member1, Rating.GOOD), org.leader)
    found.refresh_from_db()
    assert (found.status, found.decided_rating, found.decided_by) == (
        AnnualStatus.DECIDED,
        "good",
        org.leader,
    )
    assert Notification.objects.filter(recipient=org.member1, key=f"annual-decided:{found.pk}").exists()


def test_deciding_otherwise_than_proposed_needs_a_reason(org):
    final_months(org.member1, org.unit1, 80)
    proposed = propose(org, org.member1, Rating.GOOD)
    with pytest.raises(ValidationError, match="reason"):
        decide(proposed, org.leader, Rating.COMPLETED)
    proposed.refresh_from_db()
    assert proposed.status == AnnualStatus.PROPOSED
    found = decide(proposed, org.leader, Rating.COMPLETED, reason="Chậm tiến độ dự án trọng điểm")
    assert found.decision_reason == "Chậm tiến độ dự án trọng điểm"


def test_staff_unit_heads_and_outsiders_cannot_decide(org):
    final_months(org.member1, org.unit1, 80)
    proposed = propose(org, org.member1, Rating.GOOD)
    for outsider in (org.member2, org.member1, org.head1, org.hr, org.leader_b):
        with pytest.raises(PermissionDenied):
            decide(proposed, outsider)
    proposed.refresh_from_db()
    assert proposed.status == AnnualStatus.PROPOSED


def test_an_excellent_beyond_the_group_s_quota_is_refused_and_nothing_changes(org):
    good_people(org, 5)  # room for one excellent in the staff group (20 % of 5)
    final_months(org.member1, org.unit1, 95)
    final_months(org.member2, org.unit1, 94)
    first = decide(propose(org, org.member1, Rating.EXCELLENT), org.leader)
    assert first.decided_rating == Rating.EXCELLENT
    second = propose(org, org.member2, Rating.EXCELLENT)
    with pytest.raises(ValidationError) as error:
        decide(second, org.leader)
    message = error.value.messages[0]
    assert "2 excellent for 5 rated good" in message and "at most 20%" in message and "(1)" in message
    second.refresh_from_db()
    assert second.status == AnnualStatus.PROPOSED and second.decided_rating == ""
    assert not AuditEvent.objects.filter(action="annual.decided", object_id=second.pk).exists()


def test_the_quota_is_counted_per_group(org):
    good_people(org, 5)  # a slot in the staff group is no slot for the leaders
    final_months(org.head1, org.unit1, 96)
    proposed = propose(org, org.head1, Rating.EXCELLENT, by=org.leader)
    with pytest.raises(ValidationError, match="Leaders"):
        decide(proposed, org.deputy)


def test_deciding_after_the_deadline_is_refused(org):
    final_months(org.member1, org.unit1, 80)
    proposed = propose(org, org.member1, Rating.GOOD)
    with (
        time_machine.travel(datetime.datetime(2026, 12, 16, 9, tzinfo=NOW.tzinfo), tick=False),
        pytest.raises(ValidationError, match="15/12/2026"),
    ):
        decide(proposed, org.leader)
    proposed.refresh_from_db()
    assert proposed.status == AnnualStatus.PROPOSED


def test_the_deadline_is_the_agency_s_setting(org):
    ScoringScheme.objects.update_or_create(agency=org.agency, defaults={"annual_deadline_day": 10})
    final_months(org.member1, org.unit1, 80)
    proposed = propose(org, org.member1, Rating.GOOD)
    with (
        time_machine.travel(datetime.datetime(2026, 12, 11, 9, tzinfo=NOW.tzinfo), tick=False),
        pytest.raises(ValidationError, match="10/12/2026"),
    ):
        decide(proposed, org.leader)


def test_a_decided_rating_is_not_proposed_or_decided_again(org):
    final_months(org.member1, org.unit1, 80)
    found = decide(propose(org, org.member1, Rating.GOOD), org.leader)
    with pytest.raises(ValidationError, match="only an appeal"):
        propose(org, org.member1, Rating.GOOD)
    with pytest.raises(ValidationError, match="already decided"):
        decide(found, org.leader)


def test_deciding_as_proposed_in_a_batch_counts_the_good_ones_first(org):
    final_months(org.member1, org.unit1, 95)
    people = [MembershipFactory(unit=org.unit1, person__username=f"g{n}").person for n in range(5)]
    for person in people:
        final_months(person, org.unit1, 80)
    proposals = [propose(org, org.member1, Rating.EXCELLENT)]
    proposals += [propose(org, person, Rating.GOOD) for person in people[:4]]
    with pytest.raises(ValidationError, match="at most 20%"):  # 4 good leave no room: all or none
        services.annuals_decide(ratings={a.pk: a.version for a in proposals}, by=org.leader)
    assert not AnnualRating.objects.filter(status=AnnualStatus.DECIDED).exists()
    proposals.append(propose(org, people[4], Rating.GOOD))  # 5 good: room for one excellent
    assert services.annuals_decide(ratings={a.pk: a.version for a in proposals}, by=org.leader) == 6


# Appeals ---------------------------------------------------------------------------------------------


def test_the_person_appeals_once_in_time_and_the_leader_amends_within_the_quota(org):
    final_months(org.member1, org.unit1, 80)
    found = decide(propose(org, org.member1, Rating.GOOD), org.leader)
    with pytest.raises(PermissionDenied):
        services.annual_appeal_file(annual_rating=found, by=org.member2, reason="x")
    with pytest.raises(ValidationError, match="Write why"):
        services.annual_appeal_file(annual_rating=found, by=org.member1, reason="  ")
    appeal = services.annual_appeal_file(annual_rating=found, by=org.member1, reason="Thiếu tháng 12")
    with pytest.raises(ValidationError, match="already appealed"):
        services.annual_appeal_file(annual_rating=found, by=org.member1, reason="Lần nữa")
    with pytest.raises(ValidationError, match="at most 20%"):  # nobody good in the group yet
        services.annual_appeal_decide(
            appeal=appeal, by=org.leader, rating=Rating.EXCELLENT, decision="Sửa", version=appeal.version
        )
    decided = services.annual_appeal_decide(
        appeal=appeal, by=org.leader, rating=Rating.GOOD, decision="Giữ nguyên", version=appeal.version
    )
    assert decided.status == AppealStatus.UPHELD
    assert AnnualAppeal.objects.get().rating_after == Rating.GOOD


def test_an_appeal_after_its_deadline_is_refused(org):
    final_months(org.member1, org.unit1, 80)
    found = decide(propose(org, org.member1, Rating.GOOD), org.leader)
    with (
        time_machine.travel(datetime.datetime(2026, 12, 20, 9, tzinfo=NOW.tzinfo), tick=False),
        pytest.raises(ValidationError, match="11/12/2026"),
    ):
        services.annual_appeal_file(annual_rating=found, by=org.member1, reason="Muộn")
    assert not AnnualAppeal.objects.exists()


# Reminders -------------------------------------------------------------------------------------------


def test_reminders_go_out_in_the_week_before_the_deadline(org):
    from evaluation.tasks import remind_annual_ratings

    final_months(org.member1, org.unit1, 80)
    final_months(org.member2, org.unit1, 80)
    propose(org, org.member1, Rating.GOOD)
    assert remind_annual_ratings("2026-12-01") == 0
    assert remind_annual_ratings("2026-12-10") >= 2
    assert Notification.objects.filter(recipient=org.leader, key__startswith="annual-decide:").exists()
    reminder = Notification.objects.get(recipient=org.head1, key__startswith="annual-propose:")
    assert org.member2.get_full_name() in reminder.body and org.member1.get_full_name() not in reminder.body
    assert remind_annual_ratings("2026-12-10") == 0  # once a day


# Pages -----------------------------------------------------------------------------------------------


def list_url(org, **query):
    from django.utils.http import urlencode

    return (
        reverse("evaluation:annual_list", args=[org.agency.code]) + "?" + urlencode({"year": YEAR, **query})
    )


def test_hr_lists_the_year_with_filters(client, org):
    final_months(org.member1, org.unit1, 80)
    final_months(org.head1, org.unit1, 80)
    propose(org, org.member1, Rating.GOOD)
    propose(org, org.head1, Rating.GOOD, by=org.leader)
    client.force_login(org.hr)
    page = client.get(list_url(org)).content.decode()
    assert org.member1.full_name in page and org.head1.full_name in page
    page = client.get(list_url(org, group=annual.LEADERS)).content.decode()
    assert org.head1.full_name in page and org.member1.full_name not in page
    assert 'data-testid="annual-decide"' not in page  # HR reads, the leader decides


def test_a_bad_filter_is_ignored_with_the_form_s_message(client, org):
    final_months(org.member1, org.unit1, 80)
    propose(org, org.member1, Rating.GOOD)
    client.force_login(org.hr)
    response = client.get(list_url(org, status="bogus", unit="x", year="abc"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "is-invalid" in page  # the filter says what is wrong with it
    assert org.member1.full_name in page  # and filters nothing


def test_the_list_is_closed_to_staff_and_other_agencies(client, org):
    client.force_login(org.member1)
    assert client.get(list_url(org)).status_code == 403
    client.force_login(org.member_b)
    assert client.get(list_url(org)).status_code == 404


@pytest.mark.parametrize("people", [1, 40])
def test_the_list_runs_a_bounded_number_of_queries(client, org, django_assert_max_num_queries, people):
    good_people(org, people)
    client.force_login(org.leader)
    with django_assert_max_num_queries(26):
        assert client.get(list_url(org)).status_code == 200


def test_the_leader_decides_ticked_rows_as_proposed(client, org):
    final_months(org.member1, org.unit1, 80)
    proposed = propose(org, org.member1, Rating.GOOD)
    client.force_login(org.leader)
    data = {"annual": [proposed.pk], f"version-{proposed.pk}": proposed.version, "year": YEAR}
    client.post(list_url(org), data)
    proposed.refresh_from_db()
    assert proposed.decided_rating == Rating.GOOD


def test_a_tampered_decision_form_changes_nothing(client, org):
    final_months(org.member1, org.unit1, 80)
    proposed = propose(org, org.member1, Rating.GOOD)
    client.force_login(org.leader)
    response = client.post(
        list_url(org), {"annual": [proposed.pk], f"version-{proposed.pk}": "x"}, follow=True
    )
    with translation.override("vi"):
        expected = translation.gettext("The form was incomplete. Reload the page and try again.")
    assert expected in [str(m) for m in response.context["messages"]]
    client.force_login(org.hr)
    assert client.post(list_url(org), {"annual": [proposed.pk]}).status_code == 403
    proposed.refresh_from_db()
    assert proposed.status == AnnualStatus.PROPOSED


def test_the_export_lists_the_filtered_rows(client, org):
    final_months(org.member1, org.unit1, 80)
    propose(org, org.member1, Rating.GOOD)
    client.force_login(org.hr)
    url = reverse("evaluation:annual_export", args=[org.agency.code, "csv"])
    content = client.get(url, {"year": YEAR}).content.decode("utf-8-sig")
    assert org.member1.full_name in content and "80,00" in content
    xlsx = client.get(reverse("evaluation:annual_export", args=[org.agency.code, "xlsx"]), {"year": YEAR})
    assert xlsx.content[:2] == b"PK"
    assert client.get(reverse("evaluation:annual_export", args=[org.agency.code, "exe"])).status_code == 404


def test_the_reviewer_proposes_on_the_person_s_page(client, org):
    final_months(org.member1, org.unit1, 80, 70)
    url = reverse("evaluation:annual_person", args=[org.member1.pk, YEAR])
    client.force_login(org.head1)
    page = client.get(url).content.decode()
    assert "75,00" in page or "75.00" in page
    assert client.post(url, {"rating": "superb", "comment": ""}).status_code == 200  # the form's error
    assert not AnnualRating.objects.exists()
    response = client.post(url, {"rating": "good", "comment": ""})
    assert response.status_code == 302
    assert AnnualRating.objects.get().proposed_rating == Rating.GOOD
    client.force_login(org.member2)
    assert client.get(url).status_code in (403, 404)


def test_the_person_appeals_on_the_rating_s_page(client, org):
    final_months(org.member1, org.unit1, 80)
    found = decide(propose(org, org.member1, Rating.GOOD), org.leader)
    client.force_login(org.member1)
    detail = reverse("evaluation:annual_detail", args=[found.pk])
    assert 'data-testid="annual-appeal-submit"' in client.get(detail).content.decode()
    client.post(reverse("evaluation:annual_appeal", args=[found.pk]), {"reason": ""})
    assert not AnnualAppeal.objects.exists()
    client.post(reverse("evaluation:annual_appeal", args=[found.pk]), {"reason": "Xin xem lại"})
    assert AnnualAppeal.objects.get().reason == "Xin xem lại"
    client.force_login(org.member_b)
    assert client.get(detail).status_code == 404


def test_the_annual_pdf_is_for_those_who_read_the_agency(
    client, org, eager_celery, django_capture_on_commit_callbacks, settings, tmp_path
):
    from reports.models import JobStatus, ReportJob, ReportKind

    settings.MEDIA_ROOT = tmp_path / "media"
    final_months(org.member1, org.unit1, 80)
    propose(org, org.member1, Rating.GOOD)
    url = reverse("annual_reports:pdf", args=[org.agency.code, YEAR])
    client.force_login(org.member1)
    assert client.post(url).status_code == 403
    client.force_login(org.hr)
    assert client.get(url).status_code == 405  # a GET neither renders nor asks for anything
    assert not ReportJob.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    job = ReportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("reports:job_status", args=[job.pk])
    assert (job.kind, job.period, job.requested_by, job.status) == (
        ReportKind.ANNUAL,
        datetime.date(YEAR, 1, 1),
        org.hr,
        JobStatus.DONE,
    )
    assert job.period_label == str(YEAR)
    download = client.get(reverse("reports:job_download", args=[job.pk]))
    assert download["Content-Disposition"] == f'attachment; filename="xep-loai-nam-{YEAR}-stc.pdf"'
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert client.post(reverse("annual_reports:pdf", args=[org.agency.code, 2999])).status_code == 404


def test_asking_for_the_annual_pdf_with_the_broker_down_leaves_a_queued_job_for_the_sweep(
    client, org, monkeypatch, django_capture_on_commit_callbacks
):
    from reports import tasks
    from reports.models import JobStatus, ReportJob

    def broker_down(*args):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.render_report, "delay", broker_down)
    client.force_login(org.hr)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("annual_reports:pdf", args=[org.agency.code, YEAR]))

    assert response.status_code == 302
    assert ReportJob.objects.get().status == JobStatus.QUEUED  # the sweep sends it again


def test_the_annual_pdf_of_another_agency_is_not_found(client, org):
    client.force_login(org.leader_b)
    assert client.post(reverse("annual_reports:pdf", args=[org.agency.code, YEAR])).status_code == 404


def test_staff_cannot_decide_on_the_rating_s_page(client, org):
    final_months(org.member1, org.unit1, 80)
    proposed = propose(org, org.member1, Rating.GOOD)
    data = {"rating": "excellent", "reason": "x", "version": proposed.version}
    for outsider, status in ((org.member2, 404), (org.head1, 403), (org.member1, 403)):
        client.force_login(outsider)
        assert (
            client.post(reverse("evaluation:annual_decide", args=[proposed.pk]), data).status_code == status
        )
    proposed.refresh_from_db()
    assert proposed.status == AnnualStatus.PROPOSED


def test_the_leader_decides_otherwise_on_the_rating_s_page_with_a_reason(client, org):
    final_months(org.member1, org.unit1, 80)
    proposed = propose(org, org.member1, Rating.GOOD)
    client.force_login(org.leader)
    url = reverse("evaluation:annual_decide", args=[proposed.pk])
    client.post(url, {"rating": "completed", "reason": "", "version": proposed.version})
    proposed.refresh_from_db()
    assert proposed.status == AnnualStatus.PROPOSED  # no reason: refused
    client.post(url, {"rating": "completed", "reason": "Chậm tiến độ", "version": proposed.version})
    proposed.refresh_from_db()
    assert (proposed.decided_rating, proposed.decision_reason) == (Rating.COMPLETED, "Chậm tiến độ")

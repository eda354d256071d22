"""The report: what it holds, in the member's language, on paper and as HTML, and who gets it."""

from __future__ import annotations

import pytest
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from jewelguard.accounts.models import StaffRight
from jewelguard.assessment.models import Assessment
from jewelguard.assessment.report import report_build, report_html, report_pdf
from jewelguard.assessment.selectors import assessment_result
from jewelguard.assessment.services import answer_put
from tests.assessment.report_helpers import assessment_taken, flat, pdf_text
from tests.conftest import client_for, run_queued_tasks
from tests.factories import (
    AdminFactory,
    AnalystFactory,
    AnalystGrantFactory,
    MemberFactory,
    OfficerFactory,
    StaffUserFactory,
    StoreFactory,
    UserFactory,
)


@pytest.fixture
def assessment(store) -> Assessment:
    return assessment_taken(store)


def test_pdf_holds_the_store_the_scenarios_and_the_recommendations(member_client, assessment):
    # when the member downloads the report of a finished assessment
    response = member_client.get(f"/assessment/{assessment.pk}/report.pdf")
    # then it is a PDF download naming the store, every scenario and every recommendation
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "Front Range Jewelers" in text
    result = assessment_result(assessment=assessment)
    for score in result.scores:
        assert flat(score.title) in text, score.title
    assert result.recommendations
    for recommendation in result.recommendations:
        assert flat(recommendation.name) in text, recommendation.name
    # and the answers the member gave
    assert "Where is your store?" in text


def test_a_french_members_report_is_in_french_whoever_downloads_it(db, settings):
    owner = UserFactory(email="luc@bijouterie.example")
    owner.language = "fr-ca"
    owner.save(update_fields=["language"])
    member = MemberFactory(owner=owner, name="Bijouterie Laurier")
    store = StoreFactory(member=member, name="Bijouterie Laurier")
    assessment = assessment_taken(store)
    granted = AnalystGrantFactory(member=member).analyst
    # when the member (site in English) and the analyst it shared with download the report
    for user in (owner, granted):
        response = client_for(user).get(f"/assessment/{assessment.pk}/report.pdf")
        assert response.status_code == 200
        text = pdf_text(response.content)
        # then it is in French: its headings, scenarios and recommendations
        assert "Bijouterie Laurier" in text
        assert "Recommandations" in text
        with translation.override("fr-ca"):
            result = assessment_result(assessment=assessment)
        for score in result.scores:
            assert flat(score.title) in text, score.title
        for recommendation in result.recommendations:
            assert flat(recommendation.name) in text, recommendation.name
        assert "Recommendations" not in text


def test_html_download_is_a_standalone_document_with_the_chart(member_client, assessment):
    response = member_client.get(f"/assessment/{assessment.pk}/report.html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "attachment" in response["Content-Disposition"]
    html = response.content.decode()
    assert html.startswith("<!doctype html>")
    assert "<style>" in html  # readable offline, without the site's stylesheets
    # one bar per scenario in the server-drawn chart
    assert html.count("<rect ") == len(assessment_result(assessment=assessment).scores)


def test_the_assessment_page_links_to_its_report_and_pdf(member_client, assessment):
    body = member_client.get(f"/assessment/{assessment.pk}/").content.decode()
    assert f'href="/assessment/{assessment.pk}/report.pdf"' in body
    assert f'href="/assessment/{assessment.pk}/report/"' in body


def test_report_page_shows_the_summary_and_download_links(member_client, assessment):
    page = member_client.get(f"/assessment/{assessment.pk}/report/")
    assert page.status_code == 200
    body = page.content.decode()
    top = assessment_result(assessment=assessment).scores[0]
    assert f"The highest risk is {top.title}" in body
    assert f"/assessment/{assessment.pk}/report.pdf" in body
    assert f"/assessment/{assessment.pk}/report.html" in body
    assert "<svg" in body


def test_an_unchanged_report_is_served_from_storage_and_a_new_answer_rebuilds_it(
    assessment, documents_dir, store
):
    first = report_pdf(report=report_build(assessment=assessment))
    stored = list(documents_dir.rglob("*.pdf"))
    assert len(stored) == 1
    assert report_pdf(report=report_build(assessment=assessment)) == first
    assert list(documents_dir.rglob("*.pdf")) == stored
    # a store renamed shows in the next report, in a new file
    store.name = "Front Range Fine Jewelry"
    store.save(update_fields=["name"])
    assessment.refresh_from_db()
    again = report_pdf(report=report_build(assessment=Assessment.objects.get(pk=assessment.pk)))
    assert "Front Range Fine Jewelry" in pdf_text(again)
    assert len(list(documents_dir.rglob("*.pdf"))) == 2


def test_opening_the_report_has_the_worker_set_its_pdf_before_the_download(
    transactional_db, member_client, assessment, documents_dir
):
    # when the member opens the report page
    assert member_client.get(f"/assessment/{assessment.pk}/report/").status_code == 200
    # then the worker sets the PDF, and the download reads that very file
    assert not list(documents_dir.rglob("*.pdf"))
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    run_queued_tasks()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    stored = list(documents_dir.rglob("*.pdf"))
    assert len(stored) == 1
    response = member_client.get(f"/assessment/{assessment.pk}/report.pdf")
    assert response.content == stored[0].read_bytes()
    # and opening the page again queues nothing more
    member_client.get(f"/assessment/{assessment.pk}/report/")
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_hostile_answers_are_shown_as_text_not_markup(store):
    # given an answer whose justification is markup
    assessment = assessment_taken(store, {"store_setting": "mall"}, finish=False)
    answer_put(
        assessment=assessment,
        question_id="entry_buzzer",
        value="alternative",
        justification='<script>alert("x")</script> a guard buzzes people in',
        answered_by=store.member.owner,
    )
    built = report_build(assessment=assessment)
    # then the HTML shows it as text and the PDF prints it
    html = report_html(report=built)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "a guard buzzes people in" in pdf_text(report_pdf(report=built))


REPORT_PATHS = (
    "/assessment/{pk}/report/",
    "/assessment/{pk}/report.pdf",
    "/assessment/{pk}/report.html",
    "/assessment/{pk}/progress/",
    "/assessment/{pk}/peers/",
    "/assessment/stores/{store}/history/",
    "/api/assessment/assessments/{pk}/report",
    "/api/assessment/assessments/{pk}/report?format=html",
)


def test_only_those_the_assessment_is_open_to_get_its_report_progress_and_peers(
    assessment, store, other_member
):
    viewer = StaffUserFactory()
    store.staff_grants.create(user=viewer, rights=[StaffRight.VIEW, StaffRight.REPORT])
    editor = StaffUserFactory()
    store.staff_grants.create(user=editor, rights=[StaffRight.VIEW, StaffRight.EDIT_STORE])
    granted = AnalystGrantFactory(member=store.member).analyst
    refused = (other_member.owner, viewer, AnalystFactory(), OfficerFactory())
    allowed = (store.member.owner, editor, granted, AdminFactory())
    for path in REPORT_PATHS:
        url = path.format(pk=assessment.pk, store=store.pk)
        for user in refused:
            response = client_for(user).get(url)
            # then they get nothing, not even that it exists
            assert response.status_code == 404, (url, user.role)
            assert b"Front Range" not in response.content
        for user in allowed:
            assert client_for(user).get(url).status_code == 200, (url, user.role)


def test_signed_out_visitors_are_sent_to_log_in_and_the_api_says_401(client, assessment):
    page = client.get(f"/assessment/{assessment.pk}/report.pdf")
    assert page.status_code == 302
    assert "/accounts/login/" in page["Location"]
    assert client.get(f"/api/assessment/assessments/{assessment.pk}/report").status_code == 401


def test_api_gives_the_report_as_pdf_or_html_and_refuses_other_formats(member_client, assessment):
    pdf = member_client.get(f"/api/assessment/assessments/{assessment.pk}/report")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert "Front Range Jewelers" in pdf_text(pdf.content)
    html = member_client.get(f"/api/assessment/assessments/{assessment.pk}/report?format=html")
    assert html["Content-Type"].startswith("text/html")
    assert "Front Range Jewelers" in html.content.decode()
    wrong = member_client.get(f"/api/assessment/assessments/{assessment.pk}/report?format=docx")
    assert wrong.status_code == 422
    assert "format" in str(wrong.json()["detail"][0]["loc"])


@pytest.mark.parametrize("bad", ["0", "-1", "99999999999999999999", "abc"])
def test_api_refuses_impossible_ids_without_error(member_client, assessment, bad):
    response = member_client.get(f"/api/assessment/assessments/{bad}/report")
    assert response.status_code in (404, 422)


def test_pages_refuse_ids_beyond_the_database(member_client, db):
    assert member_client.get("/assessment/99999999999999999999/report/").status_code == 404
    assert member_client.get("/assessment/123456/report.pdf").status_code == 404

"""The report in Debian's chromium: a member opens it, sees the chart, downloads the PDF."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jewelguard.assessment.selectors import assessment_result
from tests.assessment.report_helpers import assessment_taken, flat, pdf_text
from tests.conftest import login_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_opens_the_report_and_downloads_its_pdf(page, live_server, member, store):
    # given a finished assessment of the member's store
    assessment = assessment_taken(store)
    result = assessment_result(assessment=assessment)
    # when the member logs in and opens its report
    login_in_browser(page, live_server, member.owner.email)
    page.goto(f"{live_server.url}/assessment/{assessment.pk}/report/")
    expect(page.get_by_role("heading", level=1, name="Front Range Jewelers")).to_be_visible()
    # then the risk chart is drawn, one bar per scenario, with nothing blocked by the CSP
    chart = page.get_by_role("img", name="Risk per crime scenario, 0 to 100")
    expect(chart).to_be_visible()
    expect(chart.locator("rect")).to_have_count(len(result.scores))
    # when they download the PDF
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the report (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"jewelguard-risk-assessment-{assessment.pk}-")
    assert download.suggested_filename.endswith(".pdf")
    # then it holds the store, every scenario and the recommendations
    with open(download.path(), "rb") as pdf:
        text = pdf_text(pdf.read())
    assert "Front Range Jewelers" in text
    for score in result.scores:
        assert flat(score.title) in text
    for recommendation in result.recommendations:
        assert flat(recommendation.name) in text

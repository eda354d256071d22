"""The analyst's observations and findings: in the report, and past due in the portfolio."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from jewelguard.assessment.models import Finding
from jewelguard.assessment.portfolio import portfolio_build
from jewelguard.assessment.report import report_build, report_pdf
from jewelguard.assessment.services import assessment_finish, finding_mark, observation_add
from tests.assessment.report_helpers import assessment_taken, pdf_text
from tests.conftest import client_for
from tests.factories import AnalystFactory, AnalystGrantFactory


@pytest.fixture
def analyst_on(store):
    analyst = AnalystFactory(email="kim@association.example", full_name="Kim Osei")
    AnalystGrantFactory(analyst=analyst, member=store.member)
    return analyst


@pytest.fixture
def reviewed(store, analyst_on):
    """An assessment the analyst annotated during a virtual visit, then finished."""
    assessment = assessment_taken(store, finish=False)
    observation_add(
        assessment=assessment,
        question_id="showcase_glass",
        text="Two wall cases still have plain glass.",
        author=analyst_on,
    )
    finding_mark(
        assessment=assessment,
        marked_by=analyst_on,
        control_id="showcase_glassbreak_alarm",
        note="Quote from the alarm company by spring.",
        owner_name="Dana Reyes",
        due_on=timezone.localdate() + timedelta(days=30),
    )
    finding_mark(
        assessment=assessment,
        marked_by=analyst_on,
        question_id="uniformed_guard",
        owner_name="Ana Morales",
        due_on=timezone.localdate(),
    )
    return assessment_finish(assessment=assessment, finished_by=store.member.owner)


def test_the_report_lists_the_observations_and_findings(reviewed):
    text = pdf_text(report_pdf(report=report_build(assessment=reviewed)))
    assert "Two wall cases still have plain glass." in text
    assert "Quote from the alarm company by spring." in text
    assert "Dana Reyes" in text
    assert "No observations or findings were recorded." not in text


def test_findings_past_due_show_in_the_portfolio_and_its_csv(reviewed, analyst_on):
    # given a month later the guard finding, due today, is still open
    Finding.objects.filter(question_id="uniformed_guard").update(
        due_on=timezone.localdate() - timedelta(days=30)
    )
    built = portfolio_build(user=analyst_on)
    # then it alone is past due (the other is not due yet)
    assert [(f.store_name, f.days_late, f.owner) for f in built.findings] == [
        ("Front Range Jewelers", 30, "Ana Morales")
    ]
    assert "guard" in built.findings[0].title.lower()
    text = client_for(analyst_on).get("/assessment/portfolio/findings.csv").content
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert rows[1][0] == "Front Range Jewelers"
    assert rows[1][-1] == "30"
    # and once done it is past due no more
    Finding.objects.filter(question_id="uniformed_guard").update(status="done")
    assert portfolio_build(user=analyst_on).findings == ()


def test_another_analysts_findings_stay_out_of_the_portfolio(reviewed):
    Finding.objects.update(due_on=timezone.localdate() - timedelta(days=3))
    assert portfolio_build(user=AnalystFactory()).findings == ()

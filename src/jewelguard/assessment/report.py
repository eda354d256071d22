"""An assessment's report, as a web page, a standalone HTML file and a PDF.

The report is written in the member's language (the business owner's, en or fr-ca) whoever
reads it: it is the member's document, and the analyst it is shared with reads what the
member reads. It holds the summary, a per-scenario risk chart drawn on the server, the
recommendations, the answers, and the observations and findings.

PDFs are generated documents (``jewelguard.core.documents``): stored under a fingerprint of
the report's HTML and of the design (template, stylesheet, fonts, translations), so a repeat
download costs one read, and any change to what the report shows builds a new file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import cache as memoize
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import pgettext

from jewelguard.assessment.charts import RiskChart, risk_chart
from jewelguard.assessment.content import Question, Questionnaire, questionnaire
from jewelguard.assessment.models import Assessment, AssessmentStatus, Finding
from jewelguard.assessment.results import AssessmentResult
from jewelguard.assessment.scoring import AnswerValue, catalogue_names, question_applies
from jewelguard.assessment.selectors import (
    assessment_answers,
    assessment_findings,
    assessment_observations,
    assessment_result,
)
from jewelguard.core.brand import COLOURS, brand_css, font_files
from jewelguard.core.content import content_language
from jewelguard.core.documents import (
    design_version,
    document_cached,
    document_fingerprint,
    document_storage,
)

DOCUMENT_TEMPLATE = "assessment/report_document.html"
STYLESHEET = "assessment/report.css"
DESIGN_VERSION = 1
FORMATS = ("pdf", "html")
_APP_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class AnswerLine:
    section: str
    question: str
    answer: str
    justification: str


@dataclass(frozen=True)
class NoteLine:
    """An observation or a finding, as the report shows it."""

    title: str
    text: str
    status: str = ""
    due: str = ""
    owner: str = ""


@dataclass(frozen=True)
class AssessmentReport:
    assessment_id: int
    language: str
    store_name: str
    member_name: str
    address: str
    questionnaire_version: str
    finished: bool
    started_at: datetime
    finished_at: datetime | None
    result: AssessmentResult
    chart: RiskChart
    answers: tuple[AnswerLine, ...]
    observations: tuple[NoteLine, ...]
    findings: tuple[NoteLine, ...]

    @property
    def highest(self) -> str:
        """The scenario at the top, for the summary."""
        return self.result.scores[0].title if self.result.scores else ""


def report_language(*, assessment: Assessment) -> str:
    """The member's language: the business owner's, as one of the site's (en, fr-ca)."""
    return content_language(assessment.store.member.owner.language)


def _answer_label(question: Question, value: AnswerValue, language: str) -> str:
    if question.kind == "number":
        number = f"{value:g}" if isinstance(value, float) else str(value)
        unit = question.unit.in_language(language) if question.unit else ""
        return f"{number} {unit}".strip()
    if question.kind == "choice":
        option = next((o for o in question.options if o.id == value), None)
        return option.label.in_language(language) if option else str(value)
    labels = {
        "yes": pgettext("assessment answer", "Yes"),
        "no": pgettext("assessment answer", "No"),
        "not_applicable": pgettext("assessment answer", "Not applicable"),
        "alternative": pgettext("assessment answer", "Alternative in place"),
    }
    return labels.get(str(value), str(value))


def _answer_lines(
    *, assessment: Assessment, book: Questionnaire, language: str
) -> list[AnswerLine]:
    answers = assessment_answers(assessment=assessment)
    justifications = dict(assessment.answers.values_list("question_id", "justification"))
    sections = {s.id: s.title.in_language(language) for s in book.file.sections}
    lines: list[AnswerLine] = []
    for question in book.file.questions:
        if question.id not in answers:
            continue
        if not question_applies(questionnaire=book, question=question, answers=answers):
            continue
        lines.append(
            AnswerLine(
                section=sections.get(question.section, question.section),
                question=question.text.in_language(language),
                answer=_answer_label(question, answers[question.id], language),
                justification=justifications.get(question.id, ""),
            )
        )
    return lines


def report_build(*, assessment: Assessment, language: str | None = None) -> AssessmentReport:
    """Everything the report shows, in ``language`` (the member's when None)."""
    language = language or report_language(assessment=assessment)
    store = assessment.store
    with translation.override(language):
        book = questionnaire(assessment.questionnaire_version)
        result = assessment_result(assessment=assessment)
        answers = _answer_lines(assessment=assessment, book=book, language=language)
        observations, findings = report_notes(assessment=assessment)
        address = ", ".join(
            part
            for part in (
                store.street_address,
                " ".join(p for p in (store.city, store.region, store.postal_code) if p),
            )
            if part
        )
        return AssessmentReport(
            assessment_id=assessment.pk,
            language=language,
            store_name=store.name,
            member_name=store.member.name,
            address=address,
            questionnaire_version=assessment.questionnaire_version,
            finished=assessment.status == AssessmentStatus.FINISHED,
            started_at=assessment.started_at,
            finished_at=assessment.finished_at,
            result=result,
            chart=risk_chart(scores=result.scores),
            answers=tuple(answers),
            observations=observations,
            findings=findings,
        )


def finding_subject(*, finding: Finding, book: Questionnaire, language: str) -> str:
    """What a finding is about: its question's text, or its control's name."""
    if finding.question_id:
        question = book.question(finding.question_id)
        return question.text.in_language(language) if question else finding.question_id
    _titles, names = catalogue_names()
    return names.get(finding.control_id, finding.control_id)


def report_notes(*, assessment: Assessment) -> tuple[tuple[NoteLine, ...], tuple[NoteLine, ...]]:
    """The assessment's observations (by question, in questionnaire order) and findings, in
    the active language."""
    language = content_language(translation.get_language())
    book = questionnaire(assessment.questionnaire_version)
    order = {q.id: index for index, q in enumerate(book.file.questions)}
    by_question = assessment_observations(assessment=assessment)
    observations = tuple(
        NoteLine(
            title=(question.text.in_language(language) if question else question_id),
            text=observation.text,
        )
        for question_id in sorted(by_question, key=lambda q: (order.get(q, len(order)), q))
        for question in (book.question(question_id),)
        for observation in by_question[question_id]
    )
    findings = tuple(
        NoteLine(
            title=finding_subject(finding=finding, book=book, language=language),
            text=finding.note,
            status=finding.get_status_display(),
            due=date_format(finding.due_on, "DATE_FORMAT") if finding.due_on else "",
            owner=(
                (finding.owner.full_name or finding.owner.email)
                if finding.owner
                else finding.owner_name
            ),
        )
        for finding in assessment_findings(assessment=assessment)
    )
    return observations, findings


def _stylesheet_path() -> Path:
    found = finders.find(STYLESHEET)
    if not isinstance(found, str):
        raise FileNotFoundError(STYLESHEET)
    return Path(found)


@memoize
def report_design() -> str:
    """A fingerprint of the report's design: template, stylesheet, fonts, translations."""
    return design_version(
        paths=[
            _APP_DIR / "templates" / DOCUMENT_TEMPLATE,
            _APP_DIR / "templates" / "assessment" / "_report_body.html",
            _APP_DIR / "templates" / "assessment" / "_risk_chart.html",
            _stylesheet_path(),
            _APP_DIR / "locale" / "fr_CA" / "LC_MESSAGES" / "django.mo",
            Path(__file__),
            *font_files(),
        ],
        version=DESIGN_VERSION,
    )


def report_html(*, report: AssessmentReport, standalone: bool = True) -> str:
    """The report as one HTML document, in the report's language.

    ``standalone`` embeds the stylesheet (for the downloaded file); the PDF passes the
    stylesheet to WeasyPrint instead, with the shipped fonts.
    """
    css = brand_css() + _stylesheet_path().read_text(encoding="utf-8") if standalone else ""
    with translation.override(report.language):
        return render_to_string(
            DOCUMENT_TEMPLATE, {"report": report, "inline_css": css, "colours": COLOURS}
        )


def report_filename(*, report: AssessmentReport, extension: str) -> str:
    day = (report.finished_at or report.started_at).date().isoformat()
    return f"jewelguard-risk-assessment-{report.assessment_id}-{day}.{extension}"


def report_pdf_render(*, html: str) -> bytes:
    """The report's HTML set to PDF by WeasyPrint, in the shipped Inter."""
    import weasyprint  # heavy: loaded on the first report, not at start-up

    fonts = weasyprint.text.fonts.FontConfiguration()
    stylesheet = weasyprint.CSS(filename=str(_stylesheet_path()), font_config=fonts)
    brand = weasyprint.CSS(string=brand_css(), font_config=fonts)
    document = weasyprint.HTML(string=html, base_url=str(_APP_DIR)).render(
        stylesheets=[brand, stylesheet], font_config=fonts
    )
    return bytes(document.write_pdf())


def report_pdf_name(*, report: AssessmentReport) -> tuple[str, str]:
    """Where the report's PDF is stored (named by its HTML and the design), and that HTML."""
    html = report_html(report=report, standalone=False)
    fingerprint = document_fingerprint(
        inputs={"html": hashlib.sha256(html.encode()).hexdigest()}, design=report_design()
    )
    return f"assessment/reports/{report.assessment_id}/{report.language}-{fingerprint}.pdf", html


def report_pdf(*, report: AssessmentReport) -> bytes:
    """The report as a PDF, from the documents storage when the same report was built."""
    name, html = report_pdf_name(report=report)
    return document_cached(name=name, build=lambda: report_pdf_render(html=html))


def report_pdf_stored(*, report: AssessmentReport) -> bool:
    """Whether this very report's PDF is in the documents storage already."""
    name, _html = report_pdf_name(report=report)
    return document_storage().exists(name)

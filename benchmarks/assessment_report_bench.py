"""Benchmark: an assessment's report as a PDF, side by side with the same report as HTML.

What it does, in process (no HTTP server):

1. Django set up with the project's settings, a throwaway data directory (the documents
   storage lies in it) and SQLite, migrated; one member, one store (six days of 8 hours) and
   one finished assessment with a typical store's 29 answers;
2. **HTML**: what the HTML download does: ``report_build`` (the answers and the store's
   hours read, the local crime level asked of intel, the result scored with its sentences and
   recommendations, the answers labelled, the chart laid out) then ``report_html`` (the
   template rendered, the stylesheet embedded);
3. **PDF, first download**: ``report_build`` then ``report_pdf`` with nothing stored: the
   HTML rendered, set by WeasyPrint in the shipped Inter (about five Letter pages) and
   written to the documents storage;
4. **PDF, stored**: the same call when that report is already stored (one storage read);
5. each in English and in French (the member's language), after one warm-up (WeasyPrint
   imported, fonts loaded); ``--runs`` runs each; the table gives the median, the fastest
   and the slowest run in milliseconds, wall clock, and the median of this process's CPU
   time (less swayed by other work on a shared machine).

    .venv/bin/python benchmarks/assessment_report_bench.py             # 9 runs
    .venv/bin/python benchmarks/assessment_report_bench.py --runs 15
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_PDF_MS = 2000.0


def _setup() -> Path:
    data = Path(tempfile.mkdtemp(prefix="jewelguard-bench-"))
    os.environ["JEWELGUARD_DEBUG"] = "1"
    os.environ["JEWELGUARD_DATA_DIR"] = str(data)
    os.environ["JEWELGUARD_REDIS_URL"] = ""
    os.environ["DJANGO_SETTINGS_MODULE"] = "jewelguard.settings"
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return data


def _time(
    step: Callable[[], object], runs: int, before: Callable[[], None]
) -> tuple[list[float], list[float]]:
    """Wall-clock and this process's CPU time of each run, in milliseconds."""
    walls, cpus = [], []
    for _ in range(runs):
        before()
        started, cpu = time.perf_counter(), time.process_time()
        step()
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return walls, cpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    _setup()
    import weasyprint
    from django.core.files.storage import storages
    from tests.assessment.conftest import typical_store

    from jewelguard.accounts import services as accounts
    from jewelguard.assessment.report import report_build, report_html, report_pdf
    from jewelguard.assessment.services import answer_put, assessment_finish, assessment_start

    owner = accounts.user_create(
        email="bench@example.com", password=secrets.token_urlsafe(16), email_verified=True
    )
    member = accounts.member_create(owner=owner, name="Bench Jewelers")
    store = accounts.store_create(
        member=member,
        details=accounts.StoreDetails(
            name="Bench Jewelers",
            street_address="1430 Larimer St",
            postal_code="80202",
            country="US",
            week={day: (clock(10), clock(18)) for day in range(6)},
        ),
    )
    assessment = assessment_start(store=store, started_by=owner)
    for question_id, value in typical_store().items():
        answer_put(assessment=assessment, question_id=question_id, value=value, answered_by=owner)
    assessment = assessment_finish(assessment=assessment, finished_by=owner)
    location = Path(str(getattr(storages["documents"], "location", "")))

    def clear() -> None:
        shutil.rmtree(location / "assessment", ignore_errors=True)

    def keep() -> None:
        pass

    def html() -> str:
        return report_html(report=report_build(assessment=assessment))

    def pdf() -> bytes:
        return report_pdf(report=report_build(assessment=assessment))

    rows = []
    pages = {}
    for language in ("en", "fr-ca"):
        owner.language = language
        owner.save(update_fields=["language"])
        assessment.store.member.owner.language = language
        clear()
        pages[language] = len(weasyprint.HTML(string=html()).render().pages)
        pdf()  # warm: WeasyPrint imported, fonts loaded, catalogues read
        for label, step, before in (
            ("HTML: report_build + report_html", html, keep),
            ("PDF, first download: report_build + report_pdf, nothing stored", pdf, clear),
            ("PDF, stored: report_build + report_pdf, read from storage", pdf, keep),
        ):
            times, cpus = _time(step, args.runs, before)
            rows.append(
                (
                    label,
                    language,
                    statistics.median(times),
                    min(times),
                    max(times),
                    statistics.median(cpus),
                )
            )
    print(
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"{platform.system()} {platform.release()}, load average {os.getloadavg()[0]:.1f}; "
        f"WeasyPrint {weasyprint.__version__}; SQLite; {args.runs} runs each; report of "
        f"{pages['en']} pages (en), {pages['fr-ca']} (fr-ca); milliseconds, wall clock"
    )
    print("| case | language | median | fastest | slowest | CPU median |")
    print("|---|---|---|---|---|---|")
    for label, language, median, fastest, slowest, cpu in rows:
        print(
            f"| {label} | {language} | {median:.1f} | {fastest:.1f} | {slowest:.1f} | {cpu:.1f} |"
        )
    worst = max(row[2] for row in rows if row[0].startswith("PDF, first"))
    verdict = "met" if worst < GOAL_PDF_MS else "MISSED"
    print(f"goal: PDF median under {GOAL_PDF_MS:.0f} ms on a first download: {verdict}")


if __name__ == "__main__":
    main()

"""Importing police open data from the browser: the upload, the worker's run, the outcome."""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from pathlib import Path

import pytest
import yaml
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from jewelguard.core.audit import AuditEntry
from jewelguard.intel.import_runs import import_run_execute
from jewelguard.intel.imports import incidents_import
from jewelguard.intel.models import ImportRun, ImportState, Incident
from jewelguard.intel.profiles import PROFILES_DIR, profile_load
from tests.conftest import client_for, run_queued_tasks, shared_data
from tests.intel.test_imports import HEADER, denver_row, independent_counts

# Real commits: the worker, like the real one, opens and closes its own database connections.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media_dir(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


START = reverse("intel:import_start")


def csv_upload(name: str, *lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(), "text/csv")


def upload(client, *files, profile: str = "denver", profile_file=None):
    data: dict[str, object] = {"data_files": list(files), "profile": profile}
    if profile_file is not None:
        data["profile_file"] = profile_file
    return client.post(START, data)


def progress_of(client, run: ImportRun) -> str:
    return client.get(reverse("intel:import_progress", args=[run.pk])).content.decode()


def test_an_analyst_imports_the_denver_files_and_watches_them_land(analyst):
    # given an analyst and Denver's five open-data files
    folder = shared_data("crime/denver")
    client = client_for(analyst)
    files = [
        SimpleUploadedFile(name, (folder / name).read_bytes(), "text/csv")
        for name in ["crime.csv", "crime_2.csv", "crime_3.csv", "crime_4.csv", "crime_5.csv"]
    ]
    # when they are uploaded with the shipped profile
    response = upload(client, *files)
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("intel:import_detail", args=[run.pk])
    # then the page says it waits for the worker, and nothing is imported yet
    page = client.get(response["Location"]).content.decode()
    assert "Waiting for the worker" in page and "data-refresh=" in page
    assert not Incident.objects.exists()
    # and once the worker has run, the page shows the counts and stops asking
    run_queued_tasks()
    run.refresh_from_db()
    assert run.state == ImportState.DONE
    assert Counter(Incident.objects.values_list("scenario_id", flat=True)) == independent_counts()
    assert (run.added, run.rejected, run.rows_read) == (2763, 0, run.rows_total)
    panel = progress_of(client, run)
    assert "Done" in panel and "2763" in panel and "data-refresh=" not in panel
    assert "rows per second" in panel
    # and the import is in the audit log, with the files it read
    entry = AuditEntry.objects.get(action="intel.import_started")
    assert entry.actor == analyst and entry.details["files"][0] == "crime.csv"
    # and its stored uploads are gone
    assert not any(default_storage.exists(f["stored"]) for f in run.files)


def test_rejected_rows_are_counted_and_downloadable(analyst):
    client = client_for(analyst)
    lines = (HEADER, denver_row("1"), denver_row("2", lat="95"), denver_row("1"))
    upload(client, csv_upload("mixed.csv", *lines))
    run_queued_tasks()
    run = ImportRun.objects.get()
    assert (run.state, run.added, run.rejected) == (ImportState.DONE, 1, 2)
    assert "Download the rejected rows" in progress_of(client, run)
    response = client.get(reverse("intel:import_rejects", args=[run.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row[:2] for row in rows[1:]] == [["mixed.csv", "3"], ["mixed.csv", "4"]]
    assert "also on line 2" in rows[2][2]


def test_a_file_of_the_wrong_shape_is_refused_naming_file_and_line(analyst):
    client = client_for(analyst)
    good = csv_upload("good.csv", HEADER, denver_row("1"))
    missing = csv_upload(
        "missing.csv",
        HEADER.replace(",GEO_LAT", ""),
        denver_row("2").rsplit(',"39.73092160"', 1)[0],
    )
    upload(client, good, missing)
    run_queued_tasks()
    run = ImportRun.objects.get()
    assert run.state == ImportState.REFUSED
    assert "missing.csv: line 1: missing the column GEO_LAT" in run.error
    assert "Nothing was imported" in progress_of(client, run)
    assert not Incident.objects.exists()


def test_an_uploaded_profile_is_used_and_a_bad_one_refused_naming_the_key(analyst):
    client = client_for(analyst)
    profile = yaml.safe_load((PROFILES_DIR / "denver.yaml").read_text())
    profile["source"] = "my-city"
    own = SimpleUploadedFile("my-city.yaml", yaml.safe_dump(profile).encode())
    upload(client, csv_upload("a.csv", HEADER, denver_row("1")), profile="", profile_file=own)
    run_queued_tasks()
    assert Incident.objects.get().source_name == "my-city"
    assert ImportRun.objects.get().profile_name == "my-city.yaml"

    profile["colour_scheme"] = "red"
    bad = SimpleUploadedFile("bad.yaml", yaml.safe_dump(profile).encode())
    response = upload(client, csv_upload("a.csv", HEADER, denver_row("1")), profile_file=bad)
    assert response.status_code == 400
    assert "bad.yaml: unknown field &#x27;colour_scheme&#x27;" in response.content.decode()
    profile.pop("colour_scheme")
    profile["offenses"] = {"robbery-business": {"scenario": "bank_heist", "nibrs": "120"}}
    bad = SimpleUploadedFile("bad.yaml", yaml.safe_dump(profile).encode())
    response = upload(client, csv_upload("a.csv", HEADER, denver_row("1")), profile_file=bad)
    assert "names an unknown scenario" in response.content.decode()
    assert ImportRun.objects.count() == 1


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([], "Choose at least one CSV file."),
        ([("crime.xlsx", b"PK\x03\x04")], "crime.xlsx: only CSV files"),
        ([("crime.csv", b"PK\x03\x04\x00\x00")], "crime.csv: this is not a text file"),
        ([("empty.csv", b"")], "empty.csv: the file is empty."),
        ([("../../etc/passwd.csv", b"\x00")], "passwd.csv: this is not a text file"),
        ([(f"f{n}.csv", b"a\n") for n in range(11)], "At most 10 files"),
        ([("a.csv", b"a\n"), ("a.csv", b"b\n")], "the same name"),
    ],
)
def test_bad_uploads_are_refused_with_a_clear_error_and_nothing_stored(analyst, files, message):
    client = client_for(analyst)
    response = upload(client, *[SimpleUploadedFile(name, body) for name, body in files])
    assert response.status_code in (200, 400)
    assert message in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_file_over_the_size_limit_is_refused(analyst):
    # 26 MiB of random bytes: over the 25 MiB limit before anything reads it
    noise = SimpleUploadedFile("noise.csv", os.urandom(26 * 1024 * 1024))
    response = upload(client_for(analyst), noise)
    assert response.status_code == 400
    assert "noise.csv: the file is larger than 25 MiB." in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_body_larger_than_every_limit_together_is_refused_unread(analyst):
    client = client_for(analyst)
    data = {"data_files": [csv_upload("a.csv", HEADER, denver_row("1"))], "profile": "denver"}
    response = client.post(START, data, CONTENT_LENGTH=str(300 * 1024 * 1024))
    assert response.status_code == 413
    assert "The upload is larger than 251 MiB in all." in response.content.decode()
    assert not ImportRun.objects.exists()


def test_no_profile_chosen_is_refused(analyst):
    response = upload(client_for(analyst), csv_upload("a.csv", HEADER), profile="")
    assert "Choose one of the shipped profiles" in response.content.decode()


def test_only_analysts_and_administrators_may_import(client, member, officer, administrator):
    assert client.get(START).status_code == 302  # to the login page
    for user in (member.owner, officer):
        visitor = client_for(user)
        assert visitor.get(START).status_code == 403
        assert upload(visitor, csv_upload("a.csv", HEADER, denver_row("1"))).status_code == 403
    assert not ImportRun.objects.exists()
    assert client_for(administrator).get(START).status_code == 200


def test_a_run_is_not_shown_to_a_member(member, analyst):
    upload(client_for(analyst), csv_upload("a.csv", HEADER, denver_row("1")))
    run = ImportRun.objects.get()
    visitor = client_for(member.owner)
    for name in ("intel:import_detail", "intel:import_progress", "intel:import_rejects"):
        assert visitor.get(reverse(name, args=[run.pk])).status_code == 403


def test_a_task_run_twice_ends_as_one_run(analyst):
    upload(client_for(analyst), csv_upload("a.csv", HEADER, denver_row("1"), denver_row("2")))
    run = ImportRun.objects.get()
    import_run_execute(run_id=run.pk)
    # a second try (a worker died after the import, before the queue knew) changes nothing
    import_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert (run.state, run.added, Incident.objects.count()) == (ImportState.DONE, 2, 2)


def test_the_page_reads_in_french_and_analysts_find_it_in_the_menu(analyst, member):
    client = client_for(analyst)
    assert f'href="{START}"' in client.get("/").content.decode()
    assert f'href="{START}"' not in client_for(member.owner).get("/").content.decode()
    client.cookies["django_language"] = "fr-ca"
    page = client.get(START, HTTP_ACCEPT_LANGUAGE="fr-ca").content.decode()
    assert "Importer des données ouvertes de la police" in page
    assert "Profil d\u2019importation" in page


def test_a_worker_killed_mid_import_has_the_run_finished_by_the_next_try(analyst):
    rows = [denver_row(str(n)) for n in range(1, 8)]
    upload(client_for(analyst), csv_upload("a.csv", HEADER, *rows))
    run = ImportRun.objects.get()
    # given a worker that died with the run half done: some incidents in, the run "importing"
    partial = csv_upload("a.csv", HEADER, *rows[:3])
    ImportRun.objects.filter(pk=run.pk).update(state=ImportState.RUNNING, rows_read=3)
    path = default_storage.path(run.files[0]["stored"]) + ".partial"
    with open(path, "wb") as file:
        file.write(partial.read())
    incidents_import(paths=[Path(path)], profile=profile_load(name_or_path="denver"))
    assert Incident.objects.count() == 3
    # when the task is run again (another worker took it over)
    import_run_execute(run_id=run.pk)
    # then the run ends as one clean run does
    run.refresh_from_db()
    assert (run.state, run.added, run.unchanged, run.rows_read) == (ImportState.DONE, 4, 3, 7)
    assert Incident.objects.count() == 7
    assert run.finished_at is not None and run.finished_at <= timezone.now()

"""Importing police open data through an import profile: Denver's real files, and bad input."""

from __future__ import annotations

import csv
import os
import tempfile
from collections import Counter
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from jewelguard.core.content import ContentError
from jewelguard.intel.imports import ImportRefused, incidents_import
from jewelguard.intel.models import Incident, Source, Verification, Visibility
from jewelguard.intel.profiles import PROFILES_DIR, profile_load

pytestmark = pytest.mark.django_db

DENVER = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "crime" / "denver"
DENVER_FILES = ["crime.csv", "crime_2.csv", "crime_3.csv", "crime_4.csv", "crime_5.csv"]
HEADER = (
    "INCIDENT_ID,OFFENSE_ID,OFFENSE_CODE,OFFENSE_CODE_EXTENSION,OFFENSE_TYPE_ID,"
    "OFFENSE_CATEGORY_ID,FIRST_OCCURRENCE_DATE,LAST_OCCURRENCE_DATE,REPORTED_DATE,"
    "INCIDENT_ADDRESS,GEO_X,GEO_Y,GEO_LON,GEO_LAT,DISTRICT_ID,PRECINCT_ID,NEIGHBORHOOD_ID,"
    "IS_CRIME,IS_TRAFFIC"
)


def denver_row(
    offense_id: str = "2018460426220500",
    *,
    offense: str = "burglary-business-no-force",
    first: str = "7/1/2018 6:00:00 AM",
    last: str = "7/2/2018 1:00:00 PM",
    lon: str = "-104.98333740",
    lat: str = "39.73092160",
    traffic: str = "0",
) -> str:
    return (
        f'"{offense_id[:10]}","{offense_id}","2205","0","{offense}","burglary","{first}",'
        f'"{last}","7/8/2018 9:23:00 AM","900 N GRANT ST","3145315","1691531","{lon}","{lat}",'
        f'"6","623","capitol-hill","1","{traffic}"'
    )


def write(path: Path, *lines: str, encoding: str = "utf-8") -> Path:
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def run_import(*paths: Path, profile: str = "denver", rejects: Path | None = None) -> str:
    from io import StringIO

    out = StringIO()
    args = [str(path) for path in paths] + ["--profile", profile, "--no-progress"]
    if rejects is None:  # never the working directory
        rejects = Path(tempfile.mkdtemp()) / "rejects.csv"
    args += ["--rejects", str(rejects)]
    call_command("import_incidents", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def independent_counts() -> Counter[str]:
    """Per scenario, straight from the CSVs: the profile's offense map, no traffic, a location."""
    mapping = yaml.safe_load((PROFILES_DIR / "denver.yaml").read_text())["offenses"]
    counts: Counter[str] = Counter()
    for name in DENVER_FILES:
        with (DENVER / name).open(newline="", encoding="utf-8") as file:
            for row in csv.reader(file):
                if row[0] == "INCIDENT_ID" or row[18] == "1" or row[4] not in mapping:
                    continue
                if (
                    not row[12]
                    or not row[13]
                    or (abs(float(row[12])) < 1 and abs(float(row[13])) < 1)
                ):
                    continue
                counts[mapping[row[4]]["scenario"]] += 1
    return counts


@pytest.mark.skipif(not DENVER.is_dir(), reason="the Denver data set (../shared/data) is absent")
def test_the_five_denver_files_import_and_a_reimport_changes_nothing(tmp_path):
    # given the five Denver files, four of them without a header
    paths = [DENVER / name for name in DENVER_FILES]
    # when they are imported with the shipped profile
    run_import(*paths, rejects=tmp_path / "rejects.csv")
    # then each scenario holds as many incidents as the CSVs say
    imported = Counter(Incident.objects.values_list("scenario_id", flat=True))
    assert imported == independent_counts()
    assert sum(imported.values()) == 2763
    assert set(Incident.objects.values_list("source", "verification", "visibility").distinct()) == {
        (Source.IMPORT, Verification.VERIFIED, Visibility.PUBLIC_AGGREGATE)
    }
    first = Incident.objects.get(source_name="denver-pd", source_id="2018460426220500")
    assert first.occurred_from.isoformat() == "2018-07-01T12:00:00+00:00"  # 6 AM in Denver
    assert first.h3_r7 and first.h3_r10
    assert not (tmp_path / "rejects.csv").exists()  # nothing rejected, no file
    before = list(Incident.objects.order_by("pk").values())
    # when they are imported again
    report = run_import(*paths, rejects=tmp_path / "rejects.csv")
    # then nothing is added and nothing changes
    assert "0 incidents added, 0 changed, 2763 unchanged" in report
    assert list(Incident.objects.order_by("pk").values()) == before


def test_a_changed_row_is_updated_on_reimport(tmp_path):
    path = write(tmp_path / "a.csv", HEADER, denver_row("1"), denver_row("2"))
    run_import(path)
    write(tmp_path / "a.csv", HEADER, denver_row("1"), denver_row("2", offense="burglary-safe"))
    report = run_import(path)
    assert "0 incidents added, 1 changed, 1 unchanged" in report
    assert Incident.objects.get(source_id="2").scenario_id == "safe_burglary"


def test_bad_rows_are_rejected_with_file_line_and_reason_and_the_rest_imported(tmp_path):
    path = write(
        tmp_path / "bad.csv",
        HEADER,
        denver_row("1"),
        denver_row("2", first="2/30/2019 6:00:00 AM"),  # line 3: no such day
        denver_row("3", lat="95.1"),  # line 4: off the globe
        denver_row("4", lat="0.0000012", lon="-0.0000024"),  # line 5: at (0, 0)
        denver_row("1"),  # line 6: the id of line 2 again
        denver_row("5", lat=""),  # line 7: no location
        denver_row("6", first="7/3/2018 6:00:00 AM", last="7/1/2018 6:00:00 AM"),  # line 8
        denver_row("7", traffic="1"),  # skipped: a traffic accident
        denver_row("8", offense="theft-of-motor-vehicle"),  # skipped: not a jeweler's crime
        denver_row("9") + ',"extra"',  # line 11: one column too many
    )
    rejects = tmp_path / "rejects.csv"
    report = run_import(path, rejects=rejects)
    assert "1 incidents added" in report and "2 skipped" in report and "7 rejected" in report
    assert list(Incident.objects.values_list("source_id", flat=True)) == ["1"]
    with rejects.open(newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["file", "line", "reason", "row"]
    found = {int(row[1]): row[2] for row in rows[1:]}
    assert all(row[0] == "bad.csv" for row in rows[1:])
    assert "occurred_from '2/30/2019 6:00:00 AM' is not a date" in found[3]
    assert "latitude '95.1' is not between -90 and 90" in found[4]
    assert "(0, 0)" in found[5]
    assert "also on line 2" in found[6]
    assert "latitude is empty" in found[7]
    assert "occurred_to is before occurred_from" in found[8]
    assert "has 20 columns; the profile expects 19" in found[11]
    assert rows[1][3:5] == ["2", "2"]  # the row as read follows the reason


def test_a_file_missing_a_mapped_column_is_refused_before_anything_is_written(tmp_path):
    good = write(tmp_path / "good.csv", HEADER, denver_row("1"))
    missing = write(
        tmp_path / "missing.csv",
        HEADER.replace(",GEO_LAT", ""),
        denver_row("2").rsplit(',"39.73092160"', 1)[0],
    )
    with pytest.raises(CommandError, match=r"missing\.csv: line 1: missing the column GEO_LAT"):
        run_import(good, missing)
    assert not Incident.objects.exists()


def test_a_headerless_file_of_the_wrong_width_is_refused(tmp_path):
    path = write(tmp_path / "narrow.csv", '"1","2","3"')
    with pytest.raises(CommandError, match=r"narrow\.csv: line 1: has 3 columns; .* expects 19"):
        run_import(path)
    assert not Incident.objects.exists()


def test_a_file_in_the_wrong_encoding_is_refused_naming_the_line(tmp_path):
    path = write(
        tmp_path / "latin.csv",
        HEADER,
        denver_row("1"),
        denver_row("2").replace("GRANT ST", "PLACE DES ÉRABLES"),
        encoding="latin-1",
    )
    with pytest.raises(CommandError, match=r"latin\.csv: line 3: is not utf-8-sig text"):
        run_import(path)
    assert not Incident.objects.exists()


def test_fifty_megabytes_of_random_bytes_are_refused(tmp_path):
    path = tmp_path / "noise.csv"
    with path.open("wb") as file:
        for _ in range(50):
            file.write(os.urandom(1024 * 1024))
    with pytest.raises(CommandError, match=r"noise\.csv: line \d+: is not (utf-8-sig text|CSV)"):
        run_import(path)
    assert not Incident.objects.exists()


def test_an_empty_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match=r"empty\.csv: has no rows"):
        run_import(write(tmp_path / "empty.csv", ""))


def profile_file(tmp_path: Path, **changes: object) -> Path:
    data = yaml.safe_load((PROFILES_DIR / "denver.yaml").read_text())
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    path = tmp_path / "city.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_a_users_own_profile_is_read_from_its_path(tmp_path):
    profile = profile_file(tmp_path, source="my-city")
    run_import(write(tmp_path / "a.csv", HEADER, denver_row("1")), profile=str(profile))
    assert Incident.objects.get().source_name == "my-city"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"colour_scheme": "red"}, "city.yaml: unknown field 'colour_scheme'"),
        (
            {"offenses": {"robbery-business": {"scenario": "bank_heist", "nibrs": "120"}}},
            "field 'offenses.robbery-business.scenario' names an unknown scenario 'bank_heist'",
        ),
        (
            {"offenses": {"robbery-business": {"scenario": "armed_robbery", "nibrs": "999"}}},
            "names an unknown NIBRS offense code '999'",
        ),
        ({"dates": {"format": "%m/%d", "time_zone": "America/Denver"}}, "field 'dates.format'"),
        (
            {"dates": {"format": "%m/%d/%Y %H:%M:%S", "time_zone": "Mars/Olympus"}},
            "names an unknown time zone 'Mars/Olympus'",
        ),
        ({"encoding": "klingon"}, "names an unknown encoding 'klingon'"),
        ({"columns": None}, "field 'columns' is missing"),
        ({"column_names": ["A", "B"]}, "column 'OFFENSE_ID' is not in column_names"),
    ],
)
def test_a_bad_profile_is_refused_naming_the_key(tmp_path, changes, message):
    profile = profile_file(tmp_path, **changes)
    with pytest.raises(ContentError) as caught:
        profile_load(name_or_path=str(profile))
    assert message in str(caught.value)
    with pytest.raises(CommandError, match=r"profile city\.yaml"):
        run_import(write(tmp_path / "a.csv", HEADER, denver_row("1")), profile=str(profile))
    assert not Incident.objects.exists()


def test_an_unknown_shipped_profile_is_refused_naming_those_there_are(tmp_path):
    with pytest.raises(CommandError, match=r"is not a shipped profile \(these are: denver\)"):
        run_import(write(tmp_path / "a.csv", HEADER, denver_row("1")), profile="gotham")


def test_an_interrupted_import_run_again_ends_as_one_clean_run(tmp_path):
    rows = [denver_row(str(number)) for number in range(1, 31)]
    path = write(tmp_path / "a.csv", HEADER, *rows)
    profile = profile_load(name_or_path="denver")

    def interrupt(read: int, rejects: int) -> None:
        raise KeyboardInterrupt  # Ctrl-C after the first batch is written

    with pytest.raises(KeyboardInterrupt):
        incidents_import(paths=[path], profile=profile, progress=interrupt, batch_size=10)
    assert Incident.objects.count() == 10
    summary = incidents_import(paths=[path], profile=profile, batch_size=10)
    assert (summary.added, summary.changed, summary.unchanged) == (20, 0, 10)
    assert sorted(Incident.objects.values_list("source_id", flat=True), key=int) == [
        str(number) for number in range(1, 31)
    ]


def test_a_refused_file_raises_before_the_first_batch(tmp_path):
    good = write(tmp_path / "good.csv", HEADER, *[denver_row(str(n)) for n in range(1, 5)])
    bad = tmp_path / "bad.csv"
    bad.write_bytes(HEADER.encode() + b"\n" + denver_row("9").encode() + b"\n\xff\xfe\n")
    with pytest.raises(ImportRefused, match=r"bad\.csv: line 3"):
        incidents_import(paths=[good, bad], profile=profile_load(name_or_path="denver"))
    assert not Incident.objects.exists()


def test_the_worked_example_in_the_docs_imports_as_it_says(tmp_path):
    import re

    guide = (Path(__file__).resolve().parents[2] / "docs" / "import-profiles.md").read_text()
    blocks = dict(re.findall(r"```(csv|yaml)\n(.*?)```", guide, re.DOTALL))
    (tmp_path / "springfield-2024.csv").write_text(blocks["csv"])
    (tmp_path / "springfield.yaml").write_text(blocks["yaml"])
    paths = (tmp_path / "springfield-2024.csv",)
    report = run_import(*paths, profile=str(tmp_path / "springfield.yaml"))
    assert "3 rows read: 2 incidents added, 0 changed, 0 unchanged, 1 skipped" in report
    report = run_import(*paths, profile=str(tmp_path / "springfield.yaml"))
    assert "0 incidents added, 0 changed, 2 unchanged" in report

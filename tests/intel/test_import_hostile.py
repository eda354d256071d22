"""Hostile and odd input to the police open-data import: each refused or rejected by name."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import CommandError

from jewelguard.intel.imports import MAX_FIELD_CHARS
from jewelguard.intel.models import Incident
from tests.intel.test_imports import HEADER, denver_row, run_import, write

pytestmark = pytest.mark.django_db


def rejects_of(path: Path) -> dict[int, str]:
    with path.open(newline="") as file:
        return {int(row[1]): row[2] for row in list(csv.reader(file))[1:]}


def test_a_value_longer_than_any_police_record_refuses_the_file_naming_the_line(tmp_path):
    huge = denver_row("2").replace("900 N GRANT ST", "A" * (MAX_FIELD_CHARS + 1))
    path = write(tmp_path / "huge.csv", HEADER, denver_row("1"), huge)
    with pytest.raises(CommandError, match=r"huge\.csv: line 3: a value is longer than 10000"):
        run_import(path)
    assert not Incident.objects.exists()


def test_nul_bytes_and_control_characters_are_rejected_naming_the_line(tmp_path):
    path = tmp_path / "nul.csv"
    lines = [
        HEADER,
        denver_row("1"),
        denver_row("2\x00"),  # line 3: in the id (PostgreSQL stores no NUL)
        denver_row("3").replace("900 N GRANT ST", "900 N\x00GRANT ST"),  # line 4
        denver_row("4").replace("900 N GRANT ST", "900 N\x1bGRANT ST"),  # line 5: escape
        '"5\x00"',  # line 6: a short row
    ]
    path.write_bytes(("\n".join(lines) + "\n").encode())
    rejects = tmp_path / "rejects.csv"
    report = run_import(path, rejects=rejects)
    assert "1 incidents added" in report and "4 rejected" in report
    found = rejects_of(rejects)
    assert "source_id holds hidden characters" in found[3]
    assert "hidden characters" in found[4] and "hidden characters" in found[5]
    assert "has 1 columns" in found[6]
    assert list(Incident.objects.values_list("source_id", flat=True)) == ["1"]


def test_dates_far_in_the_future_or_before_1900_and_hidden_characters_are_rejected(tmp_path):
    path = write(
        tmp_path / "odd.csv",
        HEADER,
        denver_row("1"),
        denver_row("2", first="7/1/2999 6:00:00 AM", last="7/2/2999 6:00:00 AM"),  # line 3
        denver_row("3", first="7/1/1850 6:00:00 AM", last="7/2/1850 6:00:00 AM"),  # line 4
        denver_row("4").replace("900 N GRANT ST", "900 N GRANT\u202eTS"),  # line 5: bidi
        denver_row("5", lat="nan"),  # line 6
        denver_row("6", lon="-inf"),  # line 7
        denver_row("7", first="13/45/2018 99:00:00 AM"),  # line 8
    )
    rejects = tmp_path / "rejects.csv"
    report = run_import(path, rejects=rejects)
    assert "1 incidents added" in report and "6 rejected" in report
    found = rejects_of(rejects)
    assert "is in the future" in found[3]
    assert "is before 1900" in found[4]
    assert "hidden characters" in found[5]
    assert "latitude 'nan' is not between -90 and 90" in found[6]
    assert "longitude '-inf' is not between -180 and 180" in found[7]
    assert "is not a date in the format" in found[8]
    assert list(Incident.objects.values_list("source_id", flat=True)) == ["1"]


def test_a_source_id_too_long_or_empty_is_rejected(tmp_path):
    long_id = denver_row("1" * 61)
    empty = denver_row("9").replace('"9","2205"', '"","2205"', 1)
    path = write(tmp_path / "ids.csv", HEADER, long_id, empty, denver_row("2"))
    rejects = tmp_path / "rejects.csv"
    report = run_import(path, rejects=rejects)
    assert "1 incidents added" in report and "2 rejected" in report
    found = rejects_of(rejects)
    assert "longer than 60" in found[2] and "source_id is empty" in found[3]

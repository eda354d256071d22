"""Dates read as each language writes them: French writes the first of the month "1er"."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.utils import translation

from jewelguard.core.dates import date_long
from jewelguard.pledge.models import Pledge
from tests.conftest import client_for
from tests.pledge.conftest import take_pledge


@pytest.mark.parametrize(
    ("language", "day", "expected"),
    [
        ("fr-ca", date(2026, 12, 1), "1er décembre 2026"),
        ("fr-ca", date(2026, 12, 2), "2 décembre 2026"),
        ("fr-ca", date(2026, 12, 11), "11 décembre 2026"),
        ("fr-ca", date(2026, 12, 21), "21 décembre 2026"),
        ("en", date(2026, 12, 1), "Dec. 1, 2026"),
    ],
)
def test_long_dates(language, day, expected):
    with translation.override(language):
        assert date_long(day) == expected


def test_pledge_page_in_french_says_1er(member, store):
    # given a member who pledged on the first of December
    pledge = take_pledge(member)
    Pledge.objects.filter(pk=pledge.pk).update(taken_at=datetime(2026, 12, 1, 15, tzinfo=UTC))
    client = client_for(member.owner)
    client.cookies["django_language"] = "fr-ca"

    # when they read the pledge page in French
    page = client.get("/pledge/", headers={"accept-language": "fr-CA"}).content.decode()

    # then the date is written as French writes it
    assert "1er décembre 2026" in page
    assert "le 1 décembre" not in page

"""The hours part of the store form: a "closed" tick per weekday, and special days in rows."""

from __future__ import annotations

from datetime import date, time

import pytest

from jewelguard.accounts.models import HoursException, Store
from tests.accounts.conftest import saved_rows, store_form_data


def special_rows(*rows: dict[str, str], total: int | None = None) -> dict[str, str]:
    """The special-day rows as the form posts them, with the formset's bookkeeping fields."""
    data = {
        "special-TOTAL_FORMS": str(total if total is not None else len(rows)),
        "special-INITIAL_FORMS": "0",
        "special-MIN_NUM_FORMS": "0",
        "special-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"special-{i}-{key}": value for key, value in row.items()})
    return data


def test_a_day_ticked_closed_is_closed_even_with_times_left_in_it(member_client):
    response = member_client.post(
        "/me/stores/new/",
        store_form_data(monday_closed="on", tuesday_opens="10:00", tuesday_closes="17:00"),
    )
    assert response.status_code == 302
    assert [str(h) for h in Store.objects.get().hours.all()] == ["Tuesday 10:00-17:00"]


def test_edit_form_ticks_the_days_without_hours(member_client, store):
    # given a store open Monday to Saturday (make_store)
    form = member_client.get(f"/me/stores/{store.pk}/edit/").context["form"]
    # then only Sunday is shown ticked closed
    ticked = [day for day, closed, _o, _c in form.weekday_rows if closed.value()]
    assert ticked == ["Sunday"]


def test_special_days_are_added_in_rows_closed_or_with_their_hours(member_client):
    # when a jeweler adds Christmas (closed), Christmas Eve (short day) and leaves a blank row
    data = {
        **store_form_data(),
        **special_rows(
            {"date": "2026-12-25", "label": "Christmas", "closed": "on"},
            {"date": "2026-12-24", "label": "Christmas Eve", "opens": "10:00", "closes": "14:00"},
            {"date": "", "label": ""},
        ),
    }
    response = member_client.post("/me/stores/new/", data)
    # then both are saved, in date order, and the blank row is ignored
    assert response.status_code == 302, response.context["form"].special_days.errors
    saved = [(e.date, e.label, e.opens, e.closes) for e in HoursException.objects.all()]
    assert saved == [
        (date(2026, 12, 24), "Christmas Eve", time(10), time(14)),
        (date(2026, 12, 25), "Christmas", None, None),
    ]


def test_edit_shows_special_days_and_removes_a_ticked_one(member_client, store):
    HoursException.objects.create(store=store, date=date(2026, 12, 25), label="Christmas")
    HoursException.objects.create(store=store, date=date(2026, 7, 4), label="Independence Day")
    page = member_client.get(f"/me/stores/{store.pk}/edit/")
    shown = [row.initial.get("label") for row in page.context["form"].special_days.forms]
    assert shown[:2] == ["Independence Day", "Christmas"] and len(shown) == 5  # + 3 blank
    data = {
        **store_form_data(postal_code="80202"),
        **special_rows(
            {"date": "2026-07-04", "label": "Independence Day", "closed": "on", "remove": "on"},
            {"date": "2026-12-25", "label": "Christmas", "closed": "on"},
        ),
    }
    response = member_client.post(f"/me/stores/{store.pk}/edit/", data)
    assert response.status_code == 302
    assert [e.label for e in store.hours_exceptions.all()] == ["Christmas"]


def test_edit_without_special_day_rows_keeps_the_special_days(member_client, store):
    # given a store with a special day, edited by a client that knows nothing of special days
    HoursException.objects.create(store=store, date=date(2026, 12, 25), label="Christmas")
    response = member_client.post(
        f"/me/stores/{store.pk}/edit/", store_form_data(postal_code="80202")
    )
    assert response.status_code == 302
    assert [e.label for e in store.hours_exceptions.all()] == ["Christmas"]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"label": "Christmas", "closed": "on"}], "Give the date of this special day"),
        ([{"date": "2026-12-24", "opens": "10:00"}], "Give both an opening and a closing time"),
        ([{"date": "2026-12-24", "opens": "14:00", "closes": "10:00"}], "open before it closes"),
        ([{"date": "2026-12-25"}, {"date": "2026-12-25"}], "listed twice"),
        ([{"date": "2026-02-30"}], "Enter a valid date."),
        ([{"date": "2026-12-24", "opens": "10:00:30", "closes": "14:00"}], "24-hour time"),
        ([{"date": "2026-12-24", "label": "Eve\u202e"}], "Use one line of visible text"),
    ],
    ids=["no-date", "opens-only", "closes-first", "twice", "feb-30", "seconds", "rlo-label"],
)
def test_bad_special_day_rows_are_refused_and_nothing_is_saved(member_client, rows, message):
    before = saved_rows()
    response = member_client.post("/me/stores/new/", {**store_form_data(), **special_rows(*rows)})
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert saved_rows() == before


def test_a_forged_row_count_is_refused_not_a_server_error(member_client):
    before = saved_rows()
    data = {**store_form_data(), **special_rows(total=10_000_000)}
    response = member_client.post("/me/stores/new/", data)
    assert response.status_code == 200
    assert response.context["form"].special_days.non_form_errors()
    assert saved_rows() == before


def test_hours_part_of_the_form_speaks_french(member_client):
    page = member_client.get("/me/stores/new/", headers={"Accept-Language": "fr-CA"})
    text = page.content.decode()
    assert "Jours fériés et jours particuliers" in text
    assert "Jour particulier 1 : Date" in text
    assert "licence ODbL" in text

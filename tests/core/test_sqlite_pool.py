"""SQLite connections are kept between requests, without carrying anything from one to the next."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import DatabaseError, OperationalError
from django.db.utils import ConnectionHandler

from jewelguard.core.sqlite.base import DatabaseWrapper


@pytest.fixture
def handler(tmp_path: Path, django_db_blocker) -> Iterator[ConnectionHandler]:
    # A database of the test's own, apart from the test database.
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "jewelguard.core.sqlite",
                "NAME": str(tmp_path / "pool.sqlite3"),
                "OPTIONS": {"init_command": "PRAGMA busy_timeout=20000;"},
            }
        }
    )
    with django_db_blocker.unblock():
        yield handler
        handler.close_all()


def _wrapper(handler: ConnectionHandler) -> DatabaseWrapper:
    wrapper = handler["default"]
    assert isinstance(wrapper, DatabaseWrapper)
    return wrapper


def _sql(wrapper: DatabaseWrapper, sql: str, params: list[object] | None = None) -> list[tuple]:
    with wrapper.cursor() as cursor:
        cursor.execute(sql, params or [])
        return list(cursor.fetchall())


def test_the_next_request_reuses_the_connection_and_sees_committed_data(handler):
    db = _wrapper(handler)
    _sql(db, "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
    _sql(db, "INSERT INTO note (body) VALUES (%s)", ["first"])
    first = db.connection
    db.close()  # the end of a request
    assert db.connection is None
    rows = _sql(db, "SELECT body FROM note")
    assert rows == [("first",)]
    assert db.connection is first  # the file was not opened again


def test_a_connection_closed_inside_a_transaction_is_not_kept(handler):
    db = _wrapper(handler)
    _sql(db, "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
    db.set_autocommit(False)
    _sql(db, "INSERT INTO note (body) VALUES (%s)", ["never committed"])
    first = db.connection
    db.close()  # a request that ended with its transaction still open
    assert _sql(db, "SELECT body FROM note") == []
    assert db.connection is not first


def test_a_connection_that_saw_an_error_is_not_kept(handler):
    db = _wrapper(handler)
    _sql(db, "SELECT 1")
    first = db.connection
    # (Django counts integrity errors as harmless to the connection; other errors are not.)
    with pytest.raises(OperationalError):
        _sql(db, "SELECT * FROM no_such_table")
    db.close()
    _sql(db, "SELECT 1")
    assert db.connection is not first


def test_foreign_keys_are_enforced_again_after_a_user_turned_them_off(handler):
    db = _wrapper(handler)
    _sql(db, "CREATE TABLE shop (id INTEGER PRIMARY KEY)")
    _sql(db, "CREATE TABLE till (id INTEGER PRIMARY KEY, shop_id INTEGER REFERENCES shop(id))")
    _sql(db, "PRAGMA foreign_keys = OFF")
    db.close()
    with pytest.raises(DatabaseError):
        _sql(db, "INSERT INTO till (shop_id) VALUES (42)")


def test_a_database_file_made_anew_is_opened_anew(handler, tmp_path):
    db = _wrapper(handler)
    _sql(db, "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
    _sql(db, "INSERT INTO note (body) VALUES (%s)", ["old file"])
    db.close()
    # the file is deleted and made again (as the test runner and a restore do)
    path = tmp_path / "pool.sqlite3"
    path.unlink()
    _sql(db, "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
    assert _sql(db, "SELECT body FROM note") == []

"""Django's SQLite backend, with the SQLite connections themselves kept for the next request.

Under ASGI every request runs in a thread of its own, so Django cannot keep a connection per
thread (``CONN_MAX_AGE = 0``): each request opened the database file anew, registered
Django's SQL functions and made SQLite parse the whole schema again at its first query, about
1.3 ms of CPU per request on the benchmark machine (BENCHMARKS.md), more than the queries of
the store-list API together.

Here Django still opens and closes its connection per request as before (same transaction
handling, same settings, same errors), but closing hands the SQLite connection to a small
per-process pool instead of closing it, and the next opening takes it back. A connection is
only pooled when nothing is pending on it: no atomic block, no open transaction, no error
seen. One taken back is checked to still be on the same database file (a file deleted or
made anew, as the test runner does, is opened afresh) and gets its settings (foreign keys,
init commands) again. In-memory databases are left to Django, which never closes them.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from django.db.backends.sqlite3 import base as sqlite_base

# Idle connections kept per database and process. Under ASGI every request in flight has a
# thread and a connection of its own: 50 concurrent requests on two workers need about 25.
POOL_SIZE = 32


class _Pool:
    """Idle SQLite connections, by database file and connection options."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._idle: dict[str, list[tuple[Any, tuple[int, int]]]] = {}

    def take(self, *, key: str, file_id: tuple[int, int] | None) -> Any:
        """An idle connection on the same file, or None; one on another file is closed."""
        with self._lock:
            if self._pid != os.getpid():  # a forked child never uses its parent's connections
                self._idle, self._pid = {}, os.getpid()
            idle = self._idle.get(key, [])
            while idle:
                connection, opened_on = idle.pop()
                if opened_on == file_id:
                    return connection
                connection.close()
        return None

    def give(self, *, key: str, connection: Any, file_id: tuple[int, int] | None) -> bool:
        """Keep ``connection`` for later; False if the pool is full (close it yourself)."""
        if file_id is None:
            return False
        with self._lock:
            if self._pid != os.getpid():
                return False
            idle = self._idle.setdefault(key, [])
            if len(idle) >= POOL_SIZE:
                return False
            idle.append((connection, file_id))
            return True


_POOL = _Pool()


def _file_id(path: str) -> tuple[int, int] | None:
    """The database file's identity (device, inode), or None when it is not a plain file."""
    if path.startswith("file:"):
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino)


class DatabaseWrapper(sqlite_base.DatabaseWrapper):
    """Django's SQLite wrapper; its raw connections come from, and go back to, the pool."""

    def _pool_key(self, conn_params: dict[str, Any]) -> str:
        return repr(sorted(conn_params.items()))

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        if not self.is_in_memory_db():
            self._jewelguard_pool_key = self._pool_key(conn_params)
            self._jewelguard_file_id = _file_id(str(conn_params["database"]))
            connection = _POOL.take(key=self._jewelguard_pool_key, file_id=self._jewelguard_file_id)
            if connection is not None:
                # What Django's own opening sets, again: a previous user may have changed it
                # (constraint checks are switched off while tables are rebuilt).
                connection.execute("PRAGMA foreign_keys = ON")
                init_commands: list[str] = getattr(self, "init_commands", [])
                for init_command in init_commands:
                    if init_command := init_command.strip():
                        connection.execute(init_command)
                return connection
        connection = super().get_new_connection(conn_params)
        if not self.is_in_memory_db():
            # The file now exists even if this opening created it.
            self._jewelguard_file_id = _file_id(str(conn_params["database"]))
        return connection

    def _close(self) -> None:
        connection = self.connection
        if (
            connection is not None
            and not self.in_atomic_block
            and not self.errors_occurred
            and not connection.in_transaction
            and not self.is_in_memory_db()
            and _POOL.give(
                key=getattr(self, "_jewelguard_pool_key", ""),
                connection=connection,
                file_id=getattr(self, "_jewelguard_file_id", None),
            )
        ):
            return
        super()._close()  # type: ignore[misc]  # in Django, not in its stubs

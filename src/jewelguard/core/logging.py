"""Logging filters: what the console says about refused requests."""

from __future__ import annotations

import logging


class OneLineRefusals(logging.Filter):
    """A 403 is an answer, not a fault: log it as one line, without the traceback.

    Django logs every PermissionDenied with its traceback at WARNING; each one filled 30
    lines of the console. Django's own line stays: the reason and the path, never the query
    string or who asked.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True

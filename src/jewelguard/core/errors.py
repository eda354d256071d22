"""The one error a service raises when it refuses its input."""

from __future__ import annotations


class ServiceError(ValueError):
    """A service refused its input: ``field`` names the form or API field to blame.

    ``message`` is already translated, for the person who typed the value. Views and the API
    show it next to that field (``message_dict`` has the shape of Django's ValidationError).
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    @property
    def message_dict(self) -> dict[str, list[str]]:
        return {self.field: [self.message]}

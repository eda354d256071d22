"""What forms in every room share."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

# The largest id any supported database stores (a signed 64-bit integer); past it SQLite
# raises OverflowError instead of finding nothing.
DATABASE_ID_MAX = 2**63 - 1


def database_id_fits(value: object) -> bool:
    """Whether ``value``, if it reads as a whole number, is one a database id column can hold."""
    try:
        number = int(str(value).strip())
    except ValueError:
        return True  # not a number at all: the field's own check refuses it
    return -DATABASE_ID_MAX - 1 <= number <= DATABASE_ID_MAX


class ServiceErrorsMixin:
    """Put a service's ValidationError on the fields it names, the rest on the form."""

    def add_service_errors(self, error: ValidationError) -> None:
        form: Any = self
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)


class ModelIdMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Choose objects by id; an id past what the database holds is an invalid choice."""

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            if not database_id_fits(pk):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(pk)[:40]},
                )
        return super()._check_values(value)  # type: ignore[misc]

"""What forms in every room share."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


class ServiceErrorsMixin:
    """Put a service's ValidationError on the fields it names, the rest on the form."""

    def add_service_errors(self, error: ValidationError) -> None:
        form: Any = self
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)

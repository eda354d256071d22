"""The one check for text people type: normalised, and nothing invisible or misleading in it.

Names, addresses, subjects and labels end up on badges, e-mail headers and public pages, where
a line break breaks a header, a right-to-left override turns "Gems" into "smeG" and a name of
zero-width spaces shows as nothing at all. Every room uses these checks on every text field.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from pydantic import AfterValidator

# Control (Cc: C0, DEL and C1), format (Cf: bidi overrides, zero-width characters, soft
# hyphen), private use (Co), lone surrogates (Cs), line and paragraph separators (Zl, Zp).
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Zl", "Zp"})
# Runs of spaces of any kind (no-break, ideographic, ...) become one plain space.
_SPACES = re.compile(r"[^\S\n]+")
_LINE_BREAKS = re.compile(r"\r\n?")


def single_line_message() -> str:
    return gettext(
        "Use one line of visible text: no line breaks, tabs, or invisible or direction-changing "
        "characters."
    )


def multi_line_message() -> str:
    return gettext(
        "Remove tabs and invisible or direction-changing characters; line breaks are fine."
    )


class TextRefusedError(ValueError):
    """Text with a character no field may hold; ``message`` says what to do about it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# In ASCII only C0 controls and DEL are refused: one regex search instead of a lookup per
# character, for the text most people type.
_ASCII_REFUSED = re.compile(r"[\x00-\x1f\x7f]")


def _refused(ch: str) -> bool:
    return unicodedata.category(ch) in REFUSED_CATEGORIES


def _has_refused(value: str, *, allow_line_feed: bool = False) -> bool:
    if value.isascii():
        found = _ASCII_REFUSED.findall(value)
        return any(ch != "\n" or not allow_line_feed for ch in found)
    return any(_refused(ch) and not (allow_line_feed and ch == "\n") for ch in value)


def single_line_clean(*, value: str) -> str:
    """``value`` in NFC, trimmed, with runs of spaces made one; refused if anything is hidden.

    Raises TextRefusedError for line breaks, tabs and every character of REFUSED_CATEGORIES.
    """
    if _has_refused(value):
        raise TextRefusedError(single_line_message())
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def multi_line_clean(*, value: str) -> str:
    """Like ``single_line_clean`` but for a message: line breaks kept (as LF), lines trimmed."""
    unified = _LINE_BREAKS.sub("\n", value)
    if _has_refused(unified, allow_line_feed=True):
        raise TextRefusedError(multi_line_message())
    lines = unicodedata.normalize("NFC", unified).split("\n")
    return "\n".join(_SPACES.sub(" ", line).strip() for line in lines).strip()


def _checked_single_line(value: str) -> str:
    return single_line_clean(value=value)


# A single line of text in an API schema: pydantic turns the TextRefusedError into a 422
# naming the field.
SingleLineText = Annotated[str, AfterValidator(_checked_single_line)]


class SingleLineField(forms.CharField):
    """A form field for one line of text: normalised, and refused with hidden characters.

    The check sees the text as sent (a trailing line break is refused, as the API does), and
    trims it itself.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        text = str(super().to_python(value) or "")
        try:
            return single_line_clean(value=text)
        except TextRefusedError as error:
            raise ValidationError(error.message, code="single_line") from None


class MultiLineField(forms.CharField):
    """A form field for a message: line breaks allowed, hidden characters refused."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        text = str(super().to_python(value) or "")
        try:
            return multi_line_clean(value=text)
        except TextRefusedError as error:
            raise ValidationError(error.message, code="multi_line") from None

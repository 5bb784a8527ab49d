"""Validators for text a person types that other people see or that goes into an email."""

import unicodedata

from django.core.exceptions import ValidationError

# Cc: control characters (line breaks, tabs, NUL); Cf: invisible formatting characters
# (right-to-left overrides, zero-width joiners) that can disguise a name.
REFUSED_CATEGORIES = {"Cc", "Cf"}


def validate_plain_name(value: str) -> None:
    """A name is one line of visible text: a line break in it broke the supervisor's email (an
    email header cannot hold one) and let a name pass for two."""
    if any(unicodedata.category(ch) in REFUSED_CATEGORIES for ch in value or ""):
        raise ValidationError(
            "A name cannot contain line breaks, tabs or other invisible characters.",
            code="control_character",
        )

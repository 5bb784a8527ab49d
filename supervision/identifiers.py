"""A check for obvious patient identifiers in free text about observed practice: dates (a date
of birth, or any date written with numbers), NHS-style numbers and phone numbers (ten or more
digits, spaced or not), and email addresses. Pure Python. It cannot catch a name: the forms
say not to enter any identifier; this refuses the ones a pattern can find."""

import re

_DATE = re.compile(
    r"(?<!\d)(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})|\d{4}-\d{1,2}-\d{1,2})(?!\d)"
)
_BIRTH = re.compile(r"\b(?:d\.?o\.?b\.?|date of birth|born on)\b", re.IGNORECASE)
_EMAIL = re.compile(r"[^\s@<>()]+@[^\s@<>()]+\.[A-Za-z]{2,}")
# Runs of digits with single spaces, dots or hyphens between them (and an optional leading +).
_DIGITS = re.compile(r"\+?\(?\d(?:[\d\s.\-()]*\d)?")

MESSAGE = (
    "Remove the {what} ({found}): do not record anything that could identify a patient. "
    "Describe the care without names, dates of birth, NHS numbers or contact details."
)


def find(text: str) -> str | None:
    """A message naming the first obvious identifier in ``text``, or None."""
    text = text or ""
    if match := _EMAIL.search(text):
        return MESSAGE.format(what="email address", found=match.group(0))
    if match := _BIRTH.search(text):
        return MESSAGE.format(what="date of birth", found=match.group(0))
    if match := _DATE.search(text):
        return MESSAGE.format(what="date", found=match.group(0))
    for match in _DIGITS.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if len(digits) >= 10:
            what = "NHS number" if len(digits) == 10 else "phone number"
            return MESSAGE.format(what=f"{what} or other long number", found=match.group(0).strip())
    return None

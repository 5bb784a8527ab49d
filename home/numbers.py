"""Whole numbers typed into forms, read safely.

``int()`` on request data raises a ``ValueError`` past 4,300 digits, and a number of a few dozen
digits that it does read is too large for a database column (SQLite raises ``OverflowError``):
both were server errors. ``bounded_int`` reads at most 18 ASCII digits and checks the range, so
a caller answers anything else with a clear message and a 400.
"""

import re

_WHOLE = re.compile(r"[+-]?[0-9]{1,18}")


def bounded_int(raw, *, low: int, high: int) -> int | None:
    """``raw`` as an integer from ``low`` to ``high``; None when it is missing, not a whole
    number in ASCII digits, or out of range."""
    if isinstance(raw, bool) or raw is None:
        return None
    text = str(raw).strip()
    if not _WHOLE.fullmatch(text):
        return None
    value = int(text)
    return value if low <= value <= high else None

"""Who looks after a piece of teaching content, when it was last checked and when it is next due.

Lessons, quizzes and cases each mix in ``ReviewedContent``. It lives in the shell so that all three
can share one set of fields, one rule and one editor panel without importing each other; the
shell never names them (the "Content due for review" report finds them as the page models that
mix this in). The same ``review_problems`` runs in the editor (``ReviewedContent.clean``) and in
the YAML imports (``review_from_spec``), so a file that imports can be saved unchanged.
"""

import datetime
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

DUE_SOON_DAYS = 30
REVIEW_FIELDS = ("review_owner", "last_reviewed", "next_review")
# The keys of a content file's ``review`` block. ``Page.owner`` is the page's creator, so the
# person who answers for the content is the field ``review_owner``.
SPEC_KEYS = ("owner", "last_reviewed", "next_review")


class ReviewStatus(StrEnum):
    """Where a page stands against its next-review date (``review_status``)."""

    NOT_SET = "not set"
    OVERDUE = "overdue"
    DUE_SOON = "due within 30 days"
    LATER = "later"


def review_status(next_review: datetime.date | None, today: datetime.date) -> ReviewStatus:
    """Overdue once the date has passed; due soon from ``DUE_SOON_DAYS`` before it."""
    if next_review is None:
        return ReviewStatus.NOT_SET
    if next_review < today:
        return ReviewStatus.OVERDUE
    if next_review <= today + datetime.timedelta(days=DUE_SOON_DAYS):
        return ReviewStatus.DUE_SOON
    return ReviewStatus.LATER


def review_problems(review_owner: str, last_reviewed, next_review) -> dict[str, str]:
    """The rule, as {field: message}: the three go together (a date nobody owns, or an owner with
    no dates, cannot be acted on), and the next review comes after the last one."""
    given = {
        "review_owner": bool(review_owner and review_owner.strip()),
        "last_reviewed": last_reviewed is not None,
    }
    given["next_review"] = next_review is not None
    if any(given.values()) and not all(given.values()):
        return {
            field: "Give the owner, the last-reviewed date and the next-review date together."
            for field, present in given.items()
            if not present
        }
    if last_reviewed is not None and next_review is not None and next_review <= last_reviewed:
        return {
            "next_review": (
                f"The next review ({next_review.isoformat()}) must come after the last review "
                f"({last_reviewed.isoformat()})."
            )
        }
    return {}


class ReviewInvalid(ValueError):
    """A content file's ``review`` block is missing or breaks the rule; the message names the
    file so it can be fixed at the source."""


def _date(value, field: str, source: str) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise ReviewInvalid(
            f"{source}: review.{field} must be a date written YYYY-MM-DD, not “{value}”."
        ) from None


def review_from_spec(spec: dict, source: str) -> dict:
    """The model fields from a content file's ``review`` block (``owner``, ``last_reviewed``,
    ``next_review``), after the editor's rule; raises ``ReviewInvalid`` naming ``source``."""
    block = spec.get("review")
    if not isinstance(block, dict):
        raise ReviewInvalid(
            f"{source}: no review block; add `review:` with owner, last_reviewed and next_review."
        )
    for key in SPEC_KEYS:
        if not block.get(key):
            raise ReviewInvalid(f"{source}: review.{key} is missing.")
    fields = {
        "review_owner": str(block["owner"]).strip(),
        "last_reviewed": _date(block["last_reviewed"], "last_reviewed", source),
        "next_review": _date(block["next_review"], "next_review", source),
    }
    if problems := review_problems(**fields):
        raise ReviewInvalid(f"{source}: " + " ".join(problems.values()))
    return fields


class ReviewedContent(models.Model):
    """The review fields and their rule, for a page model to mix in before ``Page``.

    Blank is allowed so that pages made before these fields existed, and new drafts, still save;
    the shipped content always sets all three (its imports require the ``review`` block)."""

    review_owner = models.CharField(
        "owner",
        max_length=120,
        blank=True,
        help_text="The named person and their role (or the team) who keeps this content "
        "current, e.g. “Priya Shah, physiotherapy lead”.",
    )
    last_reviewed = models.DateField(null=True, blank=True)
    next_review = models.DateField(
        null=True, blank=True, help_text="Usually a year after the last review."
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if problems := review_problems(self.review_owner, self.last_reviewed, self.next_review):
            raise ValidationError(problems)

    def review_status(self, today: datetime.date | None = None) -> ReviewStatus:
        return review_status(self.next_review, today or timezone.localdate())


def review_panel() -> MultiFieldPanel:
    """The editor's "Review" panel (each page model puts it on its settings tab)."""
    return MultiFieldPanel(
        [FieldPanel(field) for field in REVIEW_FIELDS], heading="Review", icon="date"
    )

"""Sign-off records: the platform's statement that a supervisor judged a trainee. Append-only,
hash-chained per trainee (see ``supervision/chain.py``), and guarded at three levels: the model,
its queryset, and a database trigger (migration 0006) that refuses UPDATE and DELETE."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from home.append_only import AppendOnlyModel
from home.personal_data import Erasure, Export, PersonalData

from .. import chain


def new_verification_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


class SignOffRecord(AppendOnlyModel):
    class Decision(models.TextChoices):
        COMPETENT = "competent", "Competent"
        NOT_YET = "not_yet", "Not yet competent"
        REVOKED = "revoked", "Revoked"

    class Level(models.IntegerChoices):
        OBSERVE = 1, "1 · Observe only"
        DIRECT = 2, "2 · Act under direct supervision"
        INDIRECT = 3, "3 · Act under indirect supervision"
        UNSUPERVISED = 4, "4 · Practise unsupervised"
        SUPERVISE = 5, "5 · May supervise others"

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sign_offs"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sign_offs_given"
    )
    competency = models.CharField(max_length=120, default="Recognise and identify")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    level = models.PositiveSmallIntegerField(
        choices=Level.choices,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    feedback = models.TextField()
    next_steps = models.TextField(blank=True)
    justification = models.TextField(
        blank=True, help_text="Why sign off although the trainee was not yet 'ready'."
    )
    revokes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="revocations"
    )
    reason = models.TextField(blank=True, help_text="Why a record is revoked.")
    snapshot = models.JSONField(help_text="The evidence judged, frozen at the time.")
    snapshot_hash = models.CharField(max_length=64)
    previous_hash = models.CharField(max_length=64)
    record_hash = models.CharField(max_length=64, unique=True)
    verification_code = models.CharField(max_length=19, unique=True, default=new_verification_code)
    created_at = models.DateTimeField(default=timezone.now)

    personal_data = PersonalData(
        person="trainee",
        others=("supervisor",),  # who signed: a record about the trainee, kept as it is
        export=Export(
            "sign_offs",
            "decision",
            "level",
            "feedback",
            "next_steps",
            "justification",
            "reason",
            "supervisor__display_name",
            "verification_code",
            "created_at",
        ),
        erasure=Erasure.keep(
            "a professional credential record, append-only and hash-chained; it holds ids, "
            "never a name or an email"
        ),
        in_records=True,
    )

    class Meta:
        db_table = "assessments_signoffrecord"
        ordering = ["trainee", "id"]
        constraints = [
            # Two records can never extend the same predecessor: the chain cannot fork.
            models.UniqueConstraint(
                fields=["trainee", "previous_hash"], name="signoff_chain_linear"
            ),
            models.CheckConstraint(
                condition=Q(decision="revoked") | Q(level__gte=1, level__lte=5),
                name="signoff_level_1_to_5",
            ),
            models.CheckConstraint(
                condition=~Q(supervisor=models.F("trainee")), name="signoff_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} for {self.trainee_id} ({self.created_at:%Y-%m-%d})"

    def hashed_fields(self) -> dict:
        return {
            "trainee": self.trainee_id,
            "supervisor": self.supervisor_id,
            "competency": self.competency,
            "decision": self.decision,
            "level": self.level,
            "feedback": self.feedback,
            "next_steps": self.next_steps,
            "justification": self.justification,
            "revokes": self.revokes_id,
            "reason": self.reason,
            "verification_code": self.verification_code,
            "created_at": self.created_at.isoformat(),
        }

    def seal(self, previous_hash: str) -> None:
        """Fill in the hashes before the one and only save."""
        self.snapshot_hash = chain.digest(self.snapshot)
        self.previous_hash = previous_hash
        self.record_hash = chain.record_digest(
            self.hashed_fields(), self.snapshot_hash, self.previous_hash
        )

    def link(self) -> chain.Link:
        return chain.Link(
            self.pk,
            self.hashed_fields(),
            self.snapshot,
            self.snapshot_hash,
            self.previous_hash,
            self.record_hash,
        )

"""Sign-off records: the platform's statement that a supervisor judged a trainee. Append-only,
hash-chained per trainee (see ``supervision/chain.py``), and guarded at three levels: the model,
its queryset, and a database trigger (migration 0006) that refuses UPDATE and DELETE."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from home.append_only import AppendOnlyModel, AppendOnlyQuerySet
from home.personal_data import Erasure, Export, PersonalData

from .. import chain

NO_NAME = "Name not recorded"


def new_verification_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


class SignOffRecordQuerySet(AppendOnlyQuerySet):
    def results(self):
        """The records that are outcomes: every record made under one supervisor (``rule``
        null), a revocation, and under two supervisors the decision that closed the request.
        Not the first of two competent decisions that must agree, nor advice to a lead."""
        return self.filter(Q(is_result__isnull=True) | Q(is_result=True))


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
    # The name that was signed off, frozen with the decision: a salted SHA-256 of it
    # (``chain.name_commitment``), inside the record's hash, while the name and the salt are
    # kept beside the record (``SignedName``), so that an account erasure can remove them and
    # leave the chain whole. Null on records sealed before names were frozen.
    name_commitment = models.CharField(max_length=64, null=True, blank=True)
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
    # Two supervisors (``MasteryPolicy.supervisors_needed``): each records their own decision
    # on the trainee's request; ``rule`` says how the decisions combine ("all_agree" or
    # "lead_decides"), ``is_result`` whether this record is the outcome (it closed the request)
    # or only part of it (the first competent of two that must agree; the other supervisor's
    # advice to the lead). All three are null on records made by one supervisor (every record
    # made before two could be required), and are inside the record's hash when set. Nullable
    # so that adding them alters no stored row (the table refuses UPDATE).
    rule = models.CharField(
        max_length=20,
        null=True,
        blank=True,
        choices=[
            ("all_agree", "Both supervisors had to agree"),
            ("lead_decides", "The lead supervisor decided"),
        ],
    )
    is_result = models.BooleanField(null=True, blank=True)
    sign_off_request = models.ForeignKey(
        "supervision.SignOffRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        help_text="The request decided on, when two supervisors decide together.",
    )

    objects = SignOffRecordQuerySet.as_manager()

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
            "never a name or an email (the name signed off is a SignedName beside it)"
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
            # One supervisor counts once on a request, however many times the form is posted.
            models.UniqueConstraint(
                fields=["sign_off_request", "supervisor"],
                condition=Q(sign_off_request__isnull=False),
                name="signoff_one_decision_per_supervisor_per_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} for {self.trainee_id} ({self.created_at:%Y-%m-%d})"

    def hashed_fields(self) -> dict:
        """The fields inside ``record_hash``. ``name_commitment`` is included only when the
        record has one, so that records sealed before names were frozen still verify."""
        return {
            "trainee": self.trainee_id,
            "supervisor": self.supervisor_id,
            **(
                {"name_commitment": self.name_commitment}
                if self.name_commitment is not None
                else {}
            ),
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
            **(
                {
                    "rule": self.rule,
                    "is_result": self.is_result,
                    "request": self.sign_off_request_id,
                }
                if self.rule is not None
                else {}
            ),
        }

    @property
    def counts(self) -> bool:
        """Whether this record is an outcome (see ``SignOffRecordQuerySet.results``)."""
        return self.is_result is not False

    def panel(self) -> list["SignOffRecord"]:
        """Every decision on this record's request when two supervisors decided together (this
        one included), oldest first; for a record by one supervisor, just this one."""
        if self.sign_off_request_id is None:
            return [self]
        return list(
            SignOffRecord.objects.filter(sign_off_request_id=self.sign_off_request_id)
            .select_related("supervisor")
            .order_by("id")
        )

    @property
    def is_certificate(self) -> bool:
        """Only a competent outcome is a certificate (revoked or not: see ``revocations``)."""
        return self.decision == self.Decision.COMPETENT and self.counts

    @property
    def signed_name(self) -> str:
        """The name on the certificate: the one frozen with the record; once an erasure has
        removed it, the pseudonym; for records sealed before names were frozen, the trainee's
        name (never their email)."""
        signed = SignedName.objects.filter(record_id=self.pk).first()
        if signed is not None:
            return signed.name or NO_NAME
        trainee = self.trainee
        if self.name_commitment is not None:
            return trainee.name
        return trainee.display_name or trainee.get_full_name() or NO_NAME

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


def new_salt() -> str:
    return secrets.token_hex(16)


def name_to_sign(user) -> str:
    """The name frozen into a sign-off: the display name, else the full name; never the email
    (a certificate is shown to anyone who holds its code)."""
    return (user.display_name or user.get_full_name() or "").strip()


class SignedName(models.Model):
    """The trainee's name as it was signed off, beside its record: the record holds a salted
    hash of it (``SignOffRecord.name_commitment``), so a changed name here no longer matches
    (``services.sign_off_chains_verify`` reports it) and an account erasure can delete this row
    (name and salt) while the record and its chain stay whole."""

    record = models.OneToOneField(
        SignOffRecord, primary_key=True, on_delete=models.CASCADE, related_name="signed_name_row"
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_names"
    )
    name = models.CharField(max_length=200, blank=True)
    salt = models.CharField(max_length=32, default=new_salt)

    personal_data = PersonalData(
        person="trainee",
        export=Export("signed_names", "record_id", "name"),
        erasure=Erasure.delete("names on sign-off records"),
        in_records=True,
    )

    def __str__(self) -> str:
        return f"name signed on record {self.record_id}"

    def commitment(self) -> str:
        return chain.name_commitment(self.name, self.salt)

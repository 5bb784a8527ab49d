"""Accounts and the public home page.

``User`` carries the profile fields so that a page needs no extra query to greet someone.
``HomePage`` is the visitors' front door; logged-in people are sent on to their dashboard.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.shortcuts import redirect
from django.utils import timezone
from wagtail import blocks, hooks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .append_only import AppendOnlyModel
from .caching import CachedChildRoutesMixin, CachedViewRestrictionsMixin
from .personal_data import Erasure, Export, PersonalData
from .validators import validate_plain_name

STEPS = "home.personal_data.steps"


class Profession(models.TextChoices):
    PHYSIOTHERAPIST = "physiotherapist", "Physiotherapist"
    OCCUPATIONAL_THERAPIST = "occupational_therapist", "Occupational therapist"
    NURSE = "nurse", "Nurse"
    DOCTOR = "doctor", "Doctor"
    PSYCHOLOGIST = "psychologist", "Psychologist"
    SPEECH_AND_LANGUAGE_THERAPIST = (
        "speech_and_language_therapist",
        ("Speech and language therapist"),
    )
    SOCIAL_WORKER = "social_worker", "Social worker"
    DIETITIAN = "dietitian", "Dietitian"
    OTHER = "other", "Other"


class User(AbstractUser):
    """A person who uses the platform. Email is the login; the username is generated."""

    display_name = models.CharField(
        max_length=80,
        blank=True,
        help_text="How your name appears to supervisors.",
        validators=[validate_plain_name],
    )
    # Django's own name fields (the admins' user forms set them), with the same check.
    first_name = models.CharField(
        "first name", max_length=150, blank=True, validators=[validate_plain_name]
    )
    last_name = models.CharField(
        "last name", max_length=150, blank=True, validators=[validate_plain_name]
    )
    profession = models.CharField(max_length=40, choices=Profession.choices, blank=True)
    speciality = models.CharField(max_length=120, blank=True)
    organisation = models.CharField(max_length=160, blank=True)

    personal_data = PersonalData(
        person="pk",
        export=Export("profile", by=f"{STEPS}.profile_export"),
        erasure=Erasure.pseudonymise("", by=f"{STEPS}.account_pseudonymise"),
        in_records=True,  # their name shows on their own pages and their trainees'
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The friendliest name we have: display name, full name, then email."""
        return self.name_from(
            self.display_name, self.first_name, self.last_name, self.email, self.username
        )

    # The columns ``name`` reads, in ``name_from``'s order: for lists of names read as values.
    NAME_FIELDS = ("display_name", "first_name", "last_name", "email", "username")

    @staticmethod
    def name_from(display_name, first_name, last_name, email, username) -> str:
        """``name`` from the values of ``NAME_FIELDS`` (``get_full_name``'s rule for the
        full name), for callers that read names without loading accounts."""
        full_name = f"{first_name} {last_name}".strip()
        return display_name or full_name or email or username


class FeatureBlock(blocks.StructBlock):
    """One reason to take the course, shown as a card on the home page."""

    heading = blocks.CharBlock(max_length=80)
    text = blocks.TextBlock(max_length=400)

    class Meta:
        icon = "pick"
        template = "home/blocks/feature_block.html"
        description = "A short card: heading and two or three sentences."
        preview_value = {
            "heading": "Practise on realistic patients",
            "text": "Branching cases turn your decisions into evidence.",
        }


VISITOR_LINKS_HOOK = "home_visitor_links"


def visitor_links() -> list[dict]:
    """What a visitor may open beyond this page, as ``{"url", "text"}`` links, from the apps
    above the shell: each registers a function with the Wagtail hook ``home_visitor_links``
    (in its ``wagtail_hooks.py``) returning its links (none when nothing is published)."""
    return [link for hook in hooks.get_hooks(VISITOR_LINKS_HOOK) for link in hook()]


class HomePage(CachedViewRestrictionsMixin, CachedChildRoutesMixin, Page):
    """The public front door: what the competency is, why it matters, and how to start.

    Visitors read it; anyone logged in is sent to their own dashboard instead.
    """

    lead = models.CharField(max_length=255, help_text="One sentence under the title.")
    competency_statement = models.TextField(
        help_text="The competency in the words the curriculum uses."
    )
    intro = RichTextField(features=["bold", "italic", "link", "ol", "ul"])
    features = StreamField([("feature", FeatureBlock())], blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead"),
        FieldPanel("competency_statement"),
        FieldPanel("intro"),
        FieldPanel("features"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["curriculum.CurriculumIndexPage", "cases.CaseIndexPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["visitor_links"] = visitor_links()
        return context

    def serve(self, request, *args, **kwargs):
        # Logged-in people land on their dashboard, where their work is; previews still render.
        if request.user.is_authenticated and not getattr(request, "is_preview", False):
            return redirect("progress:dashboard")
        from .caching import for_visitors

        # Visitors all see the same page: rendered once until something is published.
        return for_visitors(
            request,
            f"page:{self.pk}",
            lambda: super(HomePage, self).serve(request, *args, **kwargs),
        )


class AuditEvent(AppendOnlyModel):
    """One security-relevant action: who, what, on which object, when (UTC) and from where.
    Append-only (model, queryset and a database trigger): nobody can edit or delete it."""

    class Action(models.TextChoices):
        LOGIN = "login", "Logged in"
        LOGIN_FAILED = "login_failed", "Failed login"
        MFA_FAILED = "mfa_failed", "Failed two-factor code"
        LOCKOUT = "lockout", "Locked out"
        SIGN_OFF = "sign_off", "Sign-off recorded"
        REVOCATION = "revocation", "Sign-off revoked"
        OBSERVATION = "observation", "Observation of practice recorded"
        ASSIGNMENT_CHANGE = "assignment_change", "Supervisor assignment changed"
        ROLE_CHANGE = "role_change", "Role changed"
        DATA_EXPORT = "data_export", "Data exported"
        ACCOUNT_ERASED = "account_erased", "Account erased"

    # No database constraint and no cascade: deleting a user must not rewrite the log.
    actor = models.ForeignKey(
        "home.User",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(
        max_length=254,
        blank=True,
        help_text="Who acted, without personal data: 'user <id>', or a keyed hash of the login "
        "typed for a failed login that matches no account.",
    )
    action = models.CharField(max_length=30, choices=Action.choices)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    personal_data = PersonalData(
        person="actor",
        # What they did, and what was done to their account.
        rows=lambda subject: (
            Q(actor=subject.user.pk)
            | Q(target_type=subject.user._meta.label, target_id=str(subject.user.pk))
        ),
        export=Export("audit_entries", "action", "created_at", "ip", "detail"),
        erasure=Erasure.keep("append-only; it names accounts by id, never by name or email"),
        in_records=False,  # read by administrators, never cached
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["action", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label or '-'} {self.action}"


class UserSession(models.Model):
    """Which sessions belong to whom, so that all of a person's sessions can be ended at once
    (when the account is deactivated) whatever the session backend (database or Redis)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data = PersonalData(
        person="user",
        export=None,
        erasure=Erasure.delete("sessions", by=f"{STEPS}.sessions_end"),
        in_records=False,  # which sessions a person has: shown nowhere
    )

    def __str__(self):
        return f"session of user {self.user_id}"

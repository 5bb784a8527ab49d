"""Case vignettes (pages) and vignette attempts. The branching engine lives in ``engine/``.

Pages hold the authored story (revisioned and moderated by Wagtail). Attempts are plain Django
models: one trainee each, pinned to the revision they started on, one row per answered step,
finished exactly once.
"""

from django import forms
from django.conf import settings
from django.db import models
from django.db.models import Q
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, Panel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from assessments.models import delivery_secret_of, new_delivery_secret
from competencies.models import ClinicalSetting, CompetencyElement
from home.caching import CachedChildRoutesMixin, CachedViewRestrictionsMixin, for_visitors
from home.members import MembersOnlyMixin
from home.models import Profession
from home.personal_data import ANONYMOUS, Erasure, Export, PersonalData
from home.review import ReviewedContent, review_panel

from .blocks import NodesBlock


class CaseIndexPage(CachedViewRestrictionsMixin, CachedChildRoutesMixin, MembersOnlyMixin, Page):
    """All the case vignettes, with each trainee's progress through them."""

    intro = RichTextField(features=["bold", "italic", "link"], blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["cases.CaseVignettePage"]
    max_count = 1

    @property
    def open_to_visitors(self) -> bool:
        """The list of cases (title, setting, profession) is public; playing needs an account."""
        return True

    def serve(self, request, *args, **kwargs):
        if request.user.is_authenticated or getattr(request, "is_preview", False):
            return super().serve(request, *args, **kwargs)
        # Visitors all see the same list: rendered once until something is published.
        return for_visitors(
            request, f"page:{self.pk}", lambda: super(CaseIndexPage, self).serve(request)
        )

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.case_index(index_page=self, user=request.user))
        return context


class GraphPanel(Panel):
    """The validation report and the drawn diagram of the vignette, in the editor."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "cases/admin/graph_panel.html"

        def get_context_data(self, parent_context=None):
            from . import selectors

            context = super().get_context_data(parent_context)
            context.update(selectors.vignette_map(page=self.instance))
            return context


class Difficulty(models.TextChoices):
    FOUNDATION = "foundation", "Foundation"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"


class CaseVignettePage(
    CachedViewRestrictionsMixin, MembersOnlyMixin, RoutablePageMixin, ReviewedContent, Page
):
    """A branching case: a person, a setting, and a story of nodes the trainee plays through."""

    patient_summary = models.TextField(help_text="Who the person is, shown before starting.")
    setting = models.ForeignKey(
        ClinicalSetting, null=True, on_delete=models.SET_NULL, related_name="vignettes"
    )
    difficulty = models.CharField(
        max_length=20, choices=Difficulty.choices, default=Difficulty.FOUNDATION
    )
    estimated_minutes = models.PositiveSmallIntegerField(default=15)
    profession = models.CharField(
        max_length=40,
        choices=Profession.choices,
        blank=True,
        help_text="Whose part the trainee plays in the case (shown in the list of cases).",
    )
    elements = ParentalManyToManyField(CompetencyElement, related_name="vignettes", blank=True)
    content_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Shown before starting, e.g. for sexual assault or self-harm content.",
    )
    learning_points = models.TextField(help_text="One per line; shown in the debrief.")
    nodes = StreamField(NodesBlock(), help_text="The first node is the start.")

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("patient_summary"),
                FieldPanel("setting", widget=forms.Select),
                FieldPanel("difficulty"),
                FieldPanel("estimated_minutes"),
                FieldPanel("profession"),
                FieldPanel("elements", widget=forms.CheckboxSelectMultiple),
                FieldPanel("content_note"),
                FieldPanel("learning_points"),
            ],
            heading="About the case",
        ),
        GraphPanel(heading="Map and checks (as last saved)"),
        FieldPanel("nodes"),
    ]
    settings_panels = [*Page.settings_panels, review_panel()]
    search_fields = [*Page.search_fields, index.SearchField("patient_summary")]
    parent_page_types = ["cases.CaseIndexPage"]
    subpage_types = []
    preview_modes = [("", "Start page"), ("map", "Map and every node (authors only)")]

    class Meta:
        verbose_name = "case vignette"

    @property
    def learning_point_list(self) -> list[str]:
        return [line.strip(" -•") for line in self.learning_points.splitlines() if line.strip()]

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.vignette_overview(page=self, user=request.user))
        return context

    def serve_preview(self, request, mode_name):
        if mode_name == "map":
            from django.template.response import TemplateResponse

            from . import selectors

            return TemplateResponse(
                request,
                "cases/vignette_map.html",
                {"page": self, **selectors.vignette_map(page=self, full=True)},
            )
        return super().serve_preview(request, mode_name)

    @path("")
    def overview(self, request):
        return self.render(request)

    @path("start/")
    def start(self, request):
        from .views import vignette_start

        return vignette_start(request, self)

    @path("play/<int:attempt_id>/")
    def play(self, request, attempt_id):
        from .views import vignette_play

        return vignette_play(request, self, attempt_id)

    @path("play/<int:attempt_id>/feedback/<int:step>/")
    def feedback(self, request, attempt_id, step):
        from .views import vignette_feedback

        return vignette_feedback(request, self, attempt_id, step)

    @path("play/<int:attempt_id>/debrief/")
    def debrief(self, request, attempt_id):
        from .views import vignette_debrief

        return vignette_debrief(request, self, attempt_id)


class VignetteAttempt(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        FINISHED = "finished", "Finished"

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vignette_attempts"
    )
    vignette = models.ForeignKey(
        CaseVignettePage, on_delete=models.CASCADE, related_name="attempts"
    )
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.PROTECT, related_name="+")
    node = models.CharField(max_length=30, help_text="The node the trainee is on.")
    seq = models.PositiveIntegerField(
        default=0, help_text="Steps answered so far; each form carries it, so a replay is refused."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    delivery_secret = models.CharField(
        max_length=32,
        blank=True,
        default=new_delivery_secret,
        editable=False,
        help_text="Draws the order of the options and their values on the page for this attempt.",
    )

    personal_data = PersonalData(
        person="trainee",
        export=Export(
            "case_attempts", "id", "vignette__title", "status", "started_at", "finished_at"
        ),
        erasure=Erasure.keep(ANONYMOUS),
        in_records=True,
    )

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["trainee", "vignette"],
                condition=Q(status="in_progress"),
                name="one_open_attempt_per_vignette",
            )
        ]

    def __str__(self) -> str:
        return f"{self.trainee_id} on {self.vignette_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.IN_PROGRESS

    @property
    def secret(self) -> str:
        """The secret this attempt's options are delivered with (``delivery_secret_of``)."""
        return delivery_secret_of(self, "case-attempt")


class VignetteStep(models.Model):
    """One answered node: what the trainee chose and what it scored. Written once."""

    attempt = models.ForeignKey(VignetteAttempt, on_delete=models.CASCADE, related_name="steps")
    seq = models.PositiveIntegerField()
    node = models.CharField(max_length=30)
    kind = models.CharField(max_length=20)
    choices = models.JSONField(default=list)
    values = models.JSONField(default=list)
    scores = models.JSONField(default=dict)
    maxima = models.JSONField(default=dict)
    band = models.CharField(max_length=40, blank=True)
    next_node = models.CharField(max_length=30)
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data = PersonalData(
        person="attempt__trainee",
        export=Export(
            "case_steps",
            "attempt_id",
            "seq",
            "node",
            "choices",
            "values",
            "scores",
            "maxima",
            "created_at",
        ),
        erasure=Erasure.keep(ANONYMOUS),
        in_records=False,  # written with their attempt, whose save moves the version
    )

    class Meta:
        ordering = ["attempt", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "seq"], name="one_step_per_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id} #{self.seq} {self.node}"

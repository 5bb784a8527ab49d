"""Quizzes: Wagtail pages under a module, with relational questions and choices.

Questions and choices are ordered child objects (``ParentalKey``), so they are saved in every
page revision, can be counted and reported on, and keep stable keys that answers refer to.
"""

import uuid

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from competencies.models import ClinicalSetting, CompetencyElement, Intervention, PsychosocialFactor
from home.caching import CachedViewRestrictionsMixin
from home.fragments import personal_fragment
from home.members import MembersOnlyMixin
from home.review import ReviewedContent, review_panel

from ..engine import pools, quiz_logic


def new_key() -> str:
    return uuid.uuid4().hex[:12]


class QuestionKind(models.TextChoices):
    SINGLE = "single", "Single choice"
    MULTIPLE = "multiple", "Multiple response"
    FACTOR_RECOGNITION = "factor_recognition", "Factor recognition"
    INTERVENTION_MATCHING = "intervention_matching", "Intervention matching"
    ORDERING = "ordering", "Ordering"
    REFLECTION = "reflection", "Short reflection (not auto-scored)"


class FeedbackTiming(models.TextChoices):
    AFTER_EACH = "after_each", "After each question (answers lock once feedback is shown)"
    AT_END = "at_end", "At the end, after submitting"


class QuizPageForm(WagtailAdminPageForm):
    """Checks that each question's choices make sense for its kind."""

    def clean(self):
        cleaned = super().clean()
        questions = self.formsets.get("questions")
        if questions is None or not questions.is_valid():
            return cleaned
        keys = set()
        variants = {}
        for form in questions.forms:
            if questions.can_delete and questions._should_delete_form(form):
                continue
            if not form.has_changed() and not form.instance.pk:
                continue
            key = form.cleaned_data.get("key")
            variants[key] = (form, form.cleaned_data)
            if problem := question_key_problem(key, keys):
                form.add_error("key", problem)
            keys.add(key)
            choices = form.formsets.get("choices") if hasattr(form, "formsets") else None
            kept = []
            if choices is not None and choices.is_valid():
                kept = [
                    c.cleaned_data
                    for c in choices.forms
                    if c.cleaned_data and not c.cleaned_data.get("DELETE")
                ]
            problem = question_choice_problem(form.cleaned_data.get("kind"), kept)
            if problem:
                form.add_error(None, problem)
        if problem := question_slot_problem([data for _, data in variants.values()]):
            key, message = problem
            variants[key][0].add_error("slot", message)
        return cleaned


def question_key_problem(key: str | None, taken: set) -> str | None:
    """Why a question cannot have this key (another question of the quiz has it), or None.
    The editor's form and the question-bank import (``assessments.importing``) both ask."""
    return "Each question needs its own key." if key in taken else None


def question_slot_problem(questions: list[dict]) -> tuple[str, str] | None:
    """The first question whose slot's variants are not interchangeable as evidence (same kind,
    elements and points), with why, or None. ``questions``: dicts with key, slot, kind, elements
    (instances or codes) and points. The editor's form and the import both ask."""
    return pools.variant_problem(
        pools.Variant(
            key=q.get("key") or "",
            slot=q.get("slot") or q.get("key") or "",
            kind=q.get("kind") or "",
            elements=frozenset(str(getattr(e, "pk", e)) for e in q.get("elements") or ()),
            points=float(q.get("points") or 1),
        )
        for q in questions
    )


def question_choice_problem(kind: str | None, choices: list[dict]) -> str | None:
    """Why a question's choices cannot work for its kind, or None when they can."""
    correct = [c for c in choices if c.get("correct")]
    if kind == QuestionKind.SINGLE and (len(choices) < 2 or len(correct) != 1):
        return "A single-choice question needs at least two options and exactly one correct."
    if kind == QuestionKind.MULTIPLE and (not correct or len(correct) == len(choices)):
        return "A multiple-response question needs some correct and some incorrect options."
    unnamed = any(not c.get("factor") for c in choices)
    if kind == QuestionKind.FACTOR_RECOGNITION and (
        unnamed or not correct or len(correct) == len(choices)
    ):
        return "Factor recognition: every option names a factor; some present, some absent."
    if kind == QuestionKind.INTERVENTION_MATCHING:
        pairs = [c for c in choices if c.get("factor")]
        if not pairs or any(not c.get("intervention") for c in choices):
            return (
                "Intervention matching: pair factors with interventions (distractors: no factor)."
            )
    if kind == QuestionKind.ORDERING and len(choices) < 3:
        return "An ordering question needs at least three items, listed in the correct order."
    return None


class QuizPage(
    CachedViewRestrictionsMixin, RoutablePageMixin, MembersOnlyMixin, ReviewedContent, Page
):
    """A scored quiz at the end of a module. Scoring happens on the server, against the
    revision the attempt started on. Routes: ``start/``, ``attempt/<id>/``,
    ``attempt/<id>/submit/`` and ``attempt/<id>/review/`` (see ``assessments.views``)."""

    intro = RichTextField(features=["bold", "italic", "link"], blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        default=quiz_logic.DEFAULT_PASS_MARK,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Percent.",
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        default=0, help_text="0 means unlimited attempts."
    )
    feedback_timing = models.CharField(
        max_length=20, choices=FeedbackTiming.choices, default=FeedbackTiming.AT_END
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Optional; enforced on the server."
    )
    setting = models.ForeignKey(
        ClinicalSetting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Default clinical setting of the evidence.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("pass_mark"),
                FieldPanel("attempts_allowed"),
                FieldPanel("feedback_timing"),
                FieldPanel("time_limit_minutes"),
                FieldPanel("setting"),
            ],
            heading="Settings",
        ),
        InlinePanel("questions", label="Questions", min_num=1),
    ]
    settings_panels = [*Page.settings_panels, review_panel()]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    base_form_class = QuizPageForm
    parent_page_types = ["curriculum.ModulePage"]
    subpage_types = []

    def get_context(self, request, *args, **kwargs):
        from .. import selectors

        context = super().get_context(request, *args, **kwargs)
        if getattr(request, "is_preview", False) or not request.user.is_authenticated:
            context.update(selectors.quiz_overview(quiz=self, user=request.user))
            return context
        context["overview_html"] = personal_fragment(
            request,
            f"quiz:{self.pk}",
            "assessments/includes/quiz_overview.html",
            lambda: {
                "page": self,
                "user": request.user,
                **selectors.quiz_overview(quiz=self, user=request.user),
            },
        )
        return context

    @path("")
    def overview(self, request):
        return self.render(request)

    @path("start/")
    def start(self, request):
        from ..views import quiz_start

        return quiz_start(request, self)

    @path("attempt/<int:attempt_id>/")
    def attempt(self, request, attempt_id):
        from ..views import quiz_question

        return quiz_question(request, self, attempt_id)

    @path("attempt/<int:attempt_id>/submit/")
    def submit(self, request, attempt_id):
        from ..views import quiz_submit

        return quiz_submit(request, self, attempt_id)

    @path("attempt/<int:attempt_id>/review/")
    def review(self, request, attempt_id):
        from ..views import quiz_review

        return quiz_review(request, self, attempt_id)


class Question(ClusterableModel, Orderable):
    """One question of a quiz. ``key`` is stable: answers and evidence are stored against it."""

    quiz = ParentalKey(QuizPage, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=60, default=new_key, help_text="Stable; never rename.")
    slot = models.SlugField(
        max_length=60,
        blank=True,
        help_text=(
            "Questions with the same slot are equivalent variants (same kind, elements and "
            "points): each attempt shows one of them, a retake preferring one the trainee has "
            "not seen. Blank: the question is a slot of its own."
        ),
    )
    kind = models.CharField(max_length=30, choices=QuestionKind.choices)
    stem = models.TextField(help_text="The question or short case, in Markdown.")
    elements = ParentalManyToManyField(CompetencyElement, related_name="questions")
    setting = models.ForeignKey(
        ClinicalSetting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    points = models.PositiveSmallIntegerField(default=1)
    feedback = models.TextField(blank=True, help_text="The teaching point, shown after answering.")
    guidance = models.TextField(
        blank=True, help_text="Reflection questions: what a good answer covers (for supervisors)."
    )

    panels = [
        FieldPanel("kind"),
        FieldPanel("key"),
        FieldPanel("slot"),
        FieldPanel("stem"),
        FieldPanel("elements", widget=forms.CheckboxSelectMultiple),
        FieldPanel("setting"),
        FieldPanel("points"),
        FieldPanel("feedback"),
        FieldPanel("guidance"),
        InlinePanel("choices", label="Options, factors, pairs or items (in the correct order)"),
    ]

    def __str__(self) -> str:
        return f"{self.key}: {self.stem[:60]}"


class Choice(Orderable):
    """An option (single, multiple), a factor (recognition), a pair or distractor (matching:
    factor + intervention, or intervention alone), or an item (ordering: its position here is
    the correct position)."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    key = models.SlugField(max_length=60, default=new_key)
    text = models.CharField(max_length=500, blank=True)
    correct = models.BooleanField(default=False, help_text="Correct option, or factor present.")
    factor = models.ForeignKey(
        PsychosocialFactor, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    intervention = models.ForeignKey(
        Intervention, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    feedback = models.TextField(blank=True)

    panels = [
        FieldPanel("key"),
        FieldPanel("text"),
        FieldPanel("correct"),
        FieldPanel("factor"),
        FieldPanel("intervention"),
        FieldPanel("feedback"),
    ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.text:
            return self.text
        if self.factor_id:
            return self.factor.name
        if self.intervention_id:
            return self.intervention.name
        return self.key

"""The curriculum's pages: one index, modules under it, lessons under modules.

Pages are thin: fields, panels, search fields and page-type rules. What a page shows a trainee
comes from ``selectors``; what a trainee does (complete, reflect) goes through ``services``, via
the small routes on ``LessonPage``.
"""

from django import forms
from django.db import models
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from competencies.models import CompetencyElement
from home.caching import CachedChildRoutesMixin, CachedViewRestrictionsMixin, for_visitors
from home.fragments import personal_fragment
from home.members import MembersOnlyMixin
from home.review import ReviewedContent, review_panel

from ..blocks import LessonBodyBlock


class CurriculumIndexPage(
    CachedViewRestrictionsMixin, CachedChildRoutesMixin, MembersOnlyMixin, Page
):
    """The course: every module, with the trainee's progress and where to carry on."""

    intro = RichTextField(features=["bold", "italic", "link"], blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["curriculum.ModulePage"]
    max_count = 1

    @property
    def open_to_visitors(self) -> bool:
        """The syllabus (modules, lesson titles, times) is public; lessons stay for members."""
        return True

    def serve(self, request, *args, **kwargs):
        if request.user.is_authenticated or getattr(request, "is_preview", False):
            return super().serve(request, *args, **kwargs)
        # Visitors all see the same syllabus: rendered once until something is published.
        return for_visitors(
            request, f"page:{self.pk}", lambda: super(CurriculumIndexPage, self).serve(request)
        )

    def get_context(self, request, *args, **kwargs):
        from .. import selectors

        context = super().get_context(request, *args, **kwargs)
        if getattr(request, "is_preview", False) or not request.user.is_authenticated:
            context["overview"] = selectors.curriculum_overview(index=self, user=request.user)
            return context
        context["course_html"] = personal_fragment(
            request,
            f"course:{self.pk}",
            "curriculum/includes/course_index.html",
            lambda: {
                "page": self,
                "overview": selectors.curriculum_overview(index=self, user=request.user),
            },
        )
        return context


class ModulePageForm(WagtailAdminPageForm):
    """Admin form for modules: a module needs at least one learning objective."""

    def clean(self):
        cleaned = super().clean()
        objectives = self.formsets.get("objectives")
        if objectives is not None and objectives.is_valid():
            kept = [
                form
                for form in objectives.forms
                if form.has_changed() or form.instance.pk
                if not (objectives.can_delete and objectives._should_delete_form(form))
            ]
            if not kept:
                self.add_error(None, "Add at least one learning objective.")
        return cleaned


class ModulePage(CachedViewRestrictionsMixin, CachedChildRoutesMixin, MembersOnlyMixin, Page):
    """A module of the course: a summary, learning objectives tied to competency elements, an
    estimated time, and its lessons in page-tree order (reorder them in the admin)."""

    summary = models.TextField(max_length=600)
    estimated_minutes = models.PositiveSmallIntegerField(default=30)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("estimated_minutes"),
        InlinePanel("objectives", label="Learning objectives", min_num=1),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    base_form_class = ModulePageForm
    parent_page_types = ["curriculum.CurriculumIndexPage"]
    subpage_types = ["curriculum.LessonPage", "assessments.QuizPage"]

    def get_context(self, request, *args, **kwargs):
        from .. import selectors

        context = super().get_context(request, *args, **kwargs)
        context["module"] = selectors.module_detail(module=self, user=request.user)
        return context


class LearningObjective(Orderable):
    """What a trainee will be able to do after a module, and which elements it serves."""

    module = ParentalKey(ModulePage, on_delete=models.CASCADE, related_name="objectives")
    text = models.CharField(max_length=300)
    elements = ParentalManyToManyField(CompetencyElement, related_name="objectives")

    panels = [FieldPanel("text"), FieldPanel("elements", widget=forms.CheckboxSelectMultiple)]

    def __str__(self) -> str:
        return self.text


class LessonPage(
    CachedViewRestrictionsMixin, RoutablePageMixin, MembersOnlyMixin, ReviewedContent, Page
):
    """One lesson: a body of blocks, the competency elements it serves, an estimated time.

    Routes: the page itself (GET; ``?gain=`` redraws the feedback-loop figure), ``complete/``
    (POST: mark as complete), ``reflect/<block id>/`` (POST: save a private reflection) and
    ``figure/`` (GET: just the redrawn figure, for the slider script).
    """

    summary = models.CharField(max_length=300)
    estimated_minutes = models.PositiveSmallIntegerField(default=10)
    is_core = models.BooleanField(
        default=True, help_text="Core lessons must be completed before sign-off."
    )
    taster = models.BooleanField(
        default=False, help_text="Open to visitors who are not logged in, as a taste of the course."
    )
    elements = ParentalManyToManyField(CompetencyElement, related_name="lessons", blank=False)
    body = StreamField(LessonBodyBlock())

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("estimated_minutes"),
        FieldPanel("elements", widget=forms.CheckboxSelectMultiple),
        FieldPanel("body"),
    ]
    settings_panels = [
        *Page.settings_panels,
        FieldPanel("is_core"),
        FieldPanel("taster"),
        review_panel(),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("taster"),
    ]
    parent_page_types = ["curriculum.ModulePage"]
    subpage_types = []

    @property
    def open_to_visitors(self) -> bool:
        return self.taster

    def get_context(self, request, *args, **kwargs):
        from .. import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(
            selectors.lesson_detail(
                lesson=self, user=request.user, preview=getattr(request, "is_preview", False)
            )
        )
        context["loop_gain"] = selectors.requested_gain(request.GET)
        return context

    @path("")
    def lesson(self, request):
        return self.render(request)

    @path("complete/")
    def complete(self, request):
        from ..views import lesson_complete

        return lesson_complete(request, self)

    @path("reflect/<str:block_id>/")
    def reflect(self, request, block_id):
        from ..views import reflection_save

        return reflection_save(request, self, block_id)

    @path("instrument/<str:block_id>/")
    def instrument(self, request, block_id):
        from ..views import instrument_practice

        return instrument_practice(request, self, block_id)

    @path("figure/")
    def figure(self, request):
        from ..views import feedback_loop_figure

        return feedback_loop_figure(request, self)

"""Page-type rules, and an educator creating and previewing a lesson with every block type."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from assessments.models import QuizPage
from cases.models import CaseIndexPage, CaseVignettePage
from competencies.models import CompetencyElement
from curriculum.models import CurriculumIndexPage, LessonPage, ModulePage
from home.models import HomePage
from home.roles import Role
from tests.curriculum.conftest import build_course
from tests.factories import make_user


class CurriculumPageTreeTests(WagtailPageTestCase):
    def setUp(self):
        self.index, self.modules, self.lessons = build_course(modules=1, lessons_per_module=1)
        self.educator = make_user(Role.EDUCATOR, email="ed@test.example")
        self.client.force_login(self.educator)

    def test_parent_and_child_rules(self):
        self.assertAllowedSubpageTypes(HomePage, {CurriculumIndexPage, CaseIndexPage})
        self.assertAllowedSubpageTypes(CaseIndexPage, {CaseVignettePage})
        self.assertAllowedParentPageTypes(CaseVignettePage, {CaseIndexPage})
        self.assertAllowedSubpageTypes(CurriculumIndexPage, {ModulePage})
        self.assertAllowedSubpageTypes(ModulePage, {LessonPage, QuizPage})
        self.assertAllowedSubpageTypes(LessonPage, set())
        self.assertAllowedParentPageTypes(LessonPage, {ModulePage})
        self.assertAllowedParentPageTypes(ModulePage, {CurriculumIndexPage})
        self.assertCanCreateAt(ModulePage, LessonPage)
        self.assertCanNotCreateAt(CurriculumIndexPage, LessonPage)
        self.assertCanNotCreateAt(HomePage, ModulePage)
        self.assertCanNotCreateAt(Page, LessonPage)

    def test_only_one_curriculum_index(self):
        home = HomePage.objects.get()
        self.assertFalse(CurriculumIndexPage.can_create_at(home))

    def _lesson_form(self, title="Every block"):
        element = CompetencyElement.objects.get(code="elicit")
        data = nested_form_data(
            {
                "title": title,
                "slug": "every-block",
                "summary": "A lesson with one of each block.",
                "estimated_minutes": 12,
                "body": streamfield(
                    [
                        ("rich_text", rich_text("<p>Formatted text.</p>")),
                        ("markdown", "## Markdown\n\nText."),
                        ("key_point", {"heading": "Key", "text": "Point."}),
                        (
                            "worked_example",
                            {
                                "title": "Ana",
                                "setting": "",
                                "scenario": "Story.",
                                "analysis": "Why.",
                            },
                        ),
                        ("reflection", {"prompt": "What would you ask?", "hint": ""}),
                        ("page_link", {"page": self.lessons[0].pk, "label": "", "description": ""}),
                        ("glossary_term", {"term": "Term", "definition": "Meaning."}),
                        (
                            "feedback_loop",
                            {
                                "heading": "Loop",
                                "caption": "Caption.",
                                "days": 14,
                                "initial_agitation": 3,
                                "initial_stress": 1,
                                "gain": 0.6,
                                "intervention_gain": 0.3,
                                "decay": 0.5,
                                "daily_stressors": 0.5,
                            },
                        ),
                    ]
                ),
            }
        )
        data["elements"] = [element.pk]
        return data

    def test_educator_creates_a_lesson_with_every_block_type(self):
        response = self.client.post(
            f"/admin/pages/add/curriculum/lessonpage/{self.modules[0].pk}/", self._lesson_form()
        )
        lesson = LessonPage.objects.get(slug="every-block")
        self.assertRedirects(response, f"/admin/pages/{lesson.pk}/edit/")
        kinds = {block.block_type for block in lesson.body}
        assert kinds == {
            "rich_text", "markdown", "key_point", "worked_example", "reflection", "page_link",
            "glossary_term", "feedback_loop",
        }  # fmt: skip
        # Educators may not publish: the lesson waits as a draft for review.
        assert not lesson.live

    def test_every_block_type_previews(self):
        # The educator's own draft, with every block type, previews as they edit it.
        self.client.post(
            f"/admin/pages/add/curriculum/lessonpage/{self.modules[0].pk}/", self._lesson_form()
        )
        draft = LessonPage.objects.get(slug="every-block")
        preview_url = f"/admin/pages/{draft.pk}/edit/preview/"
        data = self._lesson_form()
        assert self.client.post(preview_url, data).json() == {
            "is_valid": True,
            "is_available": True,
        }
        html = self.client.get(preview_url).content.decode()
        for text in ("Formatted text.", "Key", "What would you ask?", "Meaning.", "Escalating."):
            assert text in html, text

    def test_invalid_feedback_loop_is_refused_with_a_message(self):
        data = self._lesson_form()
        data["body-7-value-intervention_gain"] = "0.9"
        response = self.client.post(
            f"/admin/pages/add/curriculum/lessonpage/{self.modules[0].pk}/", data
        )
        assert response.status_code == 200
        assert b"The intervention should lower the gain" in response.content
        assert not LessonPage.objects.filter(slug="every-block").exists()

    def test_module_needs_an_objective(self):
        data = nested_form_data(
            {
                "title": "No objectives",
                "slug": "no-objectives",
                "summary": "S",
                "estimated_minutes": 5,
                "objectives": inline_formset([]),
            }
        )
        response = self.client.post(
            f"/admin/pages/add/curriculum/modulepage/{self.index.pk}/", data
        )
        assert response.status_code == 200
        assert not ModulePage.objects.filter(slug="no-objectives").exists()

    def test_module_with_an_objective_is_created(self):
        element = CompetencyElement.objects.get(code="elicit")
        data = nested_form_data(
            {
                "title": "With objectives",
                "slug": "with-objectives",
                "summary": "S",
                "estimated_minutes": 5,
                "objectives": inline_formset([{"text": "Ask about worries"}]),
            }
        )
        data["objectives-0-elements"] = [element.pk]
        response = self.client.post(
            f"/admin/pages/add/curriculum/modulepage/{self.index.pk}/", data
        )
        module = ModulePage.objects.get(slug="with-objectives")
        self.assertRedirects(response, f"/admin/pages/{module.pk}/edit/")
        assert [o.text for o in module.objectives.all()] == ["Ask about worries"]


def test_figure_block_renders_the_image_with_its_alt_text_and_caption(db):
    from django.core.files.images import ImageFile
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    from curriculum.blocks import FigureBlock

    image = Image.objects.create(title="Loop", file=ImageFile(get_test_image_file().file, "x.png"))
    block = FigureBlock()
    value = block.to_python(
        {"image": image.pk, "alt_text": "Two lines rising together", "caption": "The loop."}
    )
    html = block.render(value)
    assert 'alt="Two lines rising together"' in html
    assert "<figcaption>The loop.</figcaption>" in html
    assert "<img" in html


def test_figure_block_refuses_meaningless_alt_text(db):
    import pytest
    from django.core.files.images import ImageFile
    from wagtail.blocks.struct_block import StructBlockValidationError
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    from curriculum.blocks import FigureBlock

    image = Image.objects.create(title="Loop", file=ImageFile(get_test_image_file().file, "x.png"))
    block = FigureBlock()
    good = block.to_python(
        {"image": image.pk, "alt_text": "A carer and her husband", "caption": "c"}
    )
    assert block.clean(good)["alt_text"] == "A carer and her husband"
    bad = block.to_python({"image": image.pk, "alt_text": "image", "caption": "c"})
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(bad)
    assert "alt_text" in error.value.block_errors

"""The blocks a lesson is built from. Each describes itself (docstring, icon, template,
description, preview) and renders through its own template; cross-field rules live in ``clean``.

Who calls this: ``LessonPage.body``. Blocks that need per-trainee data (reflection answers, the
feedback-loop slider) read it from the page context that ``LessonPage.get_context`` prepares,
with ``block_id`` passed by the lesson template's ``include_block ... with block_id=block.id``.

Every kind of lesson block says whether it shows the reader's own data (``per_reader``, no
default): ``curriculum_tags.lesson_body`` renders the others once for everyone and caches them,
so a block that forgot would show nobody's data, or someone else's. tests/curriculum/
test_per_reader.py renders every kind with and without a reader's data and fails on a block
whose output changes while it says ``per_reader = False``.
"""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.safestring import mark_safe
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from assessments.engine.instruments import SPECS
from competencies import glossary

from . import feedback_loop
from .rendering import render_markdown, sanitise_html

RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "hr", "blockquote"]


class SanitisedRichTextBlock(blocks.RichTextBlock):
    """Formatted text from the editor. Cleaned again on output, whatever route it arrived by."""

    per_reader = False  # reads the same for everyone: rendered once, cached

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["html"] = mark_safe(sanitise_html(str(value)))  # noqa: S308 - cleaned by nh3
        return context

    class Meta:
        icon = "pilcrow"
        template = "curriculum/blocks/rich_text_block.html"
        description = "Formatted text: headings, lists, links."
        preview_value = "<p>Ask about <b>values</b>, <b>roles</b> and <b>worries</b>.</p>"


class MarkdownBlock(blocks.TextBlock):
    """Text written in Markdown (tables welcome). Rendered, then sanitised: raw HTML is escaped."""

    per_reader = False  # reads the same for everyone: rendered once, cached

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["html"] = mark_safe(render_markdown(value))  # noqa: S308 - cleaned by nh3
        return context

    class Meta:
        icon = "code"
        template = "curriculum/blocks/markdown_block.html"
        description = "Markdown text, for longer passages, lists and tables."
        preview_value = "## Three lenses\n\n- Biological\n- Psychological\n- Social"


class KeyPointBlock(blocks.StructBlock):
    """One idea the trainee should carry away, set apart from the text."""

    per_reader = False  # reads the same for everyone: rendered once, cached

    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(max_length=1200)

    class Meta:
        icon = "pick"
        template = "curriculum/blocks/key_point_block.html"
        description = "A highlighted key point."
        preview_value = {
            "heading": "Ask, then listen",
            "text": "The factors that matter most are often found only by asking.",
        }


class FigureBlock(blocks.StructBlock):
    """An image with the alternative text and caption that make it usable by everyone."""

    per_reader = False  # reads the same for everyone: rendered once, cached

    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250, help_text="What the image shows, for people who cannot see it."
    )
    caption = blocks.CharBlock(max_length=300)

    def clean(self, value):
        value = super().clean(value)
        alt = (value.get("alt_text") or "").strip().lower()
        if alt in {"image", "picture", "photo", "figure"} or alt.endswith((".jpg", ".png")):
            raise StructBlockValidationError(
                block_errors={"alt_text": ValidationError("Describe what the image shows.")}
            )
        return value

    class Meta:
        icon = "image"
        template = "curriculum/blocks/figure_block.html"
        description = "An image with alternative text and a caption."


class WorkedExampleBlock(blocks.StructBlock):
    """A concrete clinical moment with a named person, then the analysis of what was going on."""

    per_reader = False  # reads the same for everyone: rendered once, cached

    title = blocks.CharBlock(max_length=160)
    setting = SnippetChooserBlock("competencies.ClinicalSetting", required=False)
    scenario = MarkdownBlock(help_text="The story, in Markdown.")
    analysis = MarkdownBlock(help_text="The factors and what might help, in Markdown.")

    class Meta:
        icon = "user"
        template = "curriculum/blocks/worked_example_block.html"
        description = "A worked clinical example: the story, then the analysis."
        preview_value = {
            "title": "Walter after a hip fracture",
            "scenario": "Walter, 84, lives alone and turns down walking practice.",
            "analysis": "Fear of falling and loneliness sit beneath 'poor motivation'.",
        }


class ReflectionBlock(blocks.StructBlock):
    """A question for the trainee to answer. The answer is saved (keyed by this block's stable
    id), private to its author unless they share it with their supervisors."""

    per_reader = True  # shows the reader's saved answer and a form (see lesson_body)

    prompt = blocks.TextBlock(max_length=600)
    hint = blocks.TextBlock(max_length=600, required=False)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        block_id = parent_context.get("block_id")
        context["block_id"] = block_id
        context["answer"] = parent_context.get("reflections", {}).get(block_id)
        context["shared"] = block_id in parent_context.get("reflections_shared", ())
        return context

    class Meta:
        icon = "comment"
        template = "curriculum/blocks/reflection_block.html"
        description = (
            "A reflection prompt with a saved answer, private unless the trainee shares it."
        )
        preview_value = {"prompt": "When did a patient's worries change your plan?"}


class PageLinkBlock(blocks.StructBlock):
    """A link to a case vignette, a quiz or another lesson, chosen from the page tree so that it
    survives moves and renames."""

    per_reader = False  # reads the same for everyone: rendered once, cached

    page = blocks.PageChooserBlock()
    label = blocks.CharBlock(max_length=120, required=False, help_text="Defaults to the title.")
    description = blocks.TextBlock(max_length=300, required=False)

    class Meta:
        icon = "link"
        template = "curriculum/blocks/page_link_block.html"
        description = "A link to a vignette, quiz or lesson."


class GlossaryTermBlock(blocks.StructBlock):
    """A term and its plain definition. Shipped lessons fill both from the central glossary
    (``competencies/content/glossary.yaml``, by key, on import); a term found there links to its
    entry on the glossary page, and one an educator wrote by hand simply shows."""

    per_reader = False  # reads the same for everyone: rendered once, cached

    term = blocks.CharBlock(max_length=120)
    definition = blocks.TextBlock(max_length=1200)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        key = glossary.key_for_term(value.get("term", ""))
        context["glossary_url"] = f"{reverse('curriculum:glossary')}#{key}" if key else ""
        return context

    class Meta:
        icon = "help"
        template = "curriculum/blocks/glossary_term_block.html"
        description = "A glossary term with its definition."
        preview_value = {
            "term": "Anhedonia",
            "definition": "Losing pleasure in things that used to be enjoyable.",
        }


class FeedbackLoopBlock(blocks.StructBlock):
    """The interactive caregiving feedback loop: agitation and carer stress amplify each other
    unless something lowers the gain. The trainee moves a slider; the server redraws the chart
    (a form without JavaScript, a fetched fragment with it). See ``feedback_loop.py``."""

    per_reader = True  # shows the gain the reader chose (see lesson_body)

    heading = blocks.CharBlock(max_length=160)
    caption = blocks.TextBlock(max_length=800)
    days = blocks.IntegerBlock(min_value=5, max_value=60, default=21)
    initial_agitation = blocks.FloatBlock(min_value=0, max_value=10, default=2.0)
    initial_stress = blocks.FloatBlock(min_value=0, max_value=10, default=2.0)
    gain = blocks.FloatBlock(
        min_value=0, max_value=1.5, default=0.6, help_text="How strongly each feeds the other."
    )
    intervention_gain = blocks.FloatBlock(
        min_value=0, max_value=1.5, default=0.3, help_text="The gain after caregiver training."
    )
    decay = blocks.FloatBlock(
        min_value=0.05, max_value=1, default=0.5, help_text="How much each eases on its own daily."
    )
    daily_stressors = blocks.FloatBlock(min_value=0, max_value=3, default=0.5)

    def clean(self, value):
        value = super().clean(value)
        if value["intervention_gain"] >= value["gain"]:
            raise StructBlockValidationError(
                block_errors={
                    "intervention_gain": ValidationError(
                        "The intervention should lower the gain: make it smaller than the gain."
                    )
                }
            )
        return value

    def parameters(self, value, gain: float | None = None) -> feedback_loop.LoopParameters:
        return feedback_loop.LoopParameters(
            days=value["days"],
            initial_agitation=value["initial_agitation"],
            initial_stress=value["initial_stress"],
            gain=value["gain"] if gain is None else gain,
            decay=value["decay"],
            daily_stressors=value["daily_stressors"],
        )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        chosen = parent_context.get("loop_gain")
        gain = value["gain"] if chosen is None else chosen
        run = feedback_loop.simulate(self.parameters(value, gain))
        size = {"width": 560, "height": 260, "pad": 30}
        context.update(
            block_id=parent_context.get("block_id"),
            gain=gain,
            run=run,
            rows=list(zip(range(len(run.agitation)), run.agitation, run.stress, strict=True)),
            description=feedback_loop.describe(run),
            agitation_points=feedback_loop.polyline(run.agitation, **size),
            stress_points=feedback_loop.polyline(run.stress, **size),
            chart=size,
        )
        return context

    class Meta:
        icon = "cogs"
        template = "curriculum/blocks/feedback_loop_block.html"
        description = "Interactive figure: the caregiver feedback loop and its gain."
        preview_value = {
            "heading": "The caregiving loop",
            "caption": "Move the gain to see the loop escalate or settle.",
            "days": 21,
            "initial_agitation": 2.0,
            "initial_stress": 2.0,
            "gain": 0.6,
            "intervention_gain": 0.3,
            "decay": 0.5,
            "daily_stressors": 0.5,
        }


class InstrumentBlock(blocks.StructBlock):
    """A practice scorer for a screening instrument: the reader fills it in for a made-up or
    remembered patient and the server scores it by the published bands, shows the local
    step-of-care default with its source, and flags PHQ-9 item 9. Nothing is stored."""

    per_reader = True  # shows the reader's practice scoring (see lesson_body)

    instrument = blocks.ChoiceBlock(
        choices=[("phq9", "PHQ-9"), ("gad7", "GAD-7"), ("start_back", "STarT Back")]
    )
    heading = blocks.CharBlock(max_length=160)
    intro = blocks.TextBlock(required=False, max_length=800)

    class Meta:
        icon = "list-ol"
        template = "curriculum/blocks/instrument_block.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        practice = context.get("instrument_practice") or {}
        kept = {}
        if practice.get("block_id") == context.get("block_id"):
            kept = {item["index"]: item["value"] for item in practice.get("items", ())}
        spec = SPECS[value["instrument"]]
        context["instrument_spec"] = spec
        context["instrument_items"] = [
            {**row, "value": kept.get(row["index"])} for row in spec.rows()
        ]
        return context


class LessonBodyBlock(blocks.StreamBlock):
    """Everything a lesson can contain, in reading order. Each kind declares ``per_reader``."""

    rich_text = SanitisedRichTextBlock(features=RICH_TEXT_FEATURES)
    markdown = MarkdownBlock()
    key_point = KeyPointBlock()
    figure = FigureBlock()
    worked_example = WorkedExampleBlock()
    reflection = ReflectionBlock()
    page_link = PageLinkBlock()
    glossary_term = GlossaryTermBlock()
    feedback_loop = FeedbackLoopBlock()
    instrument = InstrumentBlock()

    class Meta:
        block_counts = {"feedback_loop": {"max_num": 1}}

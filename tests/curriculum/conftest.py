"""A small course built through the curriculum services, with every block type in one lesson."""

import pytest
from django.core.management import call_command

from competencies import services as competency_services
from curriculum import services
from home.seed import home_page_ensure
from tests.factories import review_block

ELEMENTS = [
    ("recognise-psychological", "Recognise psychological factors"),
    ("recognise-social", "Recognise social factors"),
    ("elicit", "Elicit"),
]

ALL_BLOCKS = [
    {"type": "rich_text", "value": "<p>Rich <b>text</b> here.</p>"},
    {
        "type": "markdown",
        "value": "## A heading\n\nSome *Markdown* with a [link](https://example.org).",
    },
    {"type": "key_point", "value": {"heading": "Key idea", "text": "Ask, then listen."}},
    {
        "type": "worked_example",
        "value": {
            "title": "Walter after a fall",
            "setting": "orthogeriatrics",
            "scenario": "Walter lives alone.",
            "analysis": "Fear of falling; loneliness.",
        },
    },
    {"type": "reflection", "value": {"key": "first", "prompt": "What would you ask Walter?"}},
    {"type": "glossary_term", "value": {"term": "Anhedonia", "definition": "Loss of pleasure."}},
    {
        "type": "feedback_loop",
        "value": {
            "heading": "The caregiving loop",
            "caption": "Move the gain.",
            "days": 10,
            "initial_agitation": 3.0,
            "initial_stress": 1.0,
            "gain": 0.6,
            "intervention_gain": 0.3,
            "decay": 0.5,
            "daily_stressors": 0.5,
        },
    },
]


def lesson_spec(slug: str, title: str, *, blocks=None, minutes: int = 10, core: bool = True):
    return {
        "slug": slug,
        "review": review_block(),
        "title": title,
        "summary": f"Summary of {title}.",
        "estimated_minutes": minutes,
        "core": core,
        "elements": ["elicit"],
        "body": blocks or [{"type": "reflection", "value": {"key": "r", "prompt": "Why?"}}],
    }


def module_spec(slug: str, title: str):
    return {
        "slug": slug,
        "title": title,
        "summary": f"About {title}.",
        "estimated_minutes": 20,
        "objectives": [{"text": f"Do {title}", "elements": ["elicit", "recognise-social"]}],
    }


def build_course(*, modules: int = 2, lessons_per_module: int = 2):
    """Home -> course -> modules -> lessons; the first lesson has every block type and is the
    visitors' taster. Returns (index, [modules], [lessons])."""
    for order, (code, name) in enumerate(ELEMENTS):
        competency_services.element_upsert(code=code, name=name, description=name, order=order)
    competency_services.setting_upsert(slug="orthogeriatrics", name="Orthogeriatrics")
    home = home_page_ensure()
    index = services.curriculum_index_import(
        parent=home, title="The course", slug="course", intro="<p>Intro</p>"
    )
    built_modules, built_lessons = [], []
    for m in range(modules):
        module = services.module_import(index=index, spec=module_spec(f"m{m}", f"Module {m}"))
        built_modules.append(module)
        for n in range(lessons_per_module):
            first = m == 0 and n == 0
            spec = lesson_spec(
                f"m{m}-l{n}", f"Lesson {m}.{n}", blocks=ALL_BLOCKS if first else None
            )
            built_lessons.append(services.lesson_import(module=module, spec=spec, taster=first))
    return index, built_modules, built_lessons


@pytest.fixture
def course(db):
    return build_course()


@pytest.fixture
def seeded(db):
    with open("/dev/null", "w") as devnull:
        call_command("seed_demo", stdout=devnull)

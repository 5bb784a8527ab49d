"""Writes for the curriculum. Views (page routes), seed_demo and tests call these.

Content import (``module_import``, ``lesson_import``) builds pages the way the admin does: as a
child of its parent, with a revision, published.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from competencies import glossary
from competencies.models import ClinicalSetting
from competencies.selectors import elements_by_code
from home.review import review_from_spec

from .models import (
    CurriculumIndexPage,
    LearningObjective,
    LessonCompletion,
    LessonPage,
    ModulePage,
    ReflectionAnswer,
)

REFLECTION_MAX_CHARS = 5000
_BLOCK_NAMESPACE = uuid.UUID("8f4c2a56-3b1e-4d59-9a57-0c1b2e3d4f50")


def lesson_complete(*, user, lesson: LessonPage) -> tuple[LessonCompletion, bool]:
    """Record that ``user`` completed ``lesson``. Idempotent: returns (completion, created)."""
    try:
        with transaction.atomic():
            return LessonCompletion.objects.get_or_create(user=user, lesson=lesson)
    except IntegrityError:
        # A concurrent press won the race; the completion exists.
        return LessonCompletion.objects.get(user=user, lesson=lesson), False


def reflection_block_ids(lesson: LessonPage) -> set[str]:
    return {block.id for block in lesson.body if block.block_type == "reflection"}


def reflection_save(
    *, user, lesson: LessonPage, block_id: str, text: str, shared: bool = False
) -> ReflectionAnswer:
    """Save (or replace) the person's answer to one reflection prompt of a lesson, private
    unless they choose to share it with their supervisors (``shared``; each save says again)."""
    if block_id not in reflection_block_ids(lesson):
        raise ValidationError("That reflection prompt is not part of this lesson.")
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise ValidationError("Write your reflection before saving it.")
    if len(text) > REFLECTION_MAX_CHARS:
        raise ValidationError(
            f"Keep your reflection under {REFLECTION_MAX_CHARS:,} characters "
            f"(it has {len(text):,})."
        )
    answer, _ = ReflectionAnswer.objects.update_or_create(
        user=user, lesson=lesson, block_id=block_id, defaults={"text": text, "shared": shared}
    )
    return answer


# --- Content import (seed_demo and future importers) -----------------------------------------


def stable_block_id(*parts: str) -> str:
    """A block id derived from stable names, so that re-importing keeps learners' answers."""
    return str(uuid.uuid5(_BLOCK_NAMESPACE, ":".join(parts)))


def _publish_child(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@transaction.atomic
def curriculum_index_import(*, parent, title: str, slug: str, intro: str) -> CurriculumIndexPage:
    existing = CurriculumIndexPage.objects.child_of(parent).filter(slug=slug).first()
    if existing:
        return existing
    return _publish_child(parent, CurriculumIndexPage(title=title, slug=slug, intro=intro))


@transaction.atomic
def module_import(*, index: CurriculumIndexPage, spec: dict) -> ModulePage:
    """Create a module (with its objectives) under the index, unless one with its slug exists."""
    existing = ModulePage.objects.child_of(index).filter(slug=spec["slug"]).first()
    if existing:
        return existing
    module = ModulePage(
        title=spec["title"],
        slug=spec["slug"],
        summary=spec["summary"].strip(),
        estimated_minutes=spec["estimated_minutes"],
    )
    for position, objective in enumerate(spec["objectives"]):
        item = LearningObjective(text=objective["text"].strip(), sort_order=position)
        item.elements = elements_by_code(objective["elements"])
        module.objectives.add(item)
    return _publish_child(index, module)


class LessonInvalid(ValueError):
    """A lesson to import that the editor would refuse, with what is wrong and where."""


def _glossary_value(value: dict, source: str) -> dict:
    """A glossary term named by key alone (``{term: hads}``, as shipped lessons do) becomes the
    central glossary's term and definition: the stored block keeps the editor's shape. A block
    that brings its own definition (an importer's hand-written term) is kept as it is."""
    if not isinstance(value, dict) or "definition" in value:
        return value
    try:
        entry = glossary.entry(value.get("term"))
    except glossary.UnknownTerm as exc:
        raise LessonInvalid(f"lesson {source}: glossary term {exc}") from None
    return {"term": entry.term, "definition": entry.definition}


def _lesson_body(slug: str, blocks: list[dict], source: str | None = None) -> list[dict]:
    """Seed blocks to StreamField raw data, with ids stable across imports."""
    settings = {s.slug: s.pk for s in ClinicalSetting.objects.all()}
    body = []
    for position, block in enumerate(blocks):
        value = block["value"]
        if block["type"] == "glossary_term":
            value = _glossary_value(value, source or slug)
        key = value.get("key") if isinstance(value, dict) else None
        if block["type"] == "worked_example":
            value = {**value, "setting": settings.get(value.get("setting"))}
        if block["type"] == "reflection":
            value = {"prompt": value["prompt"].strip(), "hint": (value.get("hint") or "").strip()}
        block_id = stable_block_id(slug, key or f"{block['type']}-{position}")
        body.append({"type": block["type"], "value": value, "id": block_id})
    return body


def lesson_body_clean(*, data: list[dict], source: str):
    """A lesson body to import, cleaned exactly as the editor cleans it on Save (every block's own
    rules: lengths, required fields, sanitising), so that whatever is imported can be opened and
    saved unchanged by an educator. Raises ``LessonInvalid`` naming ``source`` and the block."""
    block = LessonPage._meta.get_field("body").stream_block
    try:
        return block.clean(block.to_python(data))
    except ValidationError as exc:
        details = exc.as_json_data() if hasattr(exc, "as_json_data") else exc.messages
        raise LessonInvalid(f"lesson {source} is not valid: {details}") from exc


@transaction.atomic
def lesson_import(
    *, module: ModulePage, spec: dict, taster: bool = False, source: str | None = None
) -> LessonPage:
    """Create a lesson under the module, unless one with its slug exists there. ``source`` (the
    file it came from; its slug by default) names the lesson in any error; its ``review`` block
    passes the editor's rule (``home.review``) or raises ``ReviewInvalid``."""
    source = source or spec["slug"]
    review = review_from_spec(spec, source)
    existing = LessonPage.objects.child_of(module).filter(slug=spec["slug"]).first()
    if existing:
        return existing
    lesson = LessonPage(
        title=spec["title"],
        slug=spec["slug"],
        summary=spec["summary"].strip(),
        estimated_minutes=spec["estimated_minutes"],
        is_core=spec.get("core", True),
        taster=taster,
        body=lesson_body_clean(
            data=_lesson_body(spec["slug"], spec["body"], source), source=source
        ),
        **review,
    )
    lesson.elements = elements_by_code(spec["elements"])
    return _publish_child(module, lesson)

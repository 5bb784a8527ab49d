"""Reads for the glossary page (``/glossary/``): the central glossary (``competencies.glossary``)
grouped A to Z, with the published lessons that use each term. Kept apart from ``selectors`` so
that module stays small; the lesson scan is one query, cached until content changes."""

from dataclasses import dataclass

from competencies import glossary
from home.caching import for_content

from .models import LessonPage


@dataclass(frozen=True)
class LessonUse:
    title: str
    url: str


@dataclass(frozen=True)
class GlossaryItem:
    entry: glossary.Entry
    lessons: tuple[LessonUse, ...]
    see_also: tuple[glossary.Entry, ...]


def term_lessons() -> dict[str, tuple[LessonUse, ...]]:
    """Glossary key -> the live lessons (course order) with a glossary_term block for it. Blocks
    hold the term as shown, so a hand-written term that is not in the glossary is left out."""
    return for_content("glossary-lessons", _term_lessons)


def _term_lessons() -> dict[str, tuple[LessonUse, ...]]:
    found: dict[str, list[LessonUse]] = {}
    lessons = LessonPage.objects.live().order_by("path")
    for lesson in lessons.only("id", "path", "depth", "url_path", "title", "body"):
        for block in lesson.body.raw_data:
            if block.get("type") != "glossary_term":
                continue
            key = glossary.key_for_term((block.get("value") or {}).get("term", ""))
            if key is None:
                continue
            uses = found.setdefault(key, [])
            if all(use.url != lesson.url for use in uses):  # once, however often it is used
                uses.append(LessonUse(lesson.title, lesson.url))
    return {key: tuple(uses) for key, uses in found.items()}


def glossary_sections() -> list[tuple[str, list[GlossaryItem]]]:
    """(letter, items) in alphabetical order, each item with its lessons and see-also entries."""
    entries = glossary.entries()
    uses = term_lessons()
    sections: dict[str, list[GlossaryItem]] = {}
    for entry in entries.values():
        item = GlossaryItem(
            entry, uses.get(entry.key, ()), tuple(entries[k] for k in entry.see_also)
        )
        sections.setdefault(entry.initial, []).append(item)
    return sorted(sections.items())

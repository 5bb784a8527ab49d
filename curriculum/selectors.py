"""Reads for the curriculum pages. Page ``get_context`` methods and views call these.

Every function here uses a fixed number of queries, whatever the number of modules, lessons or
completions (the tests hold them to it): pages are fetched in one query per level, completions in
one query per person, and grouping happens in Python.
"""

import re
from dataclasses import dataclass, field

from django.db.models import Prefetch, Value
from wagtail import hooks
from wagtail.search.backends import get_search_backend

from competencies.models import CompetencyElement, Intervention, PsychosocialFactor
from home import prepared
from home.caching import for_content, for_records
from home.search import SEARCH_HOOK, SearchResult

from .models import (
    CurriculumIndexPage,
    LearningObjective,
    LessonCompletion,
    LessonPage,
    ModulePage,
    ReflectionAnswer,
)

LESSON_LIST_FIELDS = (
    "id", "path", "depth", "url_path", "title", "estimated_minutes", "is_core", "taster",
)  # fmt: skip
GAIN_MIN, GAIN_MAX = 0.0, 1.5
_WORDS = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")


@dataclass
class ModuleProgress:
    page: ModulePage
    lessons: list[LessonPage] = field(default_factory=list)
    done_ids: frozenset[int] = frozenset()

    @property
    def total(self) -> int:
        return len(self.lessons)

    @property
    def done(self) -> int:
        return sum(1 for lesson in self.lessons if lesson.id in self.done_ids)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def minutes_left(self) -> int:
        return sum(
            lesson.estimated_minutes for lesson in self.lessons if lesson.id not in self.done_ids
        )

    @property
    def is_complete(self) -> bool:
        return self.total > 0 and self.done == self.total

    @property
    def next_lesson(self) -> LessonPage | None:
        return next((lesson for lesson in self.lessons if lesson.id not in self.done_ids), None)


def lesson_completions(user) -> dict[int, object]:
    """lesson id -> completion time, for a logged-in person (no query for visitors). The
    dashboard reads them once for both ``course_overview`` and readiness."""
    if not user.is_authenticated:
        return {}
    completions = LessonCompletion.objects.values_list("lesson_id", "completed_at")
    return dict(
        prepared.rows("lesson-completions", lambda pk: completions.filter(user_id=pk), user.pk)
    )


def _lessons_by_module(modules, lessons) -> dict[int, list[LessonPage]]:
    by_path = {module.path: [] for module in modules}
    step = ModulePage.steplen
    for lesson in lessons:
        parent_path = lesson.path[: len(lesson.path) - step]
        if parent_path in by_path:
            by_path[parent_path].append(lesson)
    return {module.id: by_path[module.path] for module in modules}


def curriculum_overview(*, index, user) -> dict:
    """Modules in order with the person's progress, and the lesson to continue with."""
    modules, lessons = for_content(f"course:{index.pk}", lambda: _course_tree(index))
    completions = lesson_completions(user)
    done = frozenset(completions)
    grouped = _lessons_by_module(modules, lessons)
    progress = [ModuleProgress(page=m, lessons=grouped[m.id], done_ids=done) for m in modules]
    ordered = [lesson for p in progress for lesson in p.lessons]
    core = core_lesson_ids()
    return {
        "modules": progress,
        "continue_lesson": _continue_from(ordered, completions),
        "lessons_done": sum(p.done for p in progress),
        "lessons_total": len(ordered),
        **lesson_counts(done),
        "optional": [
            {"title": lesson.title, "url": lesson.url, "done": lesson.id in done}
            for lesson in ordered
            if lesson.id not in core
        ],
        # To the nearest half hour, for the visitors' syllabus.
        "hours_total": round(sum(lesson.estimated_minutes for lesson in ordered) / 30) / 2,
        "taster": next((lesson for lesson in ordered if lesson.taster), None),
        "started": bool(completions),
    }


def _course_tree(index) -> tuple[list[ModulePage], list[LessonPage]]:
    modules = list(
        ModulePage.objects.child_of(index)
        .live()
        .order_by("path")
        .only("id", "path", "depth", "url_path", "slug", "title", "summary", "estimated_minutes")
    )
    lessons = list(
        LessonPage.objects.descendant_of(index).live().order_by("path").only(*LESSON_LIST_FIELDS)
    )
    return modules, lessons


def core_lesson_ids() -> frozenset[int]:
    """The live core lessons: what readiness requires (cached until content changes)."""
    return for_content(
        "core-lessons",
        lambda: frozenset(
            LessonPage.objects.live().filter(is_core=True).values_list("id", flat=True)
        ),
    )


def lesson_counts(completed) -> dict:
    """The one count of lessons every screen shows: the core lessons done out of the live core
    lessons (what readiness requires, the same set the supervisor's table counts), given the ids
    of the lessons the person has completed. Optional lessons are never in it."""
    core = core_lesson_ids()
    return {"core_done": len(core.intersection(completed)), "core_total": len(core)}


def _continue_from(ordered: list[LessonPage], completions: dict) -> LessonPage | None:
    """The first unfinished lesson after the one completed most recently (or the first lesson)."""
    if not ordered:
        return None
    if not completions:
        return ordered[0]
    latest = max(completions, key=completions.get)
    position = next((i for i, lesson in enumerate(ordered) if lesson.id == latest), -1)
    after = ordered[position + 1 :] + ordered[: position + 1]
    return next((lesson for lesson in after if lesson.id not in completions), None)


def module_detail(*, module: ModulePage, user) -> ModuleProgress:
    """A module's lessons with done/not-done state and time left; objectives prefetched."""
    lessons = list(module.get_children().live().type(LessonPage).specific().order_by("path"))
    objectives = list(
        LearningObjective.objects.filter(module=module).prefetch_related(
            Prefetch("elements", queryset=CompetencyElement.objects.order_by("order"))
        )
    )
    progress = ModuleProgress(
        page=module, lessons=lessons, done_ids=frozenset(lesson_completions(user))
    )
    progress.objectives = objectives
    # Quizzes and other activities under the module (their apps build on the curriculum).
    progress.activities = list(module.get_children().live().not_type(LessonPage).order_by("path"))
    return progress


def lesson_detail(*, lesson: LessonPage, user, preview: bool = False) -> dict:
    """Everything a lesson page shows beyond its own fields: its module, the previous and next
    lessons (titles and addresses), the elements it serves, and the reader's completion and
    reflections. The first part is the same for every reader and kept with the content; the
    reader's part is kept until their records change."""
    if preview or not lesson.live:
        surroundings = _lesson_surroundings(lesson)  # a draft: never from (or into) the cache
    else:
        surroundings = for_content(f"lesson:{lesson.pk}", lambda: _lesson_surroundings(lesson))
    context = {
        "module": surroundings["module"],
        "course": surroundings["course"],
        "elements": surroundings["elements"],
        "previous_lesson": None,
        "next_lesson": None,
        "is_complete": False,
        "reflections": {},
        "reflections_shared": frozenset(),
    }
    if not user.is_authenticated:
        return context
    # A draft being previewed is not among the live siblings: it gets no neighbours.
    siblings = surroundings["siblings"]
    position = next((i for i, s in enumerate(siblings) if s["id"] == lesson.id), None)
    if position is not None:
        context["previous_lesson"] = siblings[position - 1] if position > 0 else None
        context["next_lesson"] = siblings[position + 1] if position + 1 < len(siblings) else None
    if preview:
        state = _reader_state(lesson, user)
    else:
        state = for_records(user.pk, f"lesson:{lesson.pk}", lambda: _reader_state(lesson, user))
    context.update(state)
    return context


def _reader_state(lesson: LessonPage, user) -> dict:
    """The reader's completion and reflections on this lesson (and which they share with their
    supervisors), in one query."""
    completed = LessonCompletion.objects.filter(user=user, lesson=lesson).values_list(
        Value(COMPLETED), Value(""), Value(False)
    )
    rows = ReflectionAnswer.objects.filter(user=user, lesson=lesson).values_list(
        "block_id", "text", "shared"
    )
    found = {block_id: (text, shared) for block_id, text, shared in rows.union(completed, all=True)}
    is_complete = found.pop(COMPLETED, None) is not None
    return {
        "is_complete": is_complete,
        "reflections": {block_id: text for block_id, (text, _) in found.items()},
        "reflections_shared": frozenset(b for b, (_, shared) in found.items() if shared),
    }


COMPLETED = " completed"  # never a block id (those are UUIDs, without spaces)


def _lesson_surroundings(lesson: LessonPage) -> dict:
    """What a lesson shows around its body that is the same for every reader, as plain values
    (titles and addresses): its module, the course, its elements' names and the live lessons
    beside it."""

    def link(page) -> dict | None:
        return {"id": page.id, "title": page.title, "url": page.url} if page else None

    module = (
        ModulePage.objects.filter(path=lesson.path[: -ModulePage.steplen])
        .only("id", "path", "depth", "url_path", "title")
        .first()
    )
    course = None
    if module is not None:
        course = (
            CurriculumIndexPage.objects.filter(path=module.path[: -ModulePage.steplen])
            .only("id", "path", "depth", "url_path", "title")
            .first()
        )
    siblings = (
        LessonPage.objects.sibling_of(lesson).live().order_by("path").only(*LESSON_LIST_FIELDS)
    )
    return {
        "module": link(module),
        "course": link(course),
        "elements": [e.name for e in lesson.elements.order_by("order")],
        "siblings": [link(sibling) for sibling in siblings],
    }


def requested_gain(params) -> float | None:
    """The gain a trainee chose on the feedback-loop slider, or None if absent or unusable."""
    raw = params.get("gain")
    if raw in (None, ""):
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return None
    if value != value or not GAIN_MIN <= value <= GAIN_MAX:  # NaN or out of range
        return None
    return round(value, 2)


def search_words(query: str) -> str:
    """The words of ``query``: search-engine syntax (quotes, operators, NULs) is not for users
    to write."""
    return " ".join(_WORDS.findall(query or ""))[:200]


def search_site(*, query: str, user, limit: int = 30) -> list[SearchResult]:
    """Everything matching ``query`` that this person may open: the curriculum's modules,
    lessons and catalogue entries (psychosocial factors, interventions), then what the apps above
    add through the Wagtail hook ``site_search`` (cases; see ``home.search``).

    Visitors find only what is open to visitors: titles of members-only pages never reach them.
    """
    words = search_words(query)
    if not words:
        return []
    results = _curriculum_results(words, user, limit)
    for hook in hooks.get_hooks(SEARCH_HOOK):
        results += hook(query=words, user=user, limit=limit)
    return results[:limit]


def _curriculum_results(words: str, user, limit: int) -> list[SearchResult]:
    if not user.is_authenticated:
        lessons = LessonPage.objects.live().public().filter(taster=True)
        return [_lesson_result(lesson) for lesson in lessons.search(words)[:limit]]
    modules = ModulePage.objects.live().public().search(words)[:limit]
    lessons = LessonPage.objects.live().public().search(words)[:limit]
    backend = get_search_backend()
    factors = backend.search(words, PsychosocialFactor)[:limit]
    interventions = backend.search(words, Intervention)[:limit]
    return [
        *(SearchResult("Module", m.title, m.url, m.summary) for m in modules),
        *(_lesson_result(lesson) for lesson in lessons),
        *(SearchResult("Psychosocial factor", f.name, "", f.definition) for f in factors),
        *(SearchResult("Intervention", i.name, "", i.summary) for i in interventions),
    ]


def _lesson_result(lesson) -> SearchResult:
    kind = "Free taster lesson" if lesson.taster else "Lesson"
    return SearchResult(kind, lesson.title, lesson.url, lesson.summary)


def course_overview(*, user, completions=None) -> dict | None:
    """The trainee's place in the course, as ``curriculum_overview`` works it out, in plain
    values (titles, addresses, counts), or None before any course is published. For dashboards
    outside the curriculum pages: the course's shape is kept with the content, so only the
    person's completions are read (one query, none if given as ``completions``, what
    ``lesson_completions`` returns)."""
    course = for_content("course-outline", _course_outline)
    if course is None:
        return None
    if completions is None:
        completions = lesson_completions(user)
    modules = []
    for module in course["modules"]:
        lessons = module["lessons"]
        total = len(lessons)
        done = sum(1 for lesson_id, _minutes in lessons if lesson_id in completions)
        modules.append(
            {
                "title": module["title"],
                "url": module["url"],
                "slug": module["slug"],
                "total": total,
                "done": done,
                "percent": round(100 * done / total) if total else 0,
                "minutes_left": sum(m for lesson_id, m in lessons if lesson_id not in completions),
                "is_complete": total > 0 and done == total,
            }
        )
    lessons = course["lessons"]
    core = core_lesson_ids()
    return {
        "modules": modules,
        "continue_lesson": _continue_from(lessons, completions),
        "lessons_done": sum(m["done"] for m in modules),
        "lessons_total": len(lessons),
        **lesson_counts(completions),
        "optional": [
            {"title": lesson.title, "url": lesson.url, "done": lesson.id in completions}
            for lesson in lessons
            if lesson.id not in core
        ],
        "started": bool(completions),
    }


def _course_outline() -> dict | None:
    """The published course for ``course_overview``: its modules (title, address, slug, and
    each lesson's id and minutes) and its lessons in order (id, title, address)."""
    index = CurriculumIndexPage.objects.live().first()
    if index is None:
        return None
    modules, lessons = _course_tree(index)
    grouped = _lessons_by_module(modules, lessons)
    return {
        "modules": [
            {
                "title": module.title,
                "url": module.url,
                "slug": module.slug,
                "lessons": [(lesson.id, lesson.estimated_minutes) for lesson in grouped[module.id]],
            }
            for module in modules
        ],
        "lessons": [
            _LessonLink(lesson.id, lesson.title, lesson.url)
            for module in modules
            for lesson in grouped[module.id]
        ],
    }


@dataclass(frozen=True)
class _LessonLink:
    """A lesson as a dashboard links to it (``_continue_from`` reads its ``id``)."""

    id: int
    title: str
    url: str

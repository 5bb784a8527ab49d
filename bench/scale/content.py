"""What the synthetic trainees work on: the seeded course's quizzes and case vignettes (plus
three retold variants of seeded cases), and plausible answers to them. Everything is worked
out by the product: questions come from ``assessments.services.specs_from_revision``, case
routes from ``cases.engine``. Called by ``bench.scale.activity``.
"""

import random
from dataclasses import dataclass

from assessments import services as assessment_services
from assessments.engine import quiz_logic
from assessments.models import QuizPage
from assessments.sample_answers import form_answer
from cases import content as case_content
from cases import engine
from cases import services as case_services
from cases.models import CaseIndexPage, CaseVignettePage

EXTRA_VIGNETTES = 3  # variants of seeded cases, so the course has 15


def extra_vignettes() -> list[CaseVignettePage]:
    """The seeded vignettes plus three variants (same story under another title and slug)."""
    index = CaseIndexPage.objects.first()
    for path in case_content.vignette_files()[:EXTRA_VIGNETTES]:
        spec = case_content.load(path)
        spec["slug"] = f"{spec['slug']}-retold"
        spec["title"] = f"{spec['title']} (retold)"
        case_services.vignette_import(index=index, spec=spec)
    return list(CaseVignettePage.objects.live().order_by("path").select_related("live_revision"))


@dataclass
class Quiz:
    page_id: int
    revision_id: int
    pass_mark: int
    specs: list


def quiz_bank() -> list[Quiz]:
    bank = []
    for quiz in QuizPage.objects.live().order_by("path").select_related("live_revision"):
        content = quiz.live_revision.content
        bank.append(
            Quiz(
                quiz.pk,
                quiz.live_revision_id,
                assessment_services.quiz_settings(content)["pass_mark"],
                assessment_services.specs_from_revision(content),
            )
        )
    return bank


def response(rng: random.Random, spec, skill: float) -> dict:
    """A plausible answer to one question, as stored: right with probability ``skill`` per
    part (``assessments.sample_answers``, read as the product reads a posted form)."""
    return quiz_logic.parse_response(spec, form_answer(rng, spec, skill))


@dataclass
class Route:
    steps: list  # (node, kind, choices, values, scores, maxima, band, next node)


def case_routes(rng: random.Random, vignettes) -> list[tuple[CaseVignettePage, list[Route]]]:
    """For each vignette, a handful of complete plays (the best route and random ones), worked
    out once with the engine; attempts reuse them."""
    out = []
    for page in vignettes:
        graph = case_services.graph_of_revision(page.live_revision)
        best = dict(engine.best_path(graph))
        routes = []
        for variant in range(6):
            state, steps = engine.State.initial(graph), []
            while graph[state.node].kind != "ending":
                node = graph[state.node]
                choices, values = (), ()
                if node.kind == "decide":
                    ids = [o.id for o in node.options]
                    choices = (best[node.id] if variant == 0 else rng.choice(ids),)
                elif node.kind in engine.SELECT_KINDS:
                    choices = tuple(
                        o.id
                        for o in node.options
                        if (variant == 0 or rng.random() < 0.8) == bool(o.correct)
                    )
                elif node.kind == "screen":
                    values = tuple(node.key)
                step = engine.advance(graph, state, engine.Response(node.id, choices, values))
                steps.append(
                    (
                        node.id,
                        node.kind,
                        list(choices),
                        list(values),
                        step.scores,
                        step.maxima,
                        step.band or "",
                        step.state.node,
                    )
                )
                state = step.state
            routes.append(Route(steps))
        out.append((page, routes))
    return out

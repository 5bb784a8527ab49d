"""A small vignette with every node kind, imported through the same service as the seeded cases.
Every feedback, answer and ending text carries a marker naming its node, so a test can prove
none of them reaches the browser before the trainee has answered that node."""

import pytest

from cases import services
from competencies.seed import load_catalogues
from home.seed import home_page_ensure
from tests.factories import review_block

MARKER = "ZZSECRET"


def mark(node: str, what: str) -> str:
    return f"{MARKER}-{node}-{what}"


def case_spec(*, slug="test-case", title="Walter after a fall", extra_scenes: int = 0):
    scenes = [
        {
            "id": f"more-{i}",
            "kind": "scene",
            "title": f"Later {i}",
            "body": "Time passes.",
            "next": f"more-{i + 1}" if i + 1 < extra_scenes else "help",
        }
        for i in range(extra_scenes)
    ]
    return {
        "title": title,
        "slug": slug,
        "review": review_block(),
        "setting": "orthogeriatrics",
        "difficulty": "foundation",
        "estimated_minutes": 10,
        "elements": [
            "elicit",
            "recognise-psychological",
            "recognise-social",
            "identify",
            "match-intensity",
        ],
        "summary": "Walter, 81, fell at home and lives alone.",
        "learning_points": ["Ask about home.", "Screen for mood."],
        "nodes": [
            {
                "id": "start",
                "kind": "scene",
                "title": "The ward",
                "body": "Walter sits by the bed.",
                "next": "ask1",
            },
            {
                "id": "ask1",
                "kind": "ask",
                "title": "What do you ask?",
                "body": "Choose.",
                "options": [
                    {
                        "id": "home",
                        "label": "Who is at home?",
                        "answer": mark("ask1", "home-answer"),
                        "relevant": True,
                        "feedback": mark("ask1", "home-feedback"),
                    },
                    {
                        "id": "mood",
                        "label": "How is your mood?",
                        "answer": mark("ask1", "mood-answer"),
                        "relevant": True,
                        "feedback": mark("ask1", "mood-feedback"),
                    },
                    {
                        "id": "bp",
                        "label": "Any dizziness?",
                        "answer": mark("ask1", "bp-answer"),
                        "relevant": False,
                        "feedback": mark("ask1", "bp-feedback"),
                    },
                ],
                "next": "rec",
            },
            {
                "id": "rec",
                "kind": "recognise",
                "title": "What is present?",
                "body": "Mark them.",
                "options": [
                    {
                        "factor": "loneliness-isolation",
                        "present": True,
                        "feedback": mark("rec", "lonely"),
                    },
                    {"factor": "fear-avoidance", "present": True, "feedback": mark("rec", "fear")},
                    {
                        "factor": "financial-strain",
                        "present": False,
                        "feedback": mark("rec", "money"),
                    },
                ],
                "next": "choose",
            },
            {
                "id": "choose",
                "kind": "decide",
                "title": "What next?",
                "body": "Pick one.",
                "options": [
                    {
                        "id": "screen",
                        "label": "Screen his mood",
                        "target": "phq",
                        "feedback": mark("choose", "screen"),
                        "scores": {"match-intensity": 2},
                    },
                    {
                        "id": "discharge",
                        "label": "Discharge today",
                        "target": "end-poor",
                        "feedback": mark("choose", "discharge"),
                        "scores": {"match-intensity": 0},
                    },
                ],
            },
            {
                "id": "phq",
                "kind": "screen",
                "title": "PHQ-9",
                "instrument": "phq9",
                "body": "He answers each item.",
                "key": [2, 2, 1, 2, 1, 1, 1, 0, 0],
                "routes": {
                    "minimal": "end-poor",
                    "mild": "end-poor",
                    "moderate": "more-0" if extra_scenes else "help",
                    "moderately severe": "help",
                    "severe": "help",
                },
            },
            *scenes,
            {
                "id": "help",
                "kind": "identify",
                "title": "What helps?",
                "body": "Choose.",
                "options": [
                    {
                        "intervention": "graded-activity-exposure",
                        "rating": "helpful",
                        "feedback": mark("help", "graded"),
                    },
                    {
                        "intervention": "befriending",
                        "rating": "helpful",
                        "feedback": mark("help", "befriend"),
                    },
                    {
                        "intervention": "specialist-referral",
                        "rating": "harmful",
                        "feedback": mark("help", "refer"),
                    },
                ],
                "next": "end-good",
            },
            {
                "id": "end-good",
                "kind": "ending",
                "title": "Home with support",
                "outcome": "good",
                "body": mark("end-good", "body"),
            },
            {
                "id": "end-poor",
                "kind": "ending",
                "title": "Readmitted",
                "outcome": "poor",
                "body": mark("end-poor", "body"),
            },
        ],
    }


def build_case(**kwargs):
    load_catalogues()
    home = home_page_ensure()
    index = services.case_index_ensure(home=home, title="Cases", slug="cases", intro="<p>Cases</p>")
    return services.vignette_import(index=index, spec=case_spec(**kwargs))


@pytest.fixture
def case(db):
    return build_case()


def play_best(*, trainee, vignette, stop_at: str | None = None):
    """Play a published vignette to its end (or until it reaches the node ``stop_at``) through
    the services, taking the best route: the best option at each decision, the key at each
    selection and the key's answers at a screen. Returns (attempt, graph)."""
    from cases import engine

    attempt = services.vignette_start(trainee=trainee, vignette=vignette)
    graph = services.graph_of_revision(attempt.revision)
    best = dict(engine.best_path(graph))
    while attempt.is_open and attempt.node != stop_at:
        node = graph[attempt.node]
        if node.kind == "decide":
            choices = (best[node.id],)
        else:
            choices = tuple(o.id for o in node.options if o.correct)
        attempt, _ = services.step_submit(
            attempt_id=attempt.pk,
            trainee=trainee,
            seq=attempt.seq,
            choices=choices,
            values=node.key if node.kind == "screen" else (),
        )
    return attempt, graph

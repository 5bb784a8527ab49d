"""A small quiz with one question of every kind, built through the same import service as the
seeded bank. Every key and feedback text carries a marker, so a test can prove none of them
reaches the browser before the answer is submitted."""

import pytest

from assessments import importing
from competencies import services as competency_services
from tests.curriculum.conftest import build_course
from tests.factories import review_block

MARKER = "ZZSECRET"


def quiz_spec(*, slug="check-quiz", timing="at_end", pass_mark=50, attempts=None):
    return {
        "module": "m0",
        "title": "Check your understanding",
        "slug": slug,
        "review": review_block(),
        "intro": "A short quiz.",
        "pass_mark": pass_mark,
        "feedback_timing": timing,
        "setting": "orthogeriatrics",
        "questions": [
            {
                "key": "q-single",
                "kind": "single",
                "stem": "Walter turns down walking practice. What first?",
                "elements": ["elicit"],
                "feedback": f"{MARKER} general single",
                "options": [
                    {
                        "key": "ask",
                        "text": "Ask what makes walking hard",
                        "correct": True,
                        "feedback": f"{MARKER} ask is right",
                    },
                    {
                        "key": "refer",
                        "text": "Refer to psychology",
                        "correct": False,
                        "feedback": f"{MARKER} refer is premature",
                    },
                    {
                        "key": "push",
                        "text": "Encourage him harder",
                        "correct": False,
                        "feedback": f"{MARKER} push misses it",
                    },
                ],
            },
            {
                "key": "q-multiple",
                "kind": "multiple",
                "stem": "Which are social factors?",
                "elements": ["recognise-social"],
                "setting": "renal",
                "feedback": f"{MARKER} general multiple",
                "options": [
                    {
                        "key": "a",
                        "text": "Living alone",
                        "correct": True,
                        "feedback": f"{MARKER} a",
                    },
                    {
                        "key": "b",
                        "text": "Money worries",
                        "correct": True,
                        "feedback": f"{MARKER} b",
                    },
                    {"key": "c", "text": "Hip pain", "correct": False, "feedback": f"{MARKER} c"},
                ],
            },
            {
                "key": "q-factors",
                "kind": "factor_recognition",
                "stem": "Which factors are present?",
                "elements": ["recognise-psychological"],
                "feedback": f"{MARKER} general factors",
                "factors": [
                    {"factor": "loneliness", "present": True, "feedback": f"{MARKER} f1"},
                    {"factor": "low-mood", "present": True, "feedback": f"{MARKER} f2"},
                    {"factor": "financial-strain", "present": False, "feedback": f"{MARKER} f3"},
                ],
            },
            {
                "key": "q-match",
                "kind": "intervention_matching",
                "stem": "Match each factor.",
                "elements": ["identify"],
                "feedback": f"{MARKER} general match",
                "pairs": [
                    {
                        "factor": "loneliness",
                        "intervention": "befriending",
                        "feedback": f"{MARKER} p1",
                    },
                    {
                        "factor": "low-mood",
                        "intervention": "behavioural-activation",
                        "feedback": f"{MARKER} p2",
                    },
                ],
                "distractors": ["cbt"],
            },
            {
                "key": "q-order",
                "kind": "ordering",
                "stem": "Order the steps.",
                "elements": ["match-intensity"],
                "feedback": f"{MARKER} general order",
                "items": [
                    {"key": "screen", "text": "Screen"},
                    {"key": "offer", "text": "Offer low intensity"},
                    {"key": "review", "text": "Review and step up"},
                ],
            },
            {
                "key": "q-reflect",
                "kind": "reflection",
                "stem": "What would you do differently?",
                "elements": ["elicit"],
                "guidance": f"{MARKER} guidance",
            },
        ],
    } | ({"attempts_allowed": attempts} if attempts else {})


def build_quiz(**kwargs):
    _, modules, _ = build_course(modules=1, lessons_per_module=1)
    competency_services.setting_upsert(slug="renal", name="Renal")
    for slug, kind in [
        ("loneliness", "social"),
        ("low-mood", "psychological"),
        ("financial-strain", "social"),
    ]:
        competency_services.factor_upsert(slug=slug, name=slug.title(), kind=kind, definition="d")
    for slug in ["befriending", "behavioural-activation", "cbt"]:
        competency_services.intervention_upsert(
            slug=slug,
            name=slug.replace("-", " ").title(),
            kind="social",
            intensity="low",
            summary="s",
            evidence="e",
        )
    for code, name in [("identify", "Identify"), ("match-intensity", "Match intensity")]:
        competency_services.element_upsert(code=code, name=name, description=name, order=5)
    quiz = importing.quiz_import(module=modules[0], spec=quiz_spec(**kwargs))
    if kwargs.get("attempts"):
        quiz.attempts_allowed = kwargs["attempts"]
        quiz.save_revision().publish()
    return quiz


ALL_RIGHT = {
    "q-single": {"choice": "ask"},
    "q-multiple": {"choices": ["a", "b"]},
    "q-factors": {"choices": ["f0-loneliness", "f1-low-mood"]},
    "q-match": {
        "match-p0-loneliness": "befriending",
        "match-p1-low-mood": "behavioural-activation",
    },
    "q-order": {"position-screen": "1", "position-offer": "2", "position-review": "3"},
    "q-reflect": {"text": "I would ask about home first."},
}


@pytest.fixture
def quiz(db):
    return build_quiz()

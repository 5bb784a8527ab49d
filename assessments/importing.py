"""Importing the question bank (``assessments/content/quizzes/*.yaml``) as quiz pages.

Called by ``assessments.seed`` (``seed_demo``) and by the tests' fixtures. Every question and
choice passes the same checks the page editor runs when an educator presses Save: each model's
own field validation (what the editor's inline forms run) and the quiz form's rules
(``question_key_problem``, ``question_choice_problem``). So whatever is imported can be opened and
saved unchanged, and a bad file fails here, naming itself and the question.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from competencies.models import ClinicalSetting, CompetencyElement, Intervention, PsychosocialFactor
from home.review import ReviewInvalid, review_from_spec

from .engine import quiz_logic
from .models import Choice, Question, QuizPage
from .models.quizzes import question_choice_problem, question_key_problem, question_slot_problem


class QuizInvalid(ValueError):
    """A quiz to import fails the editor's validation; the message names the file (or slug) and
    the question, so it can be fixed at the source."""


def _find(table: dict, slug: str, what: str):
    if slug not in table:
        raise ValidationError(f"Unknown {what} “{slug}”.")
    return table[slug]


def _choices_from_spec(spec: dict, factors: dict, interventions: dict) -> list[Choice]:
    """A question's choices from its spec: options (single, multiple), factors (recognition),
    pairs and distractors (matching) or items in their correct order (ordering)."""
    kind = spec["kind"]
    choices = []
    if kind in ("single", "multiple"):
        for option in spec["options"]:
            choices.append(
                Choice(
                    key=option["key"],
                    text=option["text"].strip(),
                    correct=bool(option.get("correct")),
                    feedback=option.get("feedback", "").strip(),
                )
            )
    elif kind == "factor_recognition":
        for n, item in enumerate(spec["factors"]):
            choices.append(
                Choice(
                    key=f"f{n}-{item['factor']}"[:60],
                    factor=_find(factors, item["factor"], "factor"),
                    correct=bool(item.get("present")),
                    feedback=item.get("feedback", "").strip(),
                )
            )
    elif kind == "intervention_matching":
        for n, pair in enumerate(spec["pairs"]):
            choices.append(
                Choice(
                    key=f"p{n}-{pair['factor']}"[:60],
                    factor=_find(factors, pair["factor"], "factor"),
                    intervention=_find(interventions, pair["intervention"], "intervention"),
                    correct=True,
                    feedback=pair.get("feedback", "").strip(),
                )
            )
        for n, slug in enumerate(spec.get("distractors", [])):
            choices.append(
                Choice(
                    key=f"d{n}-{slug}"[:60],
                    intervention=_find(interventions, slug, "intervention"),
                )
            )
    elif kind == "ordering":
        for item in spec["items"]:
            choices.append(Choice(key=item["key"], text=item["text"].strip()))
    for position, choice in enumerate(choices):
        choice.sort_order = position
    return choices


def _question_check(question: Question, choices: list[Choice], taken: set[str]) -> None:
    """The editor's checks of one question, raising ``ValidationError`` with its messages."""
    question.full_clean(exclude=["quiz"])
    for field in question._meta.many_to_many:  # a form requires what the model does not allow blank
        if not field.blank and not getattr(question, field.name).all():
            raise ValidationError({field.name: ["This field is required."]})
    for choice in choices:
        choice.full_clean(exclude=["question"])
    problem = question_key_problem(question.key, taken) or question_choice_problem(
        question.kind,
        [
            {"correct": c.correct, "factor": c.factor, "intervention": c.intervention}
            for c in choices
        ],
    )
    if problem:
        raise ValidationError(problem)


@transaction.atomic
def quiz_import(*, module, spec: dict, source: str = "") -> QuizPage:
    """Create a module's quiz from a question-bank file, unless one with its slug exists there.
    ``source`` (the file) names the quiz in its errors; raises ``QuizInvalid``."""
    try:
        review = review_from_spec(spec, source or spec["slug"])
    except ReviewInvalid as exc:
        raise QuizInvalid(str(exc)) from exc
    existing = QuizPage.objects.child_of(module).filter(slug=spec["slug"]).first()
    if existing:
        return existing
    settings = {s.slug: s for s in ClinicalSetting.objects.all()}
    elements = {e.code: e for e in CompetencyElement.objects.all()}
    factors = {f.slug: f for f in PsychosocialFactor.objects.all()}
    interventions = {i.slug: i for i in Intervention.objects.all()}
    quiz = QuizPage(
        title=spec["title"],
        slug=spec["slug"],
        intro=f"<p>{spec.get('intro', '').strip()}</p>",
        pass_mark=spec.get("pass_mark", quiz_logic.DEFAULT_PASS_MARK),
        feedback_timing=spec.get("feedback_timing", "at_end"),
        setting=settings.get(spec.get("setting")),
        **review,
    )
    taken: set[str] = set()
    for position, item in enumerate(spec["questions"]):
        question = Question(
            key=item["key"],
            slot=item.get("slot", ""),
            kind=item["kind"],
            stem=item["stem"].strip(),
            setting=settings.get(item.get("setting")),
            feedback=item.get("feedback", "").strip(),
            guidance=item.get("guidance", "").strip(),
            sort_order=position,
        )
        try:
            question.elements = [_find(elements, code, "element") for code in item["elements"]]
            choices = _choices_from_spec(item, factors, interventions)
            _question_check(question, choices, taken)
        except ValidationError as exc:
            messages = (
                [f"{field}: {'; '.join(m)}" for field, m in exc.message_dict.items()]
                if hasattr(exc, "error_dict")
                else exc.messages
            )
            raise QuizInvalid(
                f"{source or spec['slug']} is not valid: question “{item['key']}”: "
                + "; ".join(messages)
            ) from exc
        taken.add(question.key)
        question.choices = choices
        quiz.questions.add(question)
    if problem := question_slot_problem(spec["questions"]):
        key, message = problem
        raise QuizInvalid(f"{source or spec['slug']} is not valid: question “{key}”: {message}")
    module.add_child(instance=quiz)
    quiz.save_revision().publish()
    return quiz

"""The rows a finalised attempt leaves behind, written in bulk: each quiz answer and case step,
and the evidence each scored one produces, as ``assessments.services`` and ``cases.services``
would have written them one response at a time. Collected per chunk of trainees by
``bench.scale.activity`` and inserted with ``home.bulk.insert_rows``.
"""

import json

from assessments.models import Evidence, QuizAnswer
from cases.models import VignetteStep
from competencies.models import ClinicalSetting, CompetencyElement
from home.bulk import db_value, insert_rows


class Rows:
    """Answers, steps and evidence of one chunk of attempts, inserted together by ``insert``."""

    def __init__(self):
        self.elements = dict(CompetencyElement.objects.values_list("code", "id"))
        self.settings = dict(ClinicalSetting.objects.values_list("slug", "id"))
        self.answers: list[tuple] = []
        self.steps: list[tuple] = []
        self.evidence: list[tuple] = []

    def quiz_answer(self, attempt, spec, response: dict, score) -> None:
        """One locked answer of a submitted attempt and, when it was scored, its evidence."""
        when = db_value(attempt.submitted_at)
        self.answers.append(
            (
                attempt.pk,
                spec.key,
                json.dumps(response),
                True,
                score.points if score else None,
                score.max_points if score else None,
                when,
            )
        )
        if score is None:
            return
        for code in spec.elements:
            self.evidence.append(
                (
                    attempt.trainee_id,
                    self.elements[code],
                    score.points,
                    score.max_points,
                    Evidence.Source.QUIZ.value,
                    f"quiz:{spec.key}",
                    self.settings.get(spec.setting),
                    attempt.pk,
                    None,
                    when,
                )
            )

    def case_step(self, attempt, page, seq: int, step: tuple, moment) -> None:
        """One recorded step of a case play and the evidence for each element it scored."""
        node, kind, choices, values, scores, maxima, band, nxt = step
        when = db_value(moment)
        self.steps.append(
            (attempt.pk, seq, node, kind, choices, values, scores, maxima, band, nxt, when)
        )
        for code, maximum in maxima.items():
            self.evidence.append(
                (
                    attempt.trainee_id,
                    self.elements[code],
                    scores.get(code, 0.0),
                    maximum,
                    Evidence.Source.VIGNETTE.value,
                    f"case:{page.pk}:{node}",
                    page.setting_id,
                    None,
                    attempt.pk,
                    when,
                )
            )

    def insert(self) -> None:
        insert_rows(
            QuizAnswer,
            ["attempt", "question_key", "response", "locked", "score", "max_score", "saved_at"],
            self.answers,
        )
        insert_rows(
            VignetteStep,
            [
                "attempt",
                "seq",
                "node",
                "kind",
                "choices",
                "values",
                "scores",
                "maxima",
                "band",
                "next_node",
                "created_at",
            ],
            (
                (
                    a,
                    seq,
                    node,
                    kind,
                    json.dumps(c),
                    json.dumps(v),
                    json.dumps(sc),
                    json.dumps(mx),
                    *rest,
                )
                for a, seq, node, kind, c, v, sc, mx, *rest in self.steps
            ),
        )
        insert_rows(
            Evidence,
            [
                "trainee",
                "element",
                "score",
                "max_score",
                "source",
                "item_key",
                "setting",
                "quiz_attempt",
                "vignette_attempt",
                "created_at",
            ],
            self.evidence,
        )

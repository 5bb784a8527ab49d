"""The rows a finalised attempt leaves behind, written in bulk: each quiz answer and case step,
and the evidence the scored ones produce. The evidence comes from the product's own functions,
as a submission makes it: ``question_scored`` and ``step_scored`` name the items and settings,
``evidence_rows`` turns them into rows (one per element). Collected per chunk of trainees by
``bench.scale.activity`` and inserted with ``home.bulk.insert_rows``.
"""

import datetime
import json

from assessments.models import Evidence, QuizAnswer
from assessments.services import evidence_rows, question_scored
from cases.models import VignetteStep
from cases.services import step_scored
from competencies.models import ClinicalSetting
from home.bulk import db_value, insert_rows

STEP_MINUTES = 2  # how long a synthetic trainee spends on one case step


class Rows:
    """Answers, steps and evidence of one chunk of attempts, inserted together by ``insert``."""

    def __init__(self):
        self.settings = dict(ClinicalSetting.objects.values_list("slug", "id"))
        self.answers: list[tuple] = []
        self.steps: list[tuple] = []
        self.evidence: list[tuple] = []

    def quiz_answers(self, attempt, answered) -> None:
        """The locked answers of a submitted attempt ((spec, response, score) each) and the
        evidence of those that were scored."""
        when = db_value(attempt.submitted_at)
        scored = []
        for spec, response, score in answered:
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
            if score is not None:
                scored.append(question_scored(spec=spec, score=score, settings=self.settings))
        rows = evidence_rows(
            trainee=attempt.trainee,
            responses=scored,
            source=Evidence.Source.QUIZ,
            quiz_attempt=attempt,
        )
        self._evidence(rows, lambda row: when)

    def case_play(self, attempt, page, steps: list[tuple], started: datetime.datetime) -> None:
        """The recorded steps of a finished case play, a few minutes apart, and the evidence
        each scored step produced."""
        responses, moments = [], {}
        for seq, (node, kind, choices, values, scores, maxima, band, nxt) in enumerate(steps):
            when = db_value(started + datetime.timedelta(minutes=STEP_MINUTES * seq + 1))
            self.steps.append(
                (attempt.pk, seq, node, kind, choices, values, scores, maxima, band, nxt, when)
            )
            scored = step_scored(
                vignette_id=page.pk,
                node_id=node,
                scores=scores,
                maxima=maxima,
                setting_id=page.setting_id,
            )
            # A case is acyclic: no node comes twice in a play, so its item names its step.
            moments.update({response.item_key: when for response in scored})
            responses += scored
        rows = evidence_rows(
            trainee=attempt.trainee,
            responses=responses,
            source=Evidence.Source.VIGNETTE,
            vignette_attempt=attempt,
        )
        self._evidence(rows, lambda row: moments[row.item_key])

    def _evidence(self, rows: list[Evidence], moment) -> None:
        self.evidence += [
            (
                row.trainee_id,
                row.element_id,
                row.score,
                row.max_score,
                row.source,
                row.item_key,
                row.setting_id,
                row.quiz_attempt_id,
                row.vignette_attempt_id,
                moment(row),
            )
            for row in rows
        ]

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

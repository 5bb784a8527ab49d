"""Synthetic data at realistic scale, for the benchmark (``manage.py seed_scale``).

Builds on the demo course (``seed_demo``): three more case vignettes (variants of seeded ones),
then trainees in cohorts with their supervisors, lesson completions and a history of finalised
quiz and case attempts with the answers, steps and evidence each one produces. Rows are written
with ``bulk_create`` in chunks of trainees; every score comes from the product's own scoring
(``quiz_logic.score_response`` and ``cases.engine.advance``), and the summaries are then rebuilt
once from the evidence with ``assessments.services.mastery_rebuild``, the function behind
``manage.py rebuild_mastery``. ``replay_check`` proves that route gives the same summaries as
writing the same evidence one response at a time through ``evidence_record``.

Local and benchmark use only: the command refuses to run unless the settings allow demo data.

Modules, each importing only those listed before it: ``people`` (the size, accounts, cohorts,
assignments), ``content`` (quizzes, case routes, answers), ``evidence`` (the rows an attempt
leaves), ``activity`` (who did what when), ``build`` (all of it) and ``proof`` (the replay).
"""

from .activity import history
from .build import build
from .people import (
    BENCH_PASSWORD,
    EMAIL_DOMAIN,
    Scale,
    existing_trainees,
    supervisor_email,
    trainee_email,
)
from .proof import replay_check

__all__ = [
    "BENCH_PASSWORD",
    "EMAIL_DOMAIN",
    "Scale",
    "build",
    "existing_trainees",
    "history",
    "replay_check",
    "supervisor_email",
    "trainee_email",
]

"""Demo content owned by `assessments`: the default band-to-step-of-care mapping, and the
question bank (one quiz per module) that ``curriculum.seed`` places under the modules."""

from pathlib import Path

import yaml

from .models import StepOfCareMapping

CONTENT = Path(__file__).resolve().parent / "content"

STEP_SOURCE = (
    "Local default, a common convention; change it to match your service. Current guidance is "
    "NICE NG222 (2022), which splits at 16: a PHQ-9 of 15 is moderately severe by band but less "
    "severe depression under NG222. CG90 (2009) is history. Bands: Kroenke, Spitzer & Williams "
    "(2001)."
)
STEP_MAPPING = [
    ("phq9", "minimal", 1, "Watchful waiting, with guided self-help if the person wants it."),
    ("phq9", "mild", 1, "Guided self-help or watchful waiting; review in two to four weeks."),
    ("phq9", "moderate", 2, "Low-intensity psychological intervention (for example guided CBT)."),
    ("phq9", "moderately severe", 3, "High-intensity therapy and specialist review."),
    ("phq9", "severe", 3, "High-intensity therapy and specialist review."),
    ("gad7", "minimal", 1, "Watchful waiting, with information about anxiety."),
    ("gad7", "mild", 1, "Guided self-help or psychoeducation groups."),
    ("gad7", "moderate", 2, "Low-intensity psychological intervention."),
    ("gad7", "severe", 3, "High-intensity therapy and specialist review."),
]
STRATIFIED_SOURCE = (
    "Local default, after the stratified care arms of the STarT Back trial (Hill et al., 2011); "
    "risk groups from Hill et al. (2008). Change it to match your service."
)
STRATIFIED_MAPPING = [
    (
        "start_back",
        "low risk",
        1,
        "Advice, reassurance and self-management, with review if needed.",
    ),
    ("start_back", "medium risk", 2, "A course of physiotherapy aimed at pain and function."),
    (
        "start_back",
        "high risk",
        3,
        "Psychologically informed physiotherapy (for example CBT-based).",
    ),
]


def quiz_specs() -> list[tuple[str, dict]]:
    """The seeded question bank, (file name, spec) per quiz in file order; each names its module
    by slug (``curriculum.seed`` places each under its module, through ``importing``)."""
    return [
        (path.name, yaml.safe_load(path.read_text(encoding="utf-8")))
        for path in sorted((CONTENT / "quizzes").glob("*.yaml"))
    ]


def run(log) -> None:
    for mapping, source in ((STEP_MAPPING, STEP_SOURCE), (STRATIFIED_MAPPING, STRATIFIED_SOURCE)):
        for instrument, band, step, suggestion in mapping:
            StepOfCareMapping.objects.get_or_create(
                instrument=instrument,
                band=band,
                defaults={"step": step, "suggestion": suggestion, "source": source},
            )
    log("assessments: the band-to-step-of-care mappings")

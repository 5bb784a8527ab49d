"""The seeded competency framework and taxonomies, read from ``content/`` (YAML written for
clinicians to review; format in ``content/FORMAT.md``) and written through ``services``.
Idempotent: ``seed_demo`` and tests call ``run``."""

from pathlib import Path

import yaml

from . import services

CONTENT = Path(__file__).resolve().parent / "content"


def load(name: str):
    """One catalogue file, parsed (``cases.content`` checks vignettes against these too)."""
    with (CONTENT / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_catalogues() -> None:
    for element in load("elements.yaml"):
        services.element_upsert(**element)
    for setting in load("settings.yaml"):
        services.setting_upsert(**setting)
    for factor in load("factors.yaml"):
        services.factor_upsert(**factor)
    for intervention in load("interventions.yaml"):
        services.intervention_upsert(**intervention)


def run(log) -> None:
    load_catalogues()
    log("competencies: elements, settings, factors and interventions")

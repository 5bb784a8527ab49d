"""Where the shipped content lives, for the tests that read it without a database."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
VIGNETTES = ROOT / "cases" / "content" / "vignettes"
QUIZZES = ROOT / "assessments" / "content" / "quizzes"
MODULES = ROOT / "curriculum" / "content" / "modules"
CATALOGUES = ROOT / "competencies" / "content"
COVERAGE = ROOT / "curriculum" / "content" / "coverage.yaml"


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))

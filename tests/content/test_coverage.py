"""The coverage table of issue 16 (``curriculum/content/coverage.yaml``) stays honest: every concept
of the two source documents it lists names a lesson that teaches it and at least one quiz question
or case node that practises it, and every one of those references exists in the shipped content.
No database needed: these read the same YAML files that ``seed_demo`` imports."""

import pytest

from .files import COVERAGE, MODULES, QUIZZES, VIGNETTES
from .files import load_yaml as _yaml

pytestmark = pytest.mark.nodb

SOURCES = {"000", "001"}
FIELDS = {"concept", "source", "lessons", "quiz_questions", "case_nodes"}


def _rows() -> list[dict]:
    return _yaml(COVERAGE)


def _concept_ids() -> list[str]:
    return [str(row.get("concept", "?"))[:60] for row in _rows()]


def _lessons() -> set[str]:
    return {
        f"{path.parent.name}/{path.stem}"
        for path in MODULES.glob("*/*.yaml")
        if path.name != "module.yaml"
    }


def _question_keys() -> set[str]:
    return {q["key"] for path in QUIZZES.glob("*.yaml") for q in _yaml(path)["questions"]}


def _case_nodes() -> set[str]:
    return {
        f"{path.stem}#{node['id']}"
        for path in VIGNETTES.glob("[0-9][0-9]-*.yaml")
        for node in _yaml(path)["nodes"]
    }


def test_the_table_is_a_list_of_concepts_with_known_fields():
    rows = _rows()
    assert isinstance(rows, list) and len(rows) >= 25
    for row in rows:
        assert set(row) <= FIELDS, f"{row.get('concept')}: unknown fields {set(row) - FIELDS}"
        assert str(row.get("concept", "")).strip(), row


def test_concepts_are_listed_once():
    names = [row["concept"].strip().lower() for row in _rows()]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


@pytest.mark.parametrize("row", _rows(), ids=_concept_ids())
def test_concept_names_its_source(row):
    sources = {str(s).zfill(3) if str(s).isdigit() else str(s) for s in row.get("source") or []}
    assert sources, f"{row['concept']}: no source"
    assert sources <= SOURCES, f"{row['concept']}: unknown source {sources - SOURCES}"


@pytest.mark.parametrize("row", _rows(), ids=_concept_ids())
def test_concept_is_taught_in_a_lesson(row):
    assert row.get("lessons"), f"{row['concept']}: no lesson teaches it"


@pytest.mark.parametrize("row", _rows(), ids=_concept_ids())
def test_concept_is_practised(row):
    practice = (row.get("quiz_questions") or []) + (row.get("case_nodes") or [])
    assert practice, f"{row['concept']}: no quiz question or case node practises it"


def _missing(field: str, known: set[str]) -> list[tuple[str, str]]:
    """(concept, reference) for every reference in ``field`` that names nothing in ``known``."""
    return [
        (row["concept"], ref) for row in _rows() for ref in row.get(field) or [] if ref not in known
    ]


def test_every_lesson_reference_exists():
    assert not _missing("lessons", _lessons())


def test_every_quiz_question_key_exists():
    assert not _missing("quiz_questions", _question_keys())


def test_every_case_node_exists():
    assert not _missing("case_nodes", _case_nodes())


def test_the_reference_sets_are_not_empty():
    """Guards against a moved content folder making every reference check pass vacuously."""
    assert len(_lessons()) >= 30
    assert len(_question_keys()) >= 60
    assert len(_case_nodes()) >= 100

"""Shipped lessons take their glossary terms from the central glossary (issue 16): every
glossary_term block names a key of competencies/content/glossary.yaml and carries no definition
of its own, so a definition is corrected once for the whole course. No database."""

import pytest

from competencies import glossary

from .files import MODULES, load_yaml

pytestmark = pytest.mark.nodb


def glossary_blocks():
    for path in sorted(MODULES.glob("*/*.yaml")):
        if path.name == "module.yaml":
            continue
        for block in load_yaml(path).get("body") or []:
            if block.get("type") == "glossary_term":
                yield path.relative_to(MODULES), block.get("value")


def test_every_shipped_glossary_term_names_a_glossary_key_and_nothing_else():
    blocks = list(glossary_blocks())
    assert len(blocks) >= 17  # the terms once scattered across the lessons
    keys = glossary.entries()
    for path, value in blocks:
        assert isinstance(value, dict) and set(value) == {"term"}, (
            f"{path}: a glossary_term names its key only ({{term: KEY}}); "
            "write definitions in competencies/content/glossary.yaml"
        )
        assert value["term"] in keys, f"{path}: {value['term']!r} is not a glossary key"


def test_no_shipped_lesson_repeats_a_glossary_definition_in_its_own_text():
    definitions = [e.definition for e in glossary.entries().values()]
    for path in sorted(MODULES.glob("*/*.yaml")):
        flat = " ".join(path.read_text(encoding="utf-8").split())
        copied = [d[:60] for d in definitions if d in flat]
        assert copied == [], f"{path.relative_to(MODULES)} carries glossary definitions"

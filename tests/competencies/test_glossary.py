"""The central glossary (issue 16): the shipped file keeps its rules, and a file that breaks
one is refused with a message naming the entry. No database."""

import pytest
import yaml

from competencies import glossary

pytestmark = pytest.mark.nodb


def shipped() -> list[dict]:
    return yaml.safe_load(glossary.GLOSSARY.read_text(encoding="utf-8"))


def test_the_shipped_glossary_has_unique_keys_and_a_definition_for_every_term():
    raw = shipped()
    keys = [item["key"] for item in raw]
    assert len(keys) == len(set(keys)) >= 40
    entries = glossary.entries()
    assert set(entries) == set(keys)
    terms = [e.term.casefold() for e in entries.values()]
    assert terms == sorted(terms)
    assert len(set(terms)) == len(terms)
    for entry in entries.values():
        assert entry.term.strip() and len(entry.definition.split()) >= 8, entry.key
        assert all(other in entries and other != entry.key for other in entry.see_also)


def test_a_known_key_gives_its_entry_and_an_unknown_one_a_clear_message():
    assert glossary.entry("hads").term == "Hospital Anxiety and Depression Scale (HADS)"
    with pytest.raises(glossary.UnknownTerm, match=r"'hadz' is not a key in .*glossary\.yaml"):
        glossary.entry("hadz")


def test_a_shown_term_leads_back_to_its_key_whatever_its_case():
    assert glossary.key_for_term("  anhedonia ") == "anhedonia"
    assert glossary.key_for_term("A term an educator made up") is None


def good(**changes) -> dict:
    return {"key": "term-one", "term": "Term one", "definition": "What it means.", **changes}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([good(), good(term="Other")], "'term-one' appears twice"),
        ([good(definition="  ")], "'term-one' needs a definition"),
        ([good(term=None)], "'term-one' needs a term"),
        ([good(see_also=["nowhere"])], r"'term-one': see_also \['nowhere'\] not found"),
        ([good(see_also=["term-one"])], r"see_also \['term-one'\] not found"),
        ([good(key="Not A Slug")], "entry 1 needs a key in lowercase-with-hyphens"),
        ([good(lesson="x")], r"entry 1 has unknown fields \['lesson'\]"),
        ([good(definition="x" * 1201)], "longer than 1200 characters"),
        ([], "non-empty list"),
    ],
)
def test_a_broken_glossary_is_refused_naming_the_entry(data, message):
    with pytest.raises(glossary.GlossaryInvalid, match=message):
        glossary.parse(data)


def test_entries_are_filed_by_the_first_letter_of_their_term():
    entries = glossary.parse([good(key="b", term="beta"), good(key="a", term="Alpha")])
    assert list(entries) == ["a", "b"]
    assert [e.initial for e in entries.values()] == ["A", "B"]

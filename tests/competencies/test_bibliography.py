"""The central bibliography (issue 16): every citation in shipped content names exactly one
entry, every lesson, quiz, case and intervention cites something, and `/references/` lists the
entries. The content checks read the YAML that ``seed_demo`` imports; no database needed."""

import re

import pytest

from competencies import citations
from competencies.citations import Bibliography, Citation, entry_problems, find_citations
from tests.content.files import CATALOGUES, MODULES, QUIZZES, VIGNETTES, load_yaml

BIBLIOGRAPHY = citations.load()


def _documents(paths) -> list[tuple[str, object]]:
    return [(path.name, load_yaml(path)) for path in sorted(paths)]


LESSONS = _documents(p for p in MODULES.glob("*/*.yaml") if p.name != "module.yaml")
MODULE_FILES = _documents(MODULES.glob("*/module.yaml"))
QUIZ_FILES = _documents(QUIZZES.glob("*.yaml"))
CASES = _documents(VIGNETTES.glob("*.yaml"))
CATALOGUE_FILES = _documents(p for p in CATALOGUES.glob("*.yaml") if p.name != "bibliography.yaml")
EVERYTHING = LESSONS + MODULE_FILES + QUIZ_FILES + CASES + CATALOGUE_FILES


# --- the parser -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sources: Engel, 1977.", [("Engel", "1977", "")]),
        ("Kroenke, Spitzer & Williams, 2001", [("Kroenke, Spitzer & Williams", "2001", "")]),
        ("(Hill et al., 2011).", [("Hill et al.", "2011", "")]),
        ("NICE, 2022 (NG222)", [("NICE", "2022", "NG222")]),
        ("World Health Organization, 2003;", [("World Health Organization", "2003", "")]),
        (
            "National Institute for Health and Care Excellence, 2014 (CG178)",
            [("National Institute for Health and Care Excellence", "2014", "CG178")],
        ),
        ("(NICE, 2018, NG116)", [("NICE", "2018", "NG116")]),
        ("Pinquart & Sörensen, 2003", [("Pinquart & Sörensen", "2003", "")]),
        (
            "Cuijpers, van Straten &\n  Warmerdam, 2007",
            [("Cuijpers, van Straten & Warmerdam", "2007", "")],
        ),
        ("WHO, 2014a (a handbook)", [("WHO", "2014a", "a handbook")]),
        (
            "Sources: Hill et al., 2008; Hill et al., 2011 (STarT Back).",
            [("Hill et al.", "2008", ""), ("Hill et al.", "2011", "STarT Back")],
        ),
        ("under the Mental Capacity Act 2005, she", [("Mental Capacity Act", "2005", "")]),
        ("The Care Act 2014 gives carers", [("Care Act", "2014", "")]),
        ("In 2011, a score of 16 or more, 1999 times", []),
    ],
)
def test_the_parser_reads_the_citation_forms_content_uses(text, expected):
    found = [(c.authors, c.year, c.note) for c in find_citations(text)]
    assert found == expected


def test_a_citation_breaks_across_wrapped_lines():
    (citation,) = find_citations("Sources: Kroenke, Spitzer &\n      Williams, 2001.")
    assert BIBLIOGRAPHY.resolve(citation)["key"] == "kroenke-2001"


@pytest.mark.parametrize(
    ("cite", "key"),
    [
        ("Kroenke, Spitzer & Williams, 2001", "kroenke-2001"),
        ("Hill et al., 2011", "hill-2011"),
        ("NICE, 2022 (NG222)", "nice-ng222"),
        ("NICE, 2022 (NG225, self-harm)", "nice-ng225"),
        ("National Institute for Health and Care Excellence, 2014 (CG178)", "nice-cg178"),
        ("World Health Organization, 2003", "who-2003"),
        ("Spitzer et al., 2006 (GAD-7)", "spitzer-2006"),
        ("Care Act 2014 (England)", "care-act-2014"),
    ],
)
def test_citations_resolve_to_their_entry(cite, key):
    (citation,) = find_citations(cite)
    assert BIBLIOGRAPHY.resolve(citation)["key"] == key


# --- failing examples: the check reports what it should ---------------------------------------


def test_a_fake_citation_is_reported():
    fake = [("made-up.yaml", {"body": ["Talk.", {"text": "Sources: Nobody et al., 2019."}]})]
    (problem,) = citations.problems_in(BIBLIOGRAPHY, fake)
    assert "made-up.yaml" in problem and "Nobody et al., 2019" in problem


def test_an_ambiguous_citation_is_reported():
    """Two NICE guidelines came out in 2022: without its code the citation names neither."""
    (problem,) = citations.problems_in(BIBLIOGRAPHY, [("q.yaml", "Sources: NICE, 2022.")])
    assert "names 2 bibliography entries" in problem


def test_a_code_naming_another_work_is_reported():
    assert BIBLIOGRAPHY.resolve(Citation("NICE", "2021", "NG222")) is None
    assert BIBLIOGRAPHY.resolve(Citation("NICE", "2021", "NG193"))["key"] == "nice-ng193"


def test_a_document_citing_nothing_is_reported():
    documents = [("a.yaml", {"text": "Sources: Engel, 1977."}), ("b.yaml", {"text": "None."})]
    assert citations.uncited(documents) == ["b.yaml"]


def test_bad_entries_are_reported():
    good = {
        "key": "engel-1977",
        "cite": "Engel, 1977",
        "authors": "Engel, G. L.",
        "year": 1977,
        "title": "The need for a new medical model",
        "published_in": "Science",
    }
    bad = [
        good,
        {**good, "title": ""},  # a repeated key, and no title
        {**good, "key": "two", "doi": "doi:10.1126/science.847460"},
        {**good, "key": "three", "year": 1066},
        {**good, "key": "Not A Slug"},
    ]
    problems = entry_problems(bad)
    assert "engel-1977: no title" in problems
    assert "engel-1977: key used twice" in problems
    assert any(p.startswith("two: 'doi:10.1126") for p in problems)
    assert "three: year 1066 is implausible" in problems
    assert "Not A Slug: key is not a slug" in problems
    assert len(problems) == 5


def test_a_cite_that_is_not_a_citation_is_refused():
    with pytest.raises(ValueError, match="Not a citation"):
        Bibliography([{"key": "x", "cite": "Engel 1977"}])


# --- the bibliography and the shipped content -------------------------------------------------


def test_every_entry_has_its_fields_a_unique_key_a_doi_that_is_a_doi_and_a_plausible_year():
    assert entry_problems(BIBLIOGRAPHY.entries) == []
    assert len(BIBLIOGRAPHY.entries) > 80


def test_every_cite_form_names_its_own_entry():
    for entry in BIBLIOGRAPHY.entries:
        for cite in [entry["cite"], *entry.get("also_cited_as", [])]:
            (citation,) = find_citations(cite)
            assert BIBLIOGRAPHY.resolve(citation) is entry, cite


def test_every_citation_in_shipped_content_names_exactly_one_entry():
    assert citations.problems_in(BIBLIOGRAPHY, EVERYTHING) == []


def test_every_lesson_quiz_and_case_cites_the_bibliography():
    assert len(LESSONS) > 25 and len(QUIZ_FILES) >= 8 and len(CASES) >= 20
    assert citations.uncited(LESSONS + QUIZ_FILES + CASES) == []


def test_every_lesson_has_a_sources_line():
    for name, lesson in LESSONS:
        lines = [line for text in citations.strings(lesson) for line in text.splitlines()]
        assert any(line.strip().startswith("Sources:") for line in lines), name


def test_every_case_cites_in_at_least_one_ending():
    for name, case in CASES:
        endings = [node for node in case["nodes"] if node["kind"] == "ending"]
        assert any(map(find_citations, citations.strings(endings))), name


def test_every_intervention_evidence_ends_with_a_sources_line():
    interventions = load_yaml(CATALOGUES / "interventions.yaml")
    assert len(interventions) >= 36
    for intervention in interventions:
        last = intervention["evidence"].strip().splitlines()[-1]
        assert re.match(r"Sources: .+\.$", last), intervention["slug"]
        assert find_citations(last), intervention["slug"]


def test_further_reading_in_the_elements_cites_the_bibliography():
    """Each `further_reading` item of an element cites one work, written as the entry's."""
    items = [
        (element["code"], item["cite"])
        for element in load_yaml(CATALOGUES / "elements.yaml")
        for item in element.get("further_reading", [])
    ]
    assert len(items) >= 5  # every element suggests something to read
    for code, cite in items:
        found = find_citations(cite)
        assert len(found) == 1, (code, cite)
        assert BIBLIOGRAPHY.resolve(found[0]) is not None, (code, cite)


# --- the page ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_references_page_lists_every_entry_with_an_anchor(client):
    response = client.get("/references/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>References" in html
    for entry in BIBLIOGRAPHY.entries:
        assert f'id="{entry["key"]}"' in html
    assert '<a href="https://doi.org/10.1126/science.847460">' in html
    assert '<a href="https://www.nice.org.uk/guidance/ng222">' in html
    anchors = re.findall(r'<li id="([a-z0-9-]+)"', html)
    assert anchors == [e["key"] for e in BIBLIOGRAPHY.sorted_entries()]
    assert anchors.index("adams-2006") < anchors.index("engel-1977") < anchors.index("zigmond-1983")


@pytest.mark.django_db
def test_the_footer_links_to_the_references(client):
    html = client.get("/references/").content.decode()
    assert '<a href="/references/">References</a>' in html


@pytest.mark.django_db
def test_the_references_page_takes_no_post(client):
    assert client.post("/references/").status_code == 405

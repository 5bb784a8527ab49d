"""What a supervisor looks for in each element: the content in elements.yaml, the loader that
keeps the database in step with it, and the editor's one-per-line field."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from competencies import seed, services
from competencies.models import CompetencyElement

ROOT = Path(__file__).resolve().parents[2]
ELEMENTS = seed.load("elements.yaml")


def _sources_lines() -> str:
    """Every "Sources:" line of the course, lessons, quizzes and cases."""
    text = []
    for folder in ("curriculum/content", "cases/content", "assessments/content"):
        for path in (ROOT / folder).rglob("*.yaml"):
            text += re.findall(r"Sources?:.*", path.read_text(encoding="utf-8"))
    return "\n".join(text)


@pytest.mark.parametrize("element", ELEMENTS, ids=lambda e: e["code"])
def test_every_element_has_four_to_seven_distinct_behaviours(element):
    behaviours = element["indicative_behaviours"]
    assert 4 <= len(behaviours) <= 7
    assert all(isinstance(b, str) and b.strip() for b in behaviours)
    assert len({b.strip().lower() for b in behaviours}) == len(behaviours)
    assert not any(b.strip() in element["description"] for b in behaviours)
    assert len(element.get("not_yet", [])) <= 2


def test_no_behaviour_is_shared_between_elements():
    every = [b.lower() for e in ELEMENTS for b in e["indicative_behaviours"] + e.get("not_yet", [])]
    assert len(set(every)) == len(every)


@pytest.mark.parametrize("element", ELEMENTS, ids=lambda e: e["code"])
def test_further_reading_cites_works_the_course_already_cites(element):
    sources = _sources_lines()
    assert element["further_reading"], "each element suggests something to read"
    for item in element["further_reading"]:
        assert item["note"].strip()
        assert item["cite"] in sources, f"{item['cite']} is in no Sources line"


@pytest.mark.django_db
def test_the_loader_keeps_the_database_in_step_with_the_file(monkeypatch):
    seed.load_catalogues()
    stored = {e.code: e for e in CompetencyElement.objects.all()}
    for element in ELEMENTS:
        row = stored[element["code"]]
        assert row.indicative_behaviours == element["indicative_behaviours"]
        assert row.not_yet == element.get("not_yet", [])
        assert row.further_reading == element["further_reading"]

    # An edit in the database is put back by the next load; a behaviour taken out of the file
    # disappears from the database.
    elicit = stored["elicit"]
    elicit.indicative_behaviours = ["Something an editor typed."]
    elicit.save()
    shorter = [dict(e) for e in ELEMENTS]
    shorter[2] = {**shorter[2], "indicative_behaviours": shorter[2]["indicative_behaviours"][1:]}
    real_load = seed.load
    monkeypatch.setattr(
        seed, "load", lambda name: shorter if name == "elements.yaml" else real_load(name)
    )
    seed.load_catalogues()
    elicit.refresh_from_db()
    assert elicit.indicative_behaviours == ELEMENTS[2]["indicative_behaviours"][1:]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad, message",
    [
        ({"indicative_behaviours": ["Asks.", "  "]}, "empty item"),
        ({"indicative_behaviours": ["Asks.", "Asks."]}, "repeated item"),
        ({"not_yet": ["Rushes.", "Rushes. "]}, "repeated item"),
        ({"further_reading": [{"cite": "Engel, 1977", "note": ""}]}, "cite and a note"),
    ],
)
def test_the_service_refuses_blank_or_repeated_items(bad, message):
    with pytest.raises(ValidationError, match=message):
        services.element_upsert(code="elicit", name="Elicit", description="d", order=3, **bad)
    assert not CompetencyElement.objects.filter(code="elicit").exists()


@pytest.mark.django_db
def test_an_educator_edits_behaviours_one_per_line(client, educator):
    element = services.element_upsert(
        code="elicit", name="Elicit", description="Asks.", order=3,
        indicative_behaviours=["Asks an open question."],
    )  # fmt: skip
    client.force_login(educator)
    url = f"/admin/snippets/competencies/competencyelement/edit/{element.pk}/"
    form = client.get(url).content.decode()
    assert ">\nAsks an open question.</textarea>" in form  # one per line, not JSON
    response = client.post(
        url,
        {
            "code": "elicit",
            "name": "Elicit",
            "description": "Asks.",
            "order": 3,
            "indicative_behaviours": "Asks an open question.\n\n  Listens without interrupting. \n",
            "not_yet": "",
            "further_reading": '[{"cite": "Engel, 1977", "note": "The model."}]',
        },
    )
    assert response.status_code == 302
    element.refresh_from_db()
    assert element.indicative_behaviours == [
        "Asks an open question.",
        "Listens without interrupting.",
    ]
    assert element.not_yet == []
    assert element.further_reading == [{"cite": "Engel, 1977", "note": "The model."}]

"""Educators manage the catalogues under one "Catalogues" menu; nobody else can."""

import pytest

from competencies import services
from competencies.models import Intervention, PsychosocialFactor

pytestmark = pytest.mark.django_db

LISTINGS = [
    "/admin/snippets/competencies/psychosocialfactor/",
    "/admin/snippets/competencies/intervention/",
    "/admin/snippets/competencies/competencyelement/",
    "/admin/snippets/competencies/clinicalsetting/",
]


@pytest.fixture
def catalogue(db):
    loneliness = services.factor_upsert(
        slug="loneliness", name="Loneliness", kind="social", definition="Feeling alone."
    )
    services.intervention_upsert(
        slug="befriending",
        name="Befriending",
        kind="social",
        intensity="low",
        summary="A regular visit.",
        evidence="Thin but promising.",
        targets=["loneliness"],
    )
    return loneliness


@pytest.mark.parametrize("who", ["educator", "administrator"])
def test_educators_and_administrators_see_every_catalogue(client, request, catalogue, who):
    client.force_login(request.getfixturevalue(who))
    for url in LISTINGS:
        assert client.get(url).status_code == 200, url
    menu = client.get("/admin/").content.decode()
    assert "Catalogues" in menu


def test_an_educator_edits_an_intervention(client, educator, catalogue):
    client.force_login(educator)
    intervention = Intervention.objects.get(slug="befriending")
    response = client.post(
        f"/admin/snippets/competencies/intervention/edit/{intervention.pk}/",
        {
            "name": "Befriending schemes",
            "slug": "befriending",
            "kind": "social",
            "intensity": "low",
            "targets": [catalogue.pk],
            "summary": "A volunteer visits or calls each week.",
            "evidence": "Evidence is thin; trials are small.",
        },
    )
    assert response.status_code == 302
    intervention.refresh_from_db()
    assert intervention.name == "Befriending schemes"
    assert list(intervention.targets.all()) == [catalogue]


def test_a_bad_kind_is_refused_and_nothing_changes(client, educator, catalogue):
    client.force_login(educator)
    response = client.post(
        f"/admin/snippets/competencies/psychosocialfactor/edit/{catalogue.pk}/",
        {"name": "", "slug": "loneliness", "kind": "cosmic", "definition": ""},
    )
    assert response.status_code == 200
    catalogue.refresh_from_db()
    assert (catalogue.name, catalogue.kind) == ("Loneliness", "social")


def test_intervention_targets_must_exist(catalogue):
    with pytest.raises(Exception, match="unknown factors"):
        services.intervention_upsert(
            slug="x", name="X", kind="social", intensity="low", summary="s", evidence="e",
            targets=["no-such-factor"],
        )  # fmt: skip
    assert not Intervention.objects.filter(slug="x").exists()


@pytest.mark.parametrize("who", ["trainee", "supervisor"])
def test_trainees_and_supervisors_cannot_reach_the_catalogues(client, request, catalogue, who):
    client.force_login(request.getfixturevalue(who))
    for url in LISTINGS:
        assert client.get(url).status_code == 403, url
    assert PsychosocialFactor.objects.count() == 1

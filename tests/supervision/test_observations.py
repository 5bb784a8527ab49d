"""Observed practice: a current supervisor records a direct observation (no patient
identifiers), a trainee asks to be observed and reflects, observations are append-only,
audited, shown to the trainee and their supervisor, and counted by readiness."""

import datetime
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.html import escape

from assessments.models import (
    MasteryPolicy,
    Observation,
    ObservationRating,
    ObservationReflection,
)
from competencies import services as competency_services
from competencies.models import ClinicalSetting, CompetencyElement
from competencies.seed import load as seed_load
from competencies.seed import load_catalogues
from home.append_only import AppendOnlyError
from home.models import AuditEvent
from home.roles import Role
from progress.selectors import trainee_progress
from supervision import identifiers
from supervision import services as supervision_services
from supervision.models import ObservationRequest
from tests.curriculum.conftest import ELEMENTS
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(supervisor, trainee, other_trainee):
    for order, (code, name) in enumerate(ELEMENTS):
        competency_services.element_upsert(code=code, name=name, description=name, order=order)
    competency_services.setting_upsert(slug="stroke", name="Stroke rehabilitation")
    supervision_services.supervisor_assign(supervisor=supervisor, trainee=trainee)
    return supervisor, trainee, other_trainee


def _elements():
    return list(CompetencyElement.objects.order_by("order"))


def _form(**changes) -> dict:
    data = {
        "observed_on": str(timezone.localdate()),
        "setting": str(ClinicalSetting.objects.order_by("pk").first().pk),
        "activity": "A first assessment of low mood after a stroke, on the ward.",
        f"rating_{_elements()[0].pk}": "4",
        "went_well": "Open questions and a calm pace.",
        "next_steps": "Ask about sleep and appetite.",
    }
    data.update(changes)
    return data


def _record(supervisor, trainee, ratings=None, **changes):
    values = {
        "observed_on": timezone.localdate(),
        "setting": ClinicalSetting.objects.order_by("pk").first(),
        "activity": "Explained the plan to the family.",
        "ratings": ratings or {_elements()[0].pk: 4},
        "went_well": "Clear and kind.",
        "next_steps": "Check understanding.",
    }
    values.update(changes)
    return supervision_services.observation_record(supervisor=supervisor, trainee=trainee, **values)


@pytest.mark.parametrize(
    "text",
    [
        "Date of birth 03/07/1958.",
        "Seen 3.7.58 in clinic",
        "DOB given by the patient",
        "NHS number 943 476 5919",
        "NHS number 9434765919",
        "Rang her on 07700 900123",
        "Phone +44 7700 900 123",
        "Emailed j.smith@example.org",
    ],
)
def test_obvious_identifiers_are_found(text):
    assert identifiers.find(text)


@pytest.mark.parametrize(
    "text",
    ["PHQ-9 of 14, moderate", "Bay 3, 45 minutes, 2 visitors", "BP 120/80", "Step 2 of 5"],
)
def test_ordinary_clinical_text_passes(text):
    assert identifiers.find(text) is None


def test_a_supervisor_records_an_observation_with_an_audit_entry(client, team):
    supervisor, trainee, _ = team
    client.force_login(supervisor)
    page = client.get(f"/supervision/trainees/{trainee.pk}/")
    assert f"/supervision/trainees/{trainee.pk}/observations/new/" in page.content.decode()
    form = client.get(f"/supervision/trainees/{trainee.pk}/observations/new/")
    assert form.status_code == 200
    assert "No patient identifiers" in form.content.decode()
    first, second = _elements()[:2]
    response = client.post(
        f"/supervision/trainees/{trainee.pk}/observations/new/",
        _form(**{f"rating_{second.pk}": "2"}),
    )
    assert response.status_code == 302
    observation = Observation.objects.get(trainee=trainee)
    assert observation.supervisor == supervisor
    assert dict(
        ObservationRating.objects.filter(observation=observation).values_list(
            "element_id", "rating"
        )
    ) == {first.pk: 4, second.pk: 2}
    assert AuditEvent.objects.filter(action="observation", actor=supervisor).count() == 1
    html = client.get(f"/supervision/trainees/{trainee.pk}/").content.decode()
    assert "Open questions and a calm pace." in html and f"{first.name}: level 4 of 5" in html


def test_an_identifier_is_refused_beside_its_field_keeping_what_was_typed(client, team):
    supervisor, trainee, _ = team
    client.force_login(supervisor)
    typed = "Reviewed mood with the patient, NHS number 943 476 5919, on the ward."
    response = client.post(
        f"/supervision/trainees/{trainee.pk}/observations/new/", _form(activity=typed)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Remove the NHS number" in html
    assert typed in html  # kept in the field
    assert "Open questions and a calm pace." in html
    assert response.context["form"].errors["activity"]
    assert not Observation.objects.exists()
    for field, value in [
        ("went_well", "Phoned her daughter on 07700 900123."),
        ("next_steps", "Email the notes to a.patient@example.org"),
        ("activity", "Born on 12/03/1950, lives alone."),
    ]:
        response = client.post(
            f"/supervision/trainees/{trainee.pk}/observations/new/", _form(**{field: value})
        )
        assert response.status_code == 400 and response.context["form"].errors[field]
    assert not Observation.objects.exists()


def test_bad_observations_are_refused_with_a_message(client, team):
    supervisor, trainee, _ = team
    client.force_login(supervisor)
    url = f"/supervision/trainees/{trainee.pk}/observations/new/"
    tomorrow = str(timezone.localdate() + datetime.timedelta(days=1))
    response = client.post(url, _form(observed_on=tomorrow))
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()
    response = client.post(url, _form(**{f"rating_{_elements()[0].pk}": ""}))
    assert response.status_code == 400
    assert "Rate at least one competency element" in response.content.decode()
    response = client.post(url, _form(**{f"rating_{_elements()[0].pk}": "9"}))
    assert response.status_code == 400
    assert not Observation.objects.exists()


def test_only_a_current_supervisor_can_record(client, team):
    supervisor, trainee, other = team
    stranger = make_user(Role.SUPERVISOR, email="stranger@test.example")
    client.force_login(stranger)
    url = f"/supervision/trainees/{trainee.pk}/observations/new/"
    assert client.get(url).status_code == 404
    assert client.post(url, _form()).status_code == 404
    client.force_login(trainee)
    assert client.post(url, _form()).status_code == 403
    with pytest.raises(PermissionDenied):
        _record(stranger, trainee)
    with pytest.raises(PermissionDenied):
        _record(supervisor, other)
    assert not Observation.objects.exists()


def test_observations_are_append_only(team):
    supervisor, trainee, _ = team
    observation = _record(supervisor, trainee)
    observation.went_well = "Changed later."
    with pytest.raises(AppendOnlyError):
        observation.save()
    with pytest.raises(AppendOnlyError):
        observation.delete()
    with pytest.raises(AppendOnlyError):
        Observation.objects.update(went_well="x")
    with pytest.raises(AppendOnlyError):
        ObservationRating.objects.filter(observation=observation).delete()


def test_a_trainee_asks_withdraws_and_a_recorded_observation_closes_the_request(client, team):
    supervisor, trainee, other = team
    client.force_login(trainee)
    assert client.get("/dashboard/observations/ask/").status_code == 200
    response = client.post(
        "/dashboard/observations/ask/", {"supervisor": supervisor.pk, "note": "Thursday clinic"}
    )
    assert response.status_code == 302
    asked = ObservationRequest.objects.get(trainee=trainee)
    assert asked.state == "open" and asked.supervisor == supervisor
    # Asking again while it is open changes nothing.
    client.post("/dashboard/observations/ask/", {"supervisor": supervisor.pk})
    assert ObservationRequest.objects.filter(trainee=trainee).count() == 1
    # An identifier in the note is refused, the note kept.
    response = client.post(
        "/dashboard/observations/ask/", {"supervisor": supervisor.pk, "note": "ring 07700 900123"}
    )
    assert response.status_code == 400 and "ring 07700 900123" in response.content.decode()
    assert "Thursday clinic" in client.get("/dashboard/").content.decode()
    # The supervisor sees it in their box.
    client.force_login(supervisor)
    box = client.get("/supervision/").content.decode()
    assert "Asked to be observed" in box and "Thursday clinic" in box
    # Another trainee cannot withdraw it.
    client.force_login(other)
    assert client.post(f"/dashboard/observations/requests/{asked.pk}/withdraw/").status_code == 404
    # The trainee withdraws it: it leaves the box.
    client.force_login(trainee)
    client.post(f"/dashboard/observations/requests/{asked.pk}/withdraw/")
    asked.refresh_from_db()
    assert asked.state == "withdrawn" and asked.closed_at
    client.force_login(supervisor)
    assert "Asked to be observed" not in client.get("/supervision/").content.decode()
    # A new request, closed by the observation recorded against it.
    again = supervision_services.observation_ask(trainee=trainee, supervisor=supervisor)
    response = client.post(
        f"/supervision/trainees/{trainee.pk}/observations/new/",
        _form(observation_request=str(again.pk)),
    )
    assert response.status_code == 302
    again.refresh_from_db()
    assert again.state == "observed" and again.observation == Observation.objects.get()
    # A closed request cannot be used again.
    response = client.post(
        f"/supervision/trainees/{trainee.pk}/observations/new/",
        _form(observation_request=str(again.pk)),
    )
    assert response.status_code == 400 and Observation.objects.count() == 1


def test_only_current_supervisors_can_be_asked(team):
    supervisor, _, other = team
    with pytest.raises(ValidationError):
        supervision_services.observation_ask(trainee=other, supervisor=supervisor)
    with pytest.raises(PermissionDenied):
        supervision_services.observation_ask(trainee=supervisor, supervisor=supervisor)


def test_the_trainee_reflects_once_and_sees_it_beside_the_observation(client, team):
    supervisor, trainee, other = team
    observation = _record(supervisor, trainee)
    url = f"/dashboard/observations/{observation.pk}/reflect/"
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.post(url, {"text": "Mine"}).status_code == 404
    client.force_login(trainee)
    dashboard = client.get("/dashboard/").content.decode()
    assert "Clear and kind." in dashboard and url in dashboard
    response = client.post(url, {"text": "Seen on 01/02/1960, I think"})
    assert response.status_code == 400 and not ObservationReflection.objects.exists()
    assert client.post(url, {"text": "I rushed the ending."}).status_code == 302
    assert client.post(url, {"text": "A second one."}).status_code == 400
    assert ObservationReflection.objects.get().text == "I rushed the ending."
    assert "I rushed the ending." in client.get("/dashboard/record/").content.decode()
    client.force_login(supervisor)
    page = client.get(f"/supervision/trainees/{trainee.pk}/").content.decode()
    assert "The trainee's reflection" in page and "I rushed the ending." in page


def test_readiness_counts_observations_rated_at_the_policy_level(team):
    supervisor, trainee, _ = team
    before = trainee_progress(user=trainee)
    assert not any("observation" in line for line in before["missing"])  # default: none needed
    policy = MasteryPolicy.load()
    policy.observations_needed, policy.observation_level = 1, 4
    policy.save()
    first, second = _elements()[:2]
    missing = trainee_progress(user=trainee)["missing"]
    assert f"1 more observation of your practice rated level 4 or above for “{first.name}”." in (
        missing
    )
    _record(supervisor, trainee, ratings={first.pk: 4, second.pk: 3})
    missing = trainee_progress(user=trainee)["missing"]
    assert not any("observation" in line and first.name in line for line in missing)
    assert any("observation" in line and second.name in line for line in missing)


def test_the_cached_dashboard_and_supervisor_page_show_a_new_observation(client, team):
    supervisor, trainee, _ = team
    client.force_login(trainee)
    assert "Clear and kind." not in client.get("/dashboard/").content.decode()  # now cached
    client.force_login(supervisor)
    assert (
        "Clear and kind." not in client.get(f"/supervision/trainees/{trainee.pk}/").content.decode()
    )
    _record(supervisor, trainee)
    assert "Clear and kind." in client.get(f"/supervision/trainees/{trainee.pk}/").content.decode()
    client.force_login(trainee)
    assert "Clear and kind." in client.get("/dashboard/").content.decode()


def test_a_sign_off_freezes_the_observations_and_the_policy_it_judged(team):
    supervisor, trainee, _ = team
    observation = _record(supervisor, trainee)
    record = supervision_services.sign_off_record(
        supervisor=supervisor, trainee=trainee, decision="not_yet", level=2,
        feedback="More to see.", next_steps="Two more observations.",
        reauthenticated_at=time.time(),
    )  # fmt: skip
    assert record.snapshot["observations"] == [observation.pk]
    assert record.snapshot["policy"]["observations_needed"] == 0
    assert record.snapshot["policy"]["observation_level"] == 3


def test_the_form_shows_what_to_look_for_beside_each_rating(client, team):
    supervisor, trainee, _ = team
    load_catalogues()
    client.force_login(supervisor)
    html = client.get(f"/supervision/trainees/{trainee.pk}/observations/new/").content.decode()
    for element in seed_load("elements.yaml"):
        row = CompetencyElement.objects.get(code=element["code"])
        rating = html.index(f'name="rating_{row.pk}"')
        summary = html.index(f"<summary>What to look for: {escape(element['name'])}</summary>")
        assert rating < summary < html.index("</details>", summary)
        for item in element["indicative_behaviours"]:
            assert escape(item) in html[summary : html.index("</details>", summary)], item


def test_pages_read_only_the_kinds_of_supervision_record_a_trainee_has(client, team):
    """``record_kinds``: one read says which kinds exist; the dashboard and the supervisor's
    page skip the reads of the others, and show each kind as soon as it exists."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from home.caching import records_changed
    from supervision import selectors
    from supervision.models import SignOffRequest
    from supervision.selectors.kinds import KINDS

    supervisor, trainee, other = team
    assert selectors.record_kinds(trainee=other) == dict.fromkeys(KINDS, False)
    assert selectors.record_kinds(trainee=trainee) == {
        **dict.fromkeys(KINDS, False),
        "supervised": True,
    }

    def cold(person, url="/dashboard/"):
        records_changed(person.pk)
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(url).content.decode()
        return len(ctx.captured_queries), html

    client.force_login(trainee)
    cold(trainee)  # what is kept with the content, and the reads compiled once
    before, _ = cold(trainee)
    client.post("/dashboard/observations/ask/", {"supervisor": supervisor.pk, "note": "Thursday"})
    _record(supervisor, trainee, went_well="Named the worry about money.")
    supervision_services.sign_off_record(
        supervisor=supervisor, trainee=trainee, decision="not_yet", level=2,
        feedback="More to see.", next_steps="Two more observations.",
        reauthenticated_at=time.time(),
    )  # fmt: skip
    SignOffRequest.objects.create(trainee=trainee, message="Please look at my cases.")
    assert selectors.record_kinds(trainee=trainee) == dict.fromkeys(KINDS, True)
    after, html = cold(trainee)
    assert "Named the worry about money." in html
    assert "Thursday" in html
    # Observations (with ratings), requests to be observed, the sign-off request and outcome.
    assert after >= before + 4, (before, after)
    client.force_login(supervisor)
    _, page = cold(trainee, f"/supervision/trainees/{trainee.pk}/")
    assert "Named the worry about money." in page and "Thursday" in page
    assert "More to see." in page and "Please look at my cases." in page

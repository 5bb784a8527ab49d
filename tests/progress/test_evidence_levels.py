"""Mastery per element and per level (Miller's pyramid): knows (quizzes), shows how (cases),
does (observed practice), on the trainee's dashboard and the supervisor's page, from the first
answers that count."""

import pytest
from django.utils import timezone

from assessments.models import Evidence
from assessments.services import evidence_record
from competencies.models import ClinicalSetting, CompetencyElement
from progress.selectors import evidence_levels
from supervision import services as supervision_services
from tests.progress.test_dashboard import _take

pytestmark = pytest.mark.django_db


def _levels(trainee, code):
    from assessments.selectors import mastery_policy

    elements = list(CompetencyElement.objects.order_by("order"))
    rows = evidence_levels(user=trainee, elements=elements, policy=mastery_policy())
    return next(r for r in rows if r["element"].code == code)


def test_each_level_counts_its_own_evidence_and_only_first_answers(quiz, trainee, supervisor):
    _take(trainee, quiz, answers={})  # a blank attempt: every question scores 0 the first time
    _take(trainee, quiz)  # the retake, all right, is practice
    elicit = _levels(trainee, "elicit")
    assert elicit["knows"]["percent"] == 0 and elicit["knows"]["items"] >= 1
    assert elicit["shows_how"] is None and elicit["does"] is None

    setting = ClinicalSetting.objects.order_by("pk").first()
    for n, points in enumerate([1, 0.5]):
        evidence_record(
            trainee=trainee, element_codes=["elicit"], points=points, max_points=1,
            source=Evidence.Source.VIGNETTE, item_key=f"case:demo:n{n}", setting=setting,
        )  # fmt: skip
    evidence_record(  # a replay of the first step: practice, not evidence
        trainee=trainee, element_codes=["elicit"], points=0, max_points=1,
        source=Evidence.Source.VIGNETTE, item_key="case:demo:n0", setting=setting,
    )  # fmt: skip
    elicit = _levels(trainee, "elicit")
    assert elicit["shows_how"] == {"items": 2, "percent": 75}
    assert elicit["knows"]["percent"] == 0

    supervision_services.supervisor_assign(supervisor=supervisor, trainee=trainee)
    element = CompetencyElement.objects.get(code="elicit")
    for rating in (4, 2):
        supervision_services.observation_record(
            supervisor=supervisor, trainee=trainee, observed_on=timezone.localdate(),
            setting=setting, activity="A first assessment on the ward.",
            ratings={element.pk: rating}, went_well="Calm.", next_steps="Ask about sleep.",
        )  # fmt: skip
    assert _levels(trainee, "elicit")["does"] == {"ratings": 2, "reached": 1}


def test_dashboard_and_supervisor_page_show_the_levels(client, quiz, trainee, supervisor):
    _take(trainee, quiz)
    supervision_services.supervisor_assign(supervisor=supervisor, trainee=trainee)
    client.force_login(trainee)
    html = client.get("/dashboard/").content.decode()
    assert "Knows: quizzes" in html and "Shows how: cases" in html
    assert "100% over" in html and "not yet observed" in html
    client.force_login(supervisor)
    html = client.get(f"/supervision/trainees/{trainee.pk}/").content.decode()
    assert "Evidence by level" in html and "Does: observed practice" in html

"""Stored XSS: every place that renders authored text, with the payload list of the curriculum
tests stored in it, renders nothing that could run.

Authored by educators: a vignette's title, summary, node titles and text, option labels,
feedback and learning points; a quiz's stems, choices, feedback and guidance. Authored by
people: display names and organisations, reflections, cohort names, sign-off feedback, next
steps and justification. (Lesson blocks are covered block by block in
tests/curriculum/test_rendering.py.)
"""

import time

import pytest
from bs4 import BeautifulSoup

from assessments.models import QuizAttempt
from home.roles import Role
from supervision import services as supervision_services
from supervision.models import Cohort, SignOffRecord
from tests.assessments import conftest as quiz_conftest
from tests.cases import conftest as case_conftest
from tests.cases.test_player import play_through
from tests.curriculum.test_rendering import XSS_PAYLOADS
from tests.delivery import quiz_form
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SEEN = "XSSMARK"  # plain text carried with the payloads: proves the field was rendered
PAYLOAD = SEEN + " " + " ".join(XSS_PAYLOADS)
# Short fields (titles, labels, choice texts) carry a few payloads; long ones carry them all.
SHORT = f"{SEEN} <script>alert(1)</script><img src=x onerror=alert(1)>"
TEXT_KEYS = {"summary": PAYLOAD, "body": PAYLOAD, "feedback": PAYLOAD, "stem": PAYLOAD,
             "guidance": PAYLOAD, "title": SHORT, "label": SHORT, "text": SHORT}  # fmt: skip
RUNNABLE_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}


def poisoned(value):
    """The same spec with the payloads appended to every human-readable text."""
    if isinstance(value, dict):
        return {
            k: (f"{v} {TEXT_KEYS[k]}" if k in TEXT_KEYS and isinstance(v, str) else poisoned(v))
            for k, v in value.items()
        } | (
            {"learning_points": [*value["learning_points"], PAYLOAD]}
            if "learning_points" in value
            else {}
        )
    if isinstance(value, list):
        return [poisoned(v) for v in value]
    return value


def assert_nothing_runs(html: str, where: str):
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        assert tag.name not in RUNNABLE_TAGS, (where, str(tag)[:200])
        if tag.name == "meta":
            assert tag.get("http-equiv", "").lower() != "refresh", where
        if tag.name in ("script", "style"):
            assert "alert(" not in tag.get_text(), (where, str(tag)[:200])
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), (where, str(tag)[:200])
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower() == "style":
                assert "javascript" not in text.lower(), (where, str(tag)[:200])
            if name.lower() in {"href", "src", "action", "formaction", "data", "xlink:href"}:
                scheme = "".join(ch for ch in text if ch.isprintable() and not ch.isspace())
                assert not scheme.lower().startswith(("javascript:", "vbscript:", "data:text")), (
                    where,
                    str(tag)[:200],
                )


def fetch(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    html = response.content.decode()
    assert_nothing_runs(html, url)
    return html


@pytest.fixture
def poisoned_world(monkeypatch, supervisor):
    case_spec, quiz_spec = case_conftest.case_spec, quiz_conftest.quiz_spec
    monkeypatch.setattr(case_conftest, "case_spec", lambda **kw: poisoned(case_spec(**kw)))
    monkeypatch.setattr(quiz_conftest, "quiz_spec", lambda **kw: poisoned(quiz_spec(**kw)))
    case = case_conftest.build_case()
    quiz = quiz_conftest.build_quiz(timing="after_each")
    trainee = make_user(Role.TRAINEE, email="xss@test.example", display_name=f"Tess {SHORT}"[:80])
    trainee.organisation = PAYLOAD[:160]
    trainee.save()
    cohort = Cohort.objects.create(name=f"Cohort {SEEN} <script>alert(1)</script>")
    supervision_services.cohort_join(trainee=trainee, code=cohort.invite_code)
    supervision_services.supervisor_assign(supervisor=supervisor, trainee=trainee)
    return case, quiz, trainee


def test_authored_text_never_runs_anywhere_it_is_shown(client, poisoned_world, supervisor):
    case, quiz, trainee = poisoned_world
    client.force_login(trainee)

    # The case: its page, every step and feedback page, then the debrief.
    html = fetch(client, case.url)
    assert SEEN in html
    seen = []
    attempt, _ = play_through(client, case, seen=seen)
    assert len(seen) > 4
    for kind, node, page in seen:
        assert_nothing_runs(page, f"{kind} {node}")
    assert any(SEEN in page for _, _, page in seen)
    assert SEEN in fetch(client, f"{case.url}play/{attempt.pk}/debrief/")

    # The quiz: answer the first question (feedback shows at once), then the summary and review.
    fetch(client, quiz.url)
    start = client.post(quiz.url + "start/")
    attempt_url = start.headers["Location"]
    question = fetch(client, attempt_url)
    assert SEEN in question
    quiz_attempt = QuizAttempt.objects.get(pk=int(attempt_url.rstrip("/").split("/")[-1]))
    answer = quiz_form(quiz_attempt, "q-single", {"choice": "ask"})
    client.post(attempt_url, {"question": "q-single", "q": 0, **answer})
    assert SEEN in fetch(client, attempt_url + "?q=0")
    client.post(attempt_url.rstrip("/") + "/submit/")
    quiz_attempt_id = attempt_url.rstrip("/").split("/")[-1]
    assert SEEN in fetch(client, f"{quiz.url}attempt/{quiz_attempt_id}/review/")

    # The trainee's own pages.
    for url in ("/dashboard/", "/dashboard/record/", "/account/profile/"):
        fetch(client, url)

    # A signed-off record with payloads in every free-text field, as the supervisor wrote it.
    for decision, extra in [
        (SignOffRecord.Decision.NOT_YET, {"next_steps": f"Next {PAYLOAD}"}),
        (SignOffRecord.Decision.COMPETENT, {"justification": f"Because {PAYLOAD}"}),
    ]:
        record = supervision_services.sign_off_record(
            supervisor=supervisor,
            trainee=trainee,
            decision=decision,
            level=3,
            feedback=f"Feedback {PAYLOAD}",
            reauthenticated_at=time.time(),
            **extra,
        )
    assert SEEN in fetch(client, "/dashboard/sign-offs/")
    assert SEEN in fetch(client, f"/dashboard/sign-offs/{record.pk}/certificate/")
    fetch(client, f"/verify/{record.verification_code}/")

    # The supervisor's side: dashboard (names, cohort), the trainee page, the case path.
    client.force_login(supervisor)
    assert SEEN in fetch(client, "/supervision/")
    assert SEEN in fetch(client, f"/supervision/trainees/{trainee.pk}/")
    assert SEEN in fetch(client, f"/supervision/trainees/{trainee.pk}/cases/{attempt.pk}/")


def test_the_check_itself_catches_a_payload_that_got_through():
    for raw in ('<img src=x onerror="alert(1)">', "<script>alert(1)</script>",
                '<a href="javascript:alert(1)">x</a>', "<iframe src=x></iframe>"):  # fmt: skip
        with pytest.raises(AssertionError):
            assert_nothing_runs(f"<p>{raw}</p>", "raw")

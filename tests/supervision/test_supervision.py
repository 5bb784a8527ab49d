"""The supervisor's screens: only current trainees, filters and CSV, the evidence review, the
sign-off flow with re-authentication, the trainee's certificate and the public check."""

import csv
import datetime
import io
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from home.models import AuditEvent
from home.roles import Role
from supervision import services as supervision_services
from supervision.models import SignOffRecord, SignOffRequest, SupervisorAssignment
from tests.cases.conftest import build_case
from tests.cases.test_player import play_through
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(supervisor, trainee, other_trainee):
    supervision_services.supervisor_assign(supervisor=supervisor, trainee=trainee)
    return supervisor, trainee, other_trainee


def test_supervisors_see_only_their_current_trainees(client, team):
    supervisor, trainee, other = team
    client.force_login(supervisor)
    html = client.get("/supervision/").content.decode()
    assert trainee.name in html and other.name not in html
    assert client.get(f"/supervision/trainees/{trainee.pk}/").status_code == 200
    assert client.get(f"/supervision/trainees/{other.pk}/").status_code == 404
    # The assignment ends: access ends at once.
    SupervisorAssignment.objects.filter(supervisor=supervisor).update(
        starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2020, 6, 30)
    )
    assert trainee.name not in client.get("/supervision/").content.decode()
    assert client.get(f"/supervision/trainees/{trainee.pk}/").status_code == 404
    assert client.get(f"/supervision/trainees/{trainee.pk}/sign-off/").status_code == 404


@pytest.mark.parametrize("who", ["trainee", "educator"])
def test_people_who_are_not_supervisors_are_refused(client, request, who, team):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/supervision/").status_code == 403
    assert client.get("/supervision/export.csv").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, team):
    response = client.get("/supervision/")
    assert response.status_code == 302 and "/accounts/login/" in response.headers["Location"]


def test_filters_sorts_and_bad_input(client, team):
    supervisor, trainee, _ = team
    client.force_login(supervisor)
    assert trainee.name in client.get("/supervision/?show=not_started").content.decode()
    assert trainee.name in client.get("/supervision/?show=inactive&sort=activity").content.decode()
    assert trainee.name not in client.get("/supervision/?show=ready").content.decode()
    assert client.get("/supervision/?show=everything").status_code == 400
    assert client.get("/supervision/?sort=shoe-size").status_code == 400


def test_csv_export_escapes_formulas_and_is_audited(client, team):
    supervisor, trainee, _ = team
    trainee.display_name = '=HYPERLINK("http://evil.example","click")'
    trainee.save()
    client.force_login(supervisor)
    response = client.get("/supervision/export.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Name" and rows[1][0].startswith("'=HYPERLINK")
    assert AuditEvent.objects.filter(action="data_export", actor=supervisor).count() == 1


def _dashboard_queries(client, supervisor) -> int:
    client.force_login(supervisor)
    client.get("/supervision/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/supervision/?sort=ready").status_code == 200
    return len(queries)


def _add_trainees(supervisor, start: int, count: int) -> None:
    """Many trainees at once (bulk inserts), each assigned to ``supervisor``."""
    from django.contrib.auth.models import Group

    from home.models import User

    people = User.objects.bulk_create(
        [
            User(email=f"bulk{i}@test.example", username=f"bulk{i}", display_name=f"Bulk {i}")
            for i in range(start, start + count)
        ]
    )
    group = Group.objects.get(name=Role.TRAINEE.value)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=p.pk, group_id=group.pk) for p in people]
    )
    SupervisorAssignment.objects.bulk_create(
        [SupervisorAssignment(supervisor=supervisor, trainee=p) for p in people]
    )


def test_dashboard_queries_are_the_same_for_10_or_1000_trainees(client, supervisor):
    _add_trainees(supervisor, 0, 10)
    ten = _dashboard_queries(client, supervisor)
    _add_trainees(supervisor, 10, 990)
    thousand = _dashboard_queries(client, supervisor)
    assert ten == thousand, (ten, thousand)
    assert thousand <= 10
    assert "Page 1 of 40" in client.get("/supervision/").content.decode()


def test_the_trainee_page_shows_evidence_cases_and_the_decision_path(client, team):
    supervisor, trainee, _ = team
    case = build_case()
    client.force_login(trainee)
    attempt, _ = play_through(client, case)
    client.force_login(supervisor)
    html = client.get(f"/supervision/trainees/{trainee.pk}/").content.decode()
    assert "Case: Walter after a fall" in html and "Orthogeriatrics" in html
    # The chart of mastery over time: one line per element scored, with the threshold.
    assert html.count("<polyline") == 5 and "threshold 70%" in html
    path = client.get(f"/supervision/trainees/{trainee.pk}/cases/{attempt.pk}/")
    page = path.content.decode()
    assert path.status_code == 200
    assert "Chose:</strong> Screen his mood" in page and "ZZSECRET-choose-screen" in page
    # Another trainee's attempt cannot be reached through this trainee's page.
    other = make_user(Role.TRAINEE, email="x@test.example")
    client.force_login(other)
    other_attempt, _ = play_through(client, case)
    client.force_login(supervisor)
    assert (
        client.get(f"/supervision/trainees/{trainee.pk}/cases/{other_attempt.pk}/").status_code
        == 404
    )


def test_sign_off_needs_a_fresh_password_and_then_lands_on_the_record(client, team):
    supervisor, trainee, other = team
    client.force_login(supervisor)
    url = f"/supervision/trainees/{trainee.pk}/sign-off/"
    form = {
        "decision": "competent",
        "level": "3",
        "feedback": "Consistently asks about home, work and mood.",
        "justification": "Observed directly in clinic over six weeks.",
    }
    # The form itself asks for the password when the last confirmation is not recent.
    assert 'name="password"' in client.get(url).content.decode()
    refused = client.post(url, form)
    assert refused.status_code == 400 and not SignOffRecord.objects.exists()
    assert "Enter your password, or a code" in refused.content.decode()
    wrong = client.post(url, {**form, "password": "nope"})
    page = wrong.content.decode()
    assert wrong.status_code == 403 and not SignOffRecord.objects.exists()
    assert "That password or code is not right." in page
    # Everything typed is kept (the password is not shown back).
    assert "Consistently asks about home, work and mood." in page
    assert "Observed directly in clinic over six weeks." in page
    assert re.search(r'value="competent"[^>]*checked', page)
    assert re.search(r'value="3"[^>]*checked', page)
    missing = client.post(url, {**form, "feedback": "", "password": PASSWORD})
    assert missing.status_code == 400 and not SignOffRecord.objects.exists()
    # The password was right: for five minutes the form no longer asks for it.
    assert 'name="password"' not in missing.content.decode()
    done = client.post(url, form)
    assert done.status_code == 302
    record = SignOffRecord.objects.get()
    assert (record.level, record.supervisor, record.trainee) == (3, supervisor, trainee)
    assert (
        "Observed directly" in client.get(f"/supervision/trainees/{trainee.pk}/").content.decode()
    )

    # The trainee reads it, opens the certificate; the public page confirms it.
    client.force_login(trainee)
    assert "Consistently asks" in client.get("/dashboard/sign-offs/").content.decode()
    certificate = client.get(f"/dashboard/sign-offs/{record.pk}/certificate/").content.decode()
    assert record.verification_code in certificate
    client.force_login(other)
    assert client.get(f"/dashboard/sign-offs/{record.pk}/certificate/").status_code == 404
    client.logout()
    public = client.get(f"/verify/{record.verification_code}/").content.decode()
    assert trainee.name in public and "Competent" in public and "Valid" in public
    assert "Consistently asks" not in public and trainee.email not in public
    assert client.get("/verify/NOPE-NOPE-NOPE-NOPE/").status_code == 404

    # Revoked: a new record, and the public page says so.
    client.force_login(supervisor)
    client.post("/supervision/confirm/", {"password": PASSWORD, "next": "/supervision/"})
    client.post(f"/supervision/sign-offs/{record.pk}/revoke/", {"reason": "Concern raised."})
    assert SignOffRecord.objects.filter(revokes=record).exists()
    client.logout()
    revoked = client.get(f"/verify/{record.verification_code}/").content.decode()
    assert "was revoked on" in revoked and "no longer valid" in revoked
    assert trainee.name not in revoked and "Valid</dd>" not in revoked


@pytest.mark.parametrize("code", ["%00", "ABCD%00-EFGH", "' OR 1=1 --", "x" * 300])
def test_what_cannot_be_a_code_is_unknown_not_an_error(client, code):
    """Found by the fuzzing suite: a NUL byte reached the query and PostgreSQL refused it."""
    from urllib.parse import quote

    assert client.get(f"/verify/{code}/").status_code == 404
    response = client.get(f"/verify/?code={quote(code, safe='%')}")
    assert response.status_code == 404 and b"<h1" in response.content


@pytest.mark.parametrize("next_url", ["0", "dashboard", "https://evil.example/", "//evil.example/"])
def test_confirming_with_a_next_that_is_not_a_path_here_goes_to_the_dashboard(
    client, team, next_url
):
    """Found by the fuzzing suite: ``next=0`` was taken for the name of a URL (a 500)."""
    supervisor, _, _ = team
    client.force_login(supervisor)
    response = client.post("/supervision/confirm/", {"password": PASSWORD, "next": next_url})
    assert response.status_code == 302
    assert response.headers["Location"] == "/supervision/"


def test_a_trainee_cannot_sign_anyone_off(client, team):
    _, trainee, other = team
    client.force_login(trainee)
    assert client.post(f"/supervision/trainees/{other.pk}/sign-off/", {}).status_code == 403


def test_a_sign_off_request_mails_current_supervisors_after_commit(
    team, django_capture_on_commit_callbacks
):
    supervisor, trainee, _ = team
    request = SignOffRequest.objects.create(trainee=trainee)
    with django_capture_on_commit_callbacks(execute=True):
        from django.db import transaction

        transaction.on_commit(lambda: supervision_services._notify_supervisors(request))
    assert [m.to for m in mail.outbox] == [[supervisor.email]]


def test_a_mail_failure_never_loses_the_request(team, monkeypatch):
    _, trainee, _ = team

    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.send_mail", broken)
    request = SignOffRequest.objects.create(trainee=trainee)
    assert supervision_services._notify_supervisors(request) == 0
    assert SignOffRequest.objects.filter(pk=request.pk).exists()


def test_a_totp_code_also_confirms_and_a_used_or_wrong_code_does_not(client, team):
    from tests.factories import totp_code

    supervisor, trainee, _ = team  # enrolled by the factory, as every supervisor must be
    client.force_login(supervisor)
    url = f"/supervision/trainees/{trainee.pk}/sign-off/"
    assert client.post("/supervision/confirm/", {"code": "000000", "next": url}).status_code == 400
    assert client.post("/supervision/confirm/", {"next": url}).status_code == 400
    code = totp_code()
    confirmed = client.post("/supervision/confirm/", {"code": code, "next": url})
    assert confirmed.status_code == 302 and confirmed.headers["Location"] == url
    replayed = client.post("/supervision/confirm/", {"code": code, "next": url})
    assert replayed.status_code == 400  # a code works once


def test_the_next_address_cannot_leave_the_site(client, team):
    supervisor, _, _ = team
    client.force_login(supervisor)
    response = client.post(
        "/supervision/confirm/", {"password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/supervision/"


def test_a_person_downloads_everything_held_about_them_and_nothing_else(client, team):
    import json

    supervisor, trainee, other = team
    case = build_case()
    client.force_login(other)
    play_through(client, case)
    client.force_login(trainee)
    play_through(client, case)
    response = client.get("/account/my-data.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    data = json.loads(response.content)
    assert data["profile"]["email"] == trainee.email
    assert len(data["case_attempts"]) == 1 and len(data["case_steps"]) == 6
    assert {row["item_key"].split(":")[0] for row in data["evidence"]} == {"case"}
    assert data["supervisors"][0]["supervisor__display_name"] == supervisor.display_name
    assert any(row["action"] == "login" for row in data["audit_entries"])
    assert other.email not in response.content.decode()
    assert AuditEvent.objects.filter(action="data_export", actor=trainee).exists()
    client.logout()
    assert client.get("/account/my-data.json").status_code == 302


def test_the_cached_table_follows_every_change_at_once(client, team):
    """The supervisor's table is cached (supervision.views.roster and trainee_rows): what their
    trainees do, and changes to who they supervise, show on the next view."""
    from curriculum.models import LessonPage
    from curriculum.services import lesson_complete
    from tests.curriculum.conftest import build_course

    supervisor, trainee, other = team
    build_course(modules=1, lessons_per_module=2)
    client.force_login(supervisor)
    html = client.get("/supervision/").content.decode()
    assert trainee.name in html and "<td>0 of 2</td>" in html and "requests-title" not in html

    lesson_complete(user=trainee, lesson=LessonPage.objects.live().order_by("path").first())
    assert "<td>1 of 2</td>" in client.get("/supervision/").content.decode()

    SignOffRequest.objects.create(trainee=trainee, message="Ready when you are")
    html = client.get("/supervision/").content.decode()
    assert "requests-title" in html and "Ready when you are" in html
    assert trainee.name in client.get("/supervision/?show=requested").content.decode()

    trainee.display_name = "Tara Renamed"
    trainee.save()
    assert "Tara Renamed" in client.get("/supervision/").content.decode()

    supervision_services.supervisor_assign(supervisor=supervisor, trainee=other)
    assert other.name in client.get("/supervision/").content.decode()
    SupervisorAssignment.objects.filter(supervisor=supervisor, trainee=other).delete()
    assert other.name not in client.get("/supervision/").content.decode()


def test_the_requests_box_shows_who_waited_longest_and_links_to_everyone(client, supervisor):
    _add_trainees(supervisor, 0, 12)
    from home.models import User

    for n, person in enumerate(User.objects.filter(email__startswith="bulk").order_by("pk")):
        SignOffRequest.objects.create(trainee=person, message=f"request number {n}")
    client.force_login(supervisor)
    html = client.get("/supervision/").content.decode()
    assert "12 trainees are waiting. These 10 have waited longest." in html
    assert "request number 0" in html and "request number 9" in html
    assert "request number 10" not in html and "request number 11" not in html
    assert "Show all 12 trainees who asked" in html
    assert client.get("/supervision/?show=requested").content.decode().count('scope="row"') == 12

"""Review dates (issue 16): the rule the editor and the imports share, the imports refusing a
missing or broken ``review`` block with the file's name, and the "Content due for review" report
(rows, status, order, filter, CSV, who may open it)."""

import csv
import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments import importing
from assessments.models import QuizPage
from cases import content
from cases import services as case_services
from cases.models import CaseVignettePage
from curriculum import services as curriculum_services
from curriculum.models import LessonPage
from home.review import (
    ReviewInvalid,
    ReviewStatus,
    review_from_spec,
    review_problems,
    review_status,
)
from home.review_report import pages_for_review
from home.roles import Role
from tests.assessments.conftest import build_quiz, quiz_spec
from tests.cases.conftest import build_case, case_spec
from tests.curriculum.conftest import lesson_spec
from tests.editor import form_errors, form_post_data
from tests.factories import make_user, review_block

D = datetime.date
TODAY = D(2026, 12, 6)


# --- The rule -------------------------------------------------------------------------------


def test_the_next_review_must_come_after_the_last():
    assert review_problems("Kim, OT lead", D(2026, 3, 1), D(2027, 3, 1)) == {}
    for next_review in (D(2026, 3, 1), D(2026, 2, 28)):
        problems = review_problems("Kim, OT lead", D(2026, 3, 1), next_review)
        assert list(problems) == ["next_review"]
        assert "must come after the last review (2026-03-01)" in problems["next_review"]


def test_owner_and_dates_go_together_and_none_at_all_is_allowed():
    assert review_problems("", None, None) == {}
    assert set(review_problems("Kim, OT lead", None, None)) == {"last_reviewed", "next_review"}
    assert set(review_problems("  ", D(2026, 3, 1), D(2027, 3, 1))) == {"review_owner"}


@pytest.mark.parametrize(
    ("next_review", "status"),
    [
        (None, ReviewStatus.NOT_SET),
        (D(2026, 12, 5), ReviewStatus.OVERDUE),
        (D(2026, 12, 6), ReviewStatus.DUE_SOON),
        (D(2027, 1, 5), ReviewStatus.DUE_SOON),
        (D(2027, 1, 6), ReviewStatus.LATER),
    ],
)
def test_status_against_the_next_review_date(next_review, status):
    assert review_status(next_review, TODAY) is status


def test_the_block_becomes_model_fields_and_bad_blocks_name_the_file():
    assert review_from_spec({"review": review_block()}, "01-x.yaml") == {
        "review_owner": "Test Owner, education lead",
        "last_reviewed": D(2026, 3, 1),
        "next_review": D(2027, 3, 1),
    }
    assert review_from_spec({"review": review_block(next_review="2027-04-01")}, "x")[
        "next_review"
    ] == D(2027, 4, 1)
    bad = [
        ({}, "01-x.yaml: no review block"),
        ({"review": review_block(owner="")}, "01-x.yaml: review.owner is missing"),
        ({"review": review_block(next_review="soon")}, "review.next_review must be a date"),
        ({"review": review_block(next_review=D(2026, 1, 1))}, "must come after the last review"),
    ]
    for spec, message in bad:
        with pytest.raises(ReviewInvalid, match=re.escape(message)):
            review_from_spec(spec, "01-x.yaml")


def test_the_model_refuses_a_next_review_before_the_last(db):
    quiz = build_quiz()
    quiz.next_review = D(2026, 1, 1)
    with pytest.raises(ValidationError) as caught:
        quiz.full_clean()
    assert "must come after the last review" in str(caught.value.message_dict["next_review"])


def test_the_editor_shows_the_review_panel_and_refuses_bad_dates(client, administrator):
    lesson = build_quiz().get_parent().get_children().type(LessonPage).first().specific
    client.force_login(administrator)
    url = f"/admin/pages/{lesson.pk}/edit/"
    shown = client.get(url)
    assert b"Test Owner, education lead" in shown.content
    assert b">Review<" in shown.content or b"Review</" in shown.content
    data = form_post_data(shown.context["form"])
    data["next_review"] = "2025-01-01"
    posted = client.post(url, {key: data.getlist(key) for key in data})
    assert posted.status_code == 200
    assert any("must come after the last review" in e for e in form_errors(posted.context["form"]))
    lesson.refresh_from_db()
    assert lesson.next_review == D(2027, 3, 1)


# --- The imports ----------------------------------------------------------------------------


def test_each_import_refuses_a_file_without_a_review_block(db):
    quiz = build_quiz()
    module = quiz.get_parent().specific
    lesson = lesson_spec("no-review", "No review")
    del lesson["review"]
    with pytest.raises(ReviewInvalid, match=re.escape("09-no-review.yaml: no review block")):
        curriculum_services.lesson_import(module=module, spec=lesson, source="09-no-review.yaml")
    spec = quiz_spec(slug="no-review-quiz")
    spec["review"] = review_block(last_reviewed=D(2027, 6, 1))
    with pytest.raises(importing.QuizInvalid, match=re.escape("09-quiz.yaml: The next review")):
        importing.quiz_import(module=module, spec=spec, source="09-quiz.yaml")
    case = build_case()
    spec = case_spec(slug="no-review-case")
    del spec["review"]
    assert "no review block; add `review:`" in " ".join(content.problems(spec)[0])
    with pytest.raises(ReviewInvalid, match=re.escape("99-case.yaml: no review block")):
        case_services.vignette_import(
            index=case.get_parent().specific, spec=spec, source="99-case.yaml"
        )
    assert not LessonPage.objects.filter(slug="no-review").exists()
    assert not QuizPage.objects.filter(slug="no-review-quiz").exists()
    assert not CaseVignettePage.objects.filter(slug="no-review-case").exists()


def test_the_imports_write_the_review_fields(db):
    quiz = build_quiz()
    case = build_case()
    lesson = LessonPage.objects.first()
    for page in (quiz, case, lesson):
        page.refresh_from_db()
        assert (page.review_owner, page.last_reviewed, page.next_review) == (
            "Test Owner, education lead",
            D(2026, 3, 1),
            D(2027, 3, 1),
        )
        assert page.get_latest_revision().content["next_review"] == "2027-03-01"


def test_a_changed_review_block_updates_the_case(db):
    case = build_case()
    spec = case_spec()
    spec["review"] = review_block(owner="Kim Lowe, OT lead", next_review=D(2027, 1, 1))
    again = case_services.vignette_import(index=case.get_parent().specific, spec=spec)
    assert (again.review_owner, again.next_review) == ("Kim Lowe, OT lead", D(2027, 1, 1))


# --- The report -----------------------------------------------------------------------------


def _set(page, **fields):
    type(page).objects.filter(pk=page.pk).update(**fields)


@pytest.fixture
def reviewed(db):
    """A lesson overdue, a quiz due in ten days, a case due next year, a lesson with no dates."""
    today = timezone.localdate()
    quiz = build_quiz()
    case = build_case()
    curriculum_services.lesson_import(
        module=quiz.get_parent().specific, spec=lesson_spec("second", "A second lesson")
    )
    overdue, unset = LessonPage.objects.order_by("path")
    _set(overdue, review_owner="Ola Overdue, nurse consultant", next_review=today - D.resolution)
    _set(unset, review_owner="", last_reviewed=None, next_review=None)
    _set(quiz, next_review=today + datetime.timedelta(days=10))
    _set(case, next_review=today + datetime.timedelta(days=400))
    return {"overdue": overdue, "unset": unset, "quiz": quiz, "case": case, "today": today}


def test_the_sql_status_is_the_python_status(reviewed):
    today = reviewed["today"]
    for page in pages_for_review(today):
        assert page.status == review_status(page.next_review, today).value, page.title


def test_educators_see_every_reviewed_page_unset_first_then_soonest(client, reviewed):
    client.force_login(make_user(Role.EDUCATOR, email="edu@test.example"))
    response = client.get(reverse("content_review:due"))
    assert response.status_code == 200
    rows = list(response.context["object_list"])
    assert [p.pk for p in rows] == [
        reviewed["unset"].pk,
        reviewed["overdue"].pk,
        reviewed["quiz"].pk,
        reviewed["case"].pk,
    ]
    assert [p.status for p in rows] == ["not set", "overdue", "due within 30 days", "later"]
    html = response.content.decode()
    assert "Ola Overdue, nurse consultant" in html
    assert f"/admin/pages/{reviewed['case'].pk}/edit/" in html
    assert "Case vignette" in html and "Quiz page" in html


def test_the_report_filters_by_status_and_downloads_as_csv(client, reviewed):
    client.force_login(make_user(Role.ADMINISTRATOR, email="adm@test.example"))
    url = reverse("content_review:due")
    overdue = client.get(url, {"status": "overdue"})
    assert [p.pk for p in overdue.context["object_list"]] == [reviewed["overdue"].pk]
    assert client.get(url, {"status": "nonsense"}).status_code == 200  # ignored, not a 500
    exported = client.get(url, {"export": "csv", "status": "due within 30 days"})
    assert exported.status_code == 200
    body = b"".join(exported.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["Title", "Type", "Owner", "Last reviewed", "Next review", "Status"]
    assert len(rows) == 2 and rows[1][0] == reviewed["quiz"].title
    assert rows[1][4] == (reviewed["today"] + datetime.timedelta(days=10)).isoformat()


def test_supervisors_and_trainees_cannot_open_the_report(client, reviewed):
    for role in (Role.SUPERVISOR, Role.TRAINEE):
        client.force_login(make_user(role, email=f"{role.value}@test.example"))
        for name in ("content_review:due", "content_review:due_results"):
            response = client.get(reverse(name))
            assert response.status_code == 403, (role, name)
            assert b"Ola Overdue" not in response.content


def test_the_reports_menu_offers_it_to_educators(client, reviewed):
    client.force_login(make_user(Role.EDUCATOR, email="edu@test.example"))
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("content_review:due") in page


def test_lesson_quiz_and_case_pages_say_when_they_were_reviewed(client, trainee):
    quiz = build_quiz()
    case = build_case()
    lesson = LessonPage.objects.get()
    _set(case, review_owner="", last_reviewed=None, next_review=None)
    client.force_login(trainee)
    note = (
        'Last reviewed <time datetime="2026-03-01">1 March 2026</time> by Test Owner, education '
        'lead · next review <time datetime="2027-03-01">1 March 2027</time>'
    )
    for page in (lesson, quiz):
        response = client.get(page.url)
        assert response.status_code == 200
        assert note in response.content.decode(), page.title
    response = client.get(case.url)
    assert response.status_code == 200 and "Last reviewed" not in response.content.decode()

"""The authorisation matrix: every URL of the site, for every kind of person.

URLs are discovered, not listed: every named route of our URL configuration and every route of
every routable page class must appear in ``ACCESS`` below, so a new URL cannot escape this test.
The Wagtail and Django admins are covered as areas (``/admin/``, ``/django-admin/``).

For each URL and person: an allowed person gets a 2xx (or a redirect that is not to the login
page); anyone else gets 302-to-login (anonymous), 403, 404 or 405 - never a 2xx. POST-only
actions are also POSTed by everyone who is not allowed, with the same rule.
"""

import datetime
import time

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments import services as assessment_services
from assessments.models import QuizPage
from cases.models import CaseIndexPage, CaseVignettePage
from competencies.models import ClinicalSetting, CompetencyElement
from curriculum import services as curriculum_services
from curriculum.models import CurriculumIndexPage, LessonPage, ModulePage
from home.models import HomePage
from home.roles import Role
from supervision import services as supervision_services
from supervision.models import Cohort, CohortMembership
from tests.assessments.conftest import ALL_RIGHT, build_quiz
from tests.cases.conftest import build_case, play_best
from tests.curriculum.conftest import ALL_BLOCKS, lesson_spec
from tests.factories import make_user

pytestmark = pytest.mark.django_db

ANON, OWNER, OTHER, SUP, OTHER_SUP, EDU, ADMIN = (
    "anonymous",
    "trainee",
    "another trainee",
    "their supervisor",
    "another supervisor",
    "educator",
    "administrator",
)
EVERYONE = {ANON, OWNER, OTHER, SUP, OTHER_SUP, EDU, ADMIN}
MEMBERS = EVERYONE - {ANON}
SUPERVISORS = {SUP, OTHER_SUP}
NOBODY: set[str] = set()

# name -> (roles allowed to GET, roles allowed to POST, or None when the route takes no POST)
ACCESS = {
    # Django URL configuration
    "home:profile": (MEMBERS, None),
    "home:healthz": (EVERYONE, None),
    "home:demo_mail": (NOBODY, None),  # the demo's inbox: a 404 unless DEMO_MAIL is on
    "competencies:references": (EVERYONE, None),  # the bibliography, public like the syllabus
    "competencies:framework": (EVERYONE, None),
    "competencies:download": (EVERYONE, None),
    "progress:dashboard": (MEMBERS, None),
    "progress:record": (MEMBERS, None),
    "curriculum:search": (EVERYONE, None),
    "curriculum:glossary": (EVERYONE, None),  # like the syllabus; the lessons it links stay closed
    "supervision:request_sign_off": (NOBODY, {OWNER, OTHER}),  # each for themselves
    "supervision:withdraw_sign_off_request": (NOBODY, {OWNER, OTHER}),  # each their own
    "supervision:dashboard": (SUPERVISORS, None),
    "supervision:export": (SUPERVISORS, None),
    "supervision:confirm": (SUPERVISORS, SUPERVISORS),
    "supervision:trainee": ({SUP}, None),
    "supervision:case_path": ({SUP}, None),
    "supervision:sign_off": ({SUP}, {SUP}),
    "supervision:record_observation": ({SUP}, {SUP}),
    "supervision:ask_observation": ({OWNER, OTHER}, {OWNER, OTHER}),  # each for themselves
    "supervision:withdraw_observation_request": (NOBODY, {OWNER}),
    "supervision:reflect_on_observation": ({OWNER}, {OWNER}),
    "supervision:revoke": (NOBODY, {SUP}),
    "supervision:my_sign_offs": (MEMBERS, None),
    "privacy:my_data": (MEMBERS, None),
    "supervision:certificate": ({OWNER}, None),
    "supervision:cohort_join": (MEMBERS, {OWNER, OTHER}),
    "supervision:verify_form": (EVERYONE, None),
    "supervision:verify": (EVERYONE, None),
    # Pages and their routes
    "HomePage": (EVERYONE, None),
    "taster": (EVERYONE, None),
    "CurriculumIndexPage": (EVERYONE, None),  # the syllabus; lessons stay for members
    "ModulePage": (MEMBERS, None),
    "LessonPage:lesson": (MEMBERS, None),
    "LessonPage:index_route": (MEMBERS, None),
    "LessonPage:complete": (NOBODY, MEMBERS),
    "LessonPage:reflect": (NOBODY, MEMBERS),
    "LessonPage:figure": (MEMBERS, None),
    "LessonPage:instrument": (NOBODY, None),  # the lesson used here has no instrument block
    "QuizPage:overview": (MEMBERS, None),
    "QuizPage:index_route": (MEMBERS, None),
    "QuizPage:start": (NOBODY, {OWNER, OTHER}),
    "QuizPage:attempt": ({OWNER}, None),
    "QuizPage:submit": (NOBODY, {OWNER}),
    "QuizPage:review": ({OWNER}, None),
    "CaseIndexPage": (EVERYONE, None),  # the list of cases; playing needs an account
    "CaseVignettePage:overview": (MEMBERS, None),
    "CaseVignettePage:index_route": (MEMBERS, None),
    "CaseVignettePage:start": (NOBODY, MEMBERS),
    "CaseVignettePage:play": ({OWNER}, None),
    "CaseVignettePage:feedback": ({OWNER}, None),
    "CaseVignettePage:debrief": ({OWNER}, None),
    # Reports in the Wagtail admin
    "analytics:quiz_index": ({EDU, ADMIN}, None),
    "analytics:quiz_statistics": ({EDU, ADMIN}, None),
    "analytics:quiz_statistics_csv": ({EDU, ADMIN}, None),
    "analytics:case_index": ({EDU, ADMIN}, None),
    "analytics:case_routes": ({EDU, ADMIN}, None),
    "analytics:cohort_index": ({EDU, ADMIN}, None),
    "analytics:cohort_report": ({EDU, ADMIN}, None),  # programme leads: administrators
    "analytics:cohort_report_csv": ({EDU, ADMIN}, None),
    "analytics:case_routes_csv": ({EDU, ADMIN}, None),
    # A supervisor's cohorts on the site: the owner's supervisor (the owner is in Spring); the
    # other supervisor's trainee is in no cohort, so Spring is a 404 to them.
    "cohorts:mine": (SUPERVISORS, None),
    "cohorts:report": ({SUP}, None),
    "content_review:due": ({EDU, ADMIN}, None),
    "content_review:due_results": ({EDU, ADMIN}, None),
    # Admin areas (a sample URL each; the middleware guards the whole prefix)
    "area:/admin/": ({EDU, ADMIN}, None),
    "area:/django-admin/": ({ADMIN}, None),
}
OUR_NAMESPACES = (
    "home", "competencies", "assessments", "curriculum", "progress", "supervision", "privacy",
    "analytics", "cohorts", "content_review",
)  # fmt: skip
ROUTABLE = (LessonPage, QuizPage, CaseVignettePage)


def discovered_names() -> set[str]:
    names = set()

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name and namespace in OUR_NAMESPACES:
                names.add(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns)
    for cls in ROUTABLE:
        names.update(f"{cls.__name__}:{p.name}" for p in cls.get_subpage_urls())
    return names


def test_every_url_is_in_the_table():
    names = discovered_names()
    assert names - ACCESS.keys() == set(), "add these URLs to ACCESS"
    stale = {k for k in ACCESS if ":" in k and not k.startswith("area:")} - names
    assert stale == set(), "these ACCESS entries no longer exist"


def build_world():
    """Everyone of ``EVERYONE`` and one of each object the URLs need, owned by ``OWNER``.
    Returns (people, urls, objects); the fuzzing suite (tests/fuzz/) builds on the same world."""
    quiz = build_quiz()
    case = CaseVignettePage.objects.get(pk=build_case().pk)
    people = {
        OWNER: make_user(Role.TRAINEE, email="owner@test.example"),
        OTHER: make_user(Role.TRAINEE, email="other@test.example"),
        SUP: make_user(Role.SUPERVISOR, email="sup@test.example"),
        OTHER_SUP: make_user(Role.SUPERVISOR, email="othersup@test.example"),
        EDU: make_user(Role.EDUCATOR, email="edu@test.example"),
        ADMIN: make_user(Role.ADMINISTRATOR, email="admin2@test.example", superuser=True),
    }
    owner = people[OWNER]
    supervision_services.supervisor_assign(supervisor=people[SUP], trainee=owner)
    supervision_services.supervisor_assign(supervisor=people[OTHER_SUP], trainee=people[OTHER])
    attempt = assessment_services.attempt_start(trainee=owner, quiz=quiz)
    for spec in assessment_services.attempt_questions(attempt):
        if spec.key in ALL_RIGHT:
            assessment_services.answer_save(
                attempt_id=attempt.pk, trainee=owner, question_key=spec.key,
                data=dict(ALL_RIGHT[spec.key]),
            )  # fmt: skip
    open_quiz_attempt = attempt  # left open: attempt/ and submit/ routes
    play, _ = play_best(trainee=owner, vignette=case)
    record = supervision_services.sign_off_record(
        supervisor=people[SUP], trainee=owner, decision="not_yet", level=2,
        feedback="More cases.", next_steps="Two more.", reauthenticated_at=time.time(),
    )  # fmt: skip
    competent = supervision_services.sign_off_record(
        supervisor=people[SUP], trainee=owner, decision="competent", level=3,
        feedback="Good.", justification="Seen in clinic.", reauthenticated_at=time.time(),
    )  # fmt: skip
    taster = LessonPage.objects.get(taster=True)
    lesson = curriculum_services.lesson_import(
        module=ModulePage.objects.first(), spec=lesson_spec("members", "Members", blocks=ALL_BLOCKS)
    )
    spring = Cohort.objects.create(name="Spring", invite_code="spring")
    CohortMembership.objects.create(cohort=spring, trainee=owner)
    observation, asked = observe(supervisor=people[SUP], trainee=owner)
    reflection_id = next(b.id for b in lesson.body if b.block_type == "reflection")
    urls = {
        "home:profile": reverse("home:profile"),
        "home:healthz": reverse("home:healthz"),
        "home:demo_mail": reverse("home:demo_mail"),
        "competencies:references": reverse("competencies:references"),
        "competencies:framework": reverse("competencies:framework"),
        "competencies:download": reverse("competencies:download"),
        "progress:dashboard": reverse("progress:dashboard"),
        "progress:record": reverse("progress:record"),
        "supervision:request_sign_off": reverse("supervision:request_sign_off"),
        "supervision:withdraw_sign_off_request": reverse("supervision:withdraw_sign_off_request"),
        "curriculum:search": reverse("curriculum:search") + "?q=walter",
        "curriculum:glossary": reverse("curriculum:glossary"),
        "supervision:dashboard": reverse("supervision:dashboard"),
        "supervision:export": reverse("supervision:export"),
        "supervision:confirm": reverse("supervision:confirm"),
        "supervision:trainee": reverse("supervision:trainee", args=[owner.pk]),
        "supervision:case_path": reverse("supervision:case_path", args=[owner.pk, play.pk]),
        "supervision:sign_off": reverse("supervision:sign_off", args=[owner.pk]),
        "supervision:record_observation": reverse(
            "supervision:record_observation", args=[owner.pk]
        ),
        "supervision:ask_observation": reverse("supervision:ask_observation"),
        "supervision:withdraw_observation_request": reverse(
            "supervision:withdraw_observation_request", args=[asked.pk]
        ),
        "supervision:reflect_on_observation": reverse(
            "supervision:reflect_on_observation", args=[observation.pk]
        ),
        "supervision:revoke": reverse("supervision:revoke", args=[competent.pk]),
        "supervision:my_sign_offs": reverse("supervision:my_sign_offs"),
        "privacy:my_data": reverse("privacy:my_data"),
        "supervision:certificate": reverse("supervision:certificate", args=[competent.pk]),
        "supervision:cohort_join": reverse("supervision:cohort_join"),
        "supervision:verify_form": reverse("supervision:verify_form"),
        "supervision:verify": reverse("supervision:verify", args=[competent.verification_code]),
        "HomePage": HomePage.objects.get().url,
        "taster": taster.url,
        "CurriculumIndexPage": CurriculumIndexPage.objects.get().url,
        "ModulePage": ModulePage.objects.first().url,
        "LessonPage:lesson": lesson.url,
        "LessonPage:index_route": lesson.url,
        "LessonPage:complete": lesson.url + "complete/",
        "LessonPage:reflect": lesson.url + f"reflect/{reflection_id}/",
        "LessonPage:figure": lesson.url + "figure/?gain=0.4",
        "LessonPage:instrument": lesson.url + f"instrument/{reflection_id}/",
        "QuizPage:overview": quiz.url,
        "QuizPage:index_route": quiz.url,
        "QuizPage:start": quiz.url + "start/",
        "QuizPage:attempt": quiz.url + f"attempt/{open_quiz_attempt.pk}/",
        "QuizPage:submit": quiz.url + f"attempt/{open_quiz_attempt.pk}/submit/",
        "QuizPage:review": quiz.url + f"attempt/{open_quiz_attempt.pk}/review/",
        "CaseIndexPage": CaseIndexPage.objects.get().url,
        "CaseVignettePage:overview": case.url,
        "CaseVignettePage:index_route": case.url,
        "CaseVignettePage:start": case.url + "start/",
        "CaseVignettePage:play": case.url + f"play/{play.pk}/",
        "CaseVignettePage:feedback": case.url + f"play/{play.pk}/feedback/1/",
        "CaseVignettePage:debrief": case.url + f"play/{play.pk}/debrief/",
        "analytics:quiz_index": reverse("analytics:quiz_index"),
        "analytics:quiz_statistics": reverse("analytics:quiz_statistics", args=[quiz.pk]),
        "analytics:quiz_statistics_csv": reverse("analytics:quiz_statistics_csv", args=[quiz.pk]),
        "analytics:case_index": reverse("analytics:case_index"),
        "analytics:case_routes": reverse("analytics:case_routes", args=[case.pk]),
        "analytics:cohort_index": reverse("analytics:cohort_index"),
        "analytics:cohort_report": reverse("analytics:cohort_report", args=[spring.pk]),
        "analytics:cohort_report_csv": reverse("analytics:cohort_report_csv", args=[spring.pk]),
        "analytics:case_routes_csv": reverse("analytics:case_routes_csv", args=[case.pk]),
        "cohorts:mine": reverse("cohorts:mine"),
        "cohorts:report": reverse("cohorts:report", args=[spring.pk]),
        "content_review:due": reverse("content_review:due"),
        "content_review:due_results": reverse("content_review:due_results"),
        "area:/admin/": "/admin/",
        "area:/django-admin/": "/django-admin/",
    }
    assert urls.keys() == ACCESS.keys()
    objects = {
        "quiz": quiz,
        "case": case,
        "lesson": lesson,
        "quiz_attempt": open_quiz_attempt,
        "play": play,
        "not_yet": record,
        "competent": competent,
        "reflection_id": reflection_id,
        "observation": observation,
        "observation_request": asked,
    }
    return people, urls, objects


def observe(*, supervisor, trainee):
    """An observation of ``trainee`` by ``supervisor``, and an open request to be observed
    again."""
    observation = supervision_services.observation_record(
        supervisor=supervisor, trainee=trainee, observed_on=datetime.date(2026, 1, 5),
        setting=ClinicalSetting.objects.order_by("pk").first(),
        activity="A first assessment.", went_well="Calm pace.", next_steps="Ask about sleep.",
        ratings={CompetencyElement.objects.order_by("order").first().pk: 3},
    )  # fmt: skip
    asked = supervision_services.observation_ask(
        trainee=trainee, supervisor=supervisor, note="Thursday clinic."
    )
    return observation, asked


@pytest.fixture
def world(db):
    people, urls, _ = build_world()
    return people, urls


POST_DATA = {"supervision:cohort_join": {"code": "spring"}}


def _refused(response, role) -> bool:
    if 200 <= response.status_code < 300:
        return False
    if response.status_code in (301, 302):
        return role == ANON and "/login/" in response.headers["Location"]
    return response.status_code in (403, 404, 405)


def test_the_matrix(client, world):
    people, urls = world
    failures = []
    for role in sorted(EVERYONE):
        client.logout()
        if role != ANON:
            client.force_login(people[role])
        for name, url in urls.items():
            get_allowed, post_allowed = ACCESS[name]
            response = client.get(url)
            if role in get_allowed:
                ok = response.status_code < 300 or (
                    response.status_code == 302
                    and "/accounts/login/" not in response.headers["Location"]
                )
            else:
                ok = _refused(response, role)
            if not ok:
                failures.append(f"GET {url} as {role}: {response.status_code}")
            if post_allowed is not None and role not in post_allowed:
                posted = client.post(url, POST_DATA.get(name, {}))
                if not _refused(posted, role):
                    failures.append(f"POST {url} as {role}: {posted.status_code}")
    assert failures == [], "\n".join(failures)

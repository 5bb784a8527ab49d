"""Every endpoint the fuzzer attacks, on top of the authorisation matrix's world and table.

The world is ``tests/test_authorization.build_world`` plus the same records for the other
trainee (so that their ids can be tried by everyone else) and a private marker in each trainee's
name and reflection. Each endpoint has URL variants: ``own`` is the matrix's URL (its access
rules apply as they stand), ``foreign`` the same URL on the other trainee's records (the rules
with the two trainees and the two supervisors swapped), ``junk`` ids nobody owns (nobody may use
it). Endpoints outside the matrix (allauth, Wagtail's own views, the admin editor) carry no
access rule: there the fuzzer checks only for server errors, unchanged data and leaks.
"""

import time
from dataclasses import dataclass, field

from django.urls import reverse
from wagtail import blocks
from wagtail.models import PageSubscription
from wagtail.users.models import UserProfile

from assessments import services as assessment_services
from curriculum import services as curriculum_services
from curriculum.models import ModulePage
from home import services as home_services
from supervision import services as supervision_services
from tests.cases.conftest import play_best
from tests.curriculum.conftest import lesson_spec
from tests.factories import PASSWORD
from tests.test_authorization import (
    ACCESS,
    ADMIN,
    ANON,
    EDU,
    EVERYONE,
    NOBODY,
    OTHER,
    OTHER_SUP,
    OWNER,
    SUP,
    build_world,
    observe,
)

ROLES = sorted(EVERYONE)
SWAP = {OWNER: OTHER, OTHER: OWNER, SUP: OTHER_SUP, OTHER_SUP: SUP}

# Private markers: a trainee's name and reflection. Who may see each (the admin sees everyone).
OWNER_NAME, OTHER_NAME = "Ottoline Zqownermark", "Xanthe Zqothermark"
OWNER_NOTE, OTHER_NOTE = "ZQOWNERPRIVATENOTE", "ZQOTHERPRIVATENOTE"
MARKERS = {
    OWNER_NAME: {OWNER, SUP, ADMIN},
    OWNER_NOTE: {OWNER, SUP, ADMIN},
    OTHER_NAME: {OTHER, OTHER_SUP, ADMIN},
    OTHER_NOTE: {OTHER, OTHER_SUP, ADMIN},
}
JUNK_ID = "9223372036854775808"  # one past the largest 64-bit integer


def swapped(roles):
    return None if roles is None else {SWAP.get(r, r) for r in roles}


@dataclass
class Variant:
    url: str
    get_allowed: set | None = None  # None: no rule to check
    post_allowed: set | None = None


@dataclass
class Endpoint:
    name: str
    methods: tuple[str, ...]
    variants: dict[str, Variant]
    form_pages: list[tuple[str, str]] = field(default_factory=list)  # (role, url) with the form
    fields: dict[str, set] = field(default_factory=dict)  # known fields and valid values
    query_fields: dict[str, set] = field(default_factory=dict)
    baseline: dict = field(default_factory=dict)  # body fields the page's HTML does not hold
    public_names: bool = False  # shows a trainee's name to anyone by design (verification)
    plain: bool = False  # a page with no input of its own: fewer examples in the full run

    @property
    def form_method(self) -> str:
        return "POST" if "POST" in self.methods else "GET"


def build_fuzz_world() -> dict:
    people, urls, objects = build_world()
    owner, other = people[OWNER], people[OTHER]
    home_services.profile_update(user=owner, display_name=OWNER_NAME)
    home_services.profile_update(user=other, display_name=OTHER_NAME)
    quiz, case, lesson = objects["quiz"], objects["case"], objects["lesson"]
    for person, note in ((owner, OWNER_NOTE), (other, OTHER_NOTE)):
        curriculum_services.reflection_save(
            user=person, lesson=lesson, block_id=objects["reflection_id"], text=note
        )
    other_attempt = assessment_services.attempt_start(trainee=other, quiz=quiz)
    other_play, _ = play_best(trainee=other, vignette=case)
    other_competent = supervision_services.sign_off_record(
        supervisor=people[OTHER_SUP], trainee=other, decision="competent", level=3,
        feedback="Good.", justification="Seen in clinic.", reauthenticated_at=time.time(),
    )  # fmt: skip
    other_observation, other_asked = observe(supervisor=people[OTHER_SUP], trainee=other)
    # An open play for each trainee, stopped at the questionnaire (numbers to parse).
    open_plays = {
        role: play_best(trainee=person, vignette=case, stop_at="phq")[0]
        for role, person in ((OWNER, owner), (OTHER, other))
    }
    tools = curriculum_services.lesson_import(
        module=ModulePage.objects.first(),
        spec=lesson_spec(
            "tools",
            "Tools",
            blocks=[
                {"type": "instrument", "value": {"instrument": "phq9", "heading": "PHQ-9"}},
                {"type": "instrument", "value": {"instrument": "start_back", "heading": "Back"}},
            ],
        ),
    )
    instrument_id = next(b.id for b in tools.body if b.block_type == "instrument")
    # Wagtail creates a person's admin profile on first use: create them now, so that the row
    # is part of the world and not a change made by the first refused request.
    # Likewise the editor's page subscription, made on first opening a page in the editor.
    for person in people.values():
        UserProfile.get_for_user(person)
        for page in (quiz, case):
            PageSubscription.objects.get_or_create(
                page=page, user=person, defaults={"comment_notifications": False}
            )
    return {
        "people": people,
        "urls": urls,
        **objects,
        "other_attempt": other_attempt,
        "other_play": other_play,
        "other_competent": other_competent,
        "other_observation": other_observation,
        "other_observation_request": other_asked,
        "open_plays": open_plays,
        "tools": tools,
        "instrument_id": instrument_id,
    }


def foreign_ids(world) -> list[str]:
    """Ids of the other trainee's records, tried in every field as well as in paths."""
    people = world["people"]
    return sorted(
        {
            str(people[OTHER].pk),
            str(people[OTHER_SUP].pk),
            str(world["other_attempt"].pk),
            str(world["other_play"].pk),
            str(world["open_plays"][OTHER].pk),
            str(world["other_competent"].pk),
            str(world["other_observation"].pk),
            str(world["other_observation_request"].pk),
            world["other_competent"].verification_code,
            JUNK_ID,
        }
    )


def _matrix_endpoint(name, world, methods, **kwargs) -> Endpoint:
    """An endpoint of the authorisation matrix, with its own, foreign and junk variants."""
    get_allowed, post_allowed = ACCESS[name]
    own = world["urls"][name]
    variants = {"own": Variant(own, get_allowed, post_allowed)}
    foreign = _foreign_url(name, world)
    if foreign and foreign != own:
        variants["foreign"] = Variant(foreign, swapped(get_allowed), swapped(post_allowed))
    junk = _junk_url(name, world)
    if junk and junk != own:
        variants["junk"] = Variant(junk, NOBODY, NOBODY)
    return Endpoint(name, methods, variants, **kwargs)


def _foreign_url(name, world) -> str | None:
    people, case, quiz = world["people"], world["case"], world["quiz"]
    other = people[OTHER]
    return {
        "supervision:trainee": reverse("supervision:trainee", args=[other.pk]),
        "supervision:case_path": reverse(
            "supervision:case_path", args=[other.pk, world["other_play"].pk]
        ),
        "supervision:sign_off": reverse("supervision:sign_off", args=[other.pk]),
        "supervision:record_observation": reverse(
            "supervision:record_observation", args=[other.pk]
        ),
        "supervision:withdraw_observation_request": reverse(
            "supervision:withdraw_observation_request",
            args=[world["other_observation_request"].pk],
        ),
        "supervision:reflect_on_observation": reverse(
            "supervision:reflect_on_observation", args=[world["other_observation"].pk]
        ),
        "supervision:revoke": reverse("supervision:revoke", args=[world["other_competent"].pk]),
        "supervision:certificate": reverse(
            "supervision:certificate", args=[world["other_competent"].pk]
        ),
        "QuizPage:attempt": quiz.url + f"attempt/{world['other_attempt'].pk}/",
        "QuizPage:submit": quiz.url + f"attempt/{world['other_attempt'].pk}/submit/",
        "QuizPage:review": quiz.url + f"attempt/{world['other_attempt'].pk}/review/",
        "CaseVignettePage:play": case.url + f"play/{world['open_plays'][OTHER].pk}/",
        "CaseVignettePage:feedback": case.url + f"play/{world['other_play'].pk}/feedback/1/",
        "CaseVignettePage:debrief": case.url + f"play/{world['other_play'].pk}/debrief/",
    }.get(name)


def _junk_url(name, world) -> str | None:
    people, case, quiz = world["people"], world["case"], world["quiz"]
    owner = people[OWNER]
    return {
        "supervision:trainee": f"/supervision/trainees/{JUNK_ID}/",
        # The owner's page, with the other trainee's play: nobody may see it that way.
        "supervision:case_path": reverse(
            "supervision:case_path", args=[owner.pk, world["other_play"].pk]
        ),
        "supervision:sign_off": f"/supervision/trainees/{JUNK_ID}/sign-off/",
        "supervision:record_observation": f"/supervision/trainees/{JUNK_ID}/observations/new/",
        "supervision:withdraw_observation_request": (
            f"/dashboard/observations/requests/{JUNK_ID}/withdraw/"
        ),
        "supervision:reflect_on_observation": f"/dashboard/observations/{JUNK_ID}/reflect/",
        "supervision:revoke": f"/supervision/sign-offs/{JUNK_ID}/revoke/",
        "supervision:certificate": f"/dashboard/sign-offs/{JUNK_ID}/certificate/",
        "supervision:verify": "/verify/%00%27%20OR%201%3D1%20--/",
        "LessonPage:reflect": world["lesson"].url + "reflect/not-a-prompt/",
        "LessonPage:instrument": world["tools"].url + "instrument/not-a-block/",
        "QuizPage:attempt": quiz.url + f"attempt/{JUNK_ID}/",
        "QuizPage:submit": quiz.url + f"attempt/{JUNK_ID}/submit/",
        "QuizPage:review": quiz.url + f"attempt/{JUNK_ID}/review/",
        "CaseVignettePage:play": case.url + f"play/{JUNK_ID}/",
        "CaseVignettePage:feedback": case.url + f"play/{world['play'].pk}/feedback/{JUNK_ID}/",
        "CaseVignettePage:debrief": case.url + f"play/{JUNK_ID}/debrief/",
        "analytics:quiz_statistics": f"/admin/analytics/quizzes/{JUNK_ID}/",
        "analytics:quiz_statistics_csv": f"/admin/analytics/quizzes/{JUNK_ID}/csv/",
        "analytics:case_routes": f"/admin/analytics/cases/{JUNK_ID}/",
        "analytics:cohort_report": f"/admin/analytics/cohorts/{JUNK_ID}/",
        "analytics:cohort_report_csv": f"/admin/analytics/cohorts/{JUNK_ID}/csv/",
        "analytics:case_routes_csv": f"/admin/analytics/cases/{JUNK_ID}/csv/",
        "cohorts:report": f"/supervision/cohorts/{JUNK_ID}/",
    }.get(name)


def _open(url, *, get=None, post=None) -> dict[str, Variant]:
    return {"own": Variant(url, get, post)}


def build_endpoints(world) -> list[Endpoint]:
    people, urls = world["people"], world["urls"]
    quiz, case, lesson, tools = world["quiz"], world["case"], world["lesson"], world["tools"]
    owner_email = people[OWNER].email
    attempt = world["quiz_attempt"]
    open_play = world["open_plays"][OWNER]
    questions = len(assessment_services.attempt_questions(attempt))
    attempt_url = urls["QuizPage:attempt"]
    trainee_page = urls["supervision:trainee"]
    play_url = case.url + f"play/{open_play.pk}/"
    urls = {**urls, "CaseVignettePage:play": play_url}
    world["urls"] = urls
    m = _matrix_endpoint
    P, G, GP = ("POST",), ("GET",), ("GET", "POST")
    dashboard_query = {"show": {"", "ready", "not_started", "inactive"}, "sort": {"name"}}
    review_query = {"status": {"", "overdue", "later"}, "ordering": {"next_review", "-title"}}
    endpoints = [
        m("home:profile", world, GP, form_pages=[(OWNER, urls["home:profile"])]),
        m("home:healthz", world, G, plain=True),
        m("competencies:references", world, G, plain=True),
        m("home:demo_mail", world, G, plain=True),  # a 404 unless DEMO_MAIL is on
        m("competencies:framework", world, G, plain=True),
        m("competencies:download", world, G, plain=True),
        m("progress:dashboard", world, G, plain=True),
        m("progress:record", world, G, plain=True),
        m("supervision:request_sign_off", world, P, fields={"message": {"Please look."}}),
        m("supervision:withdraw_sign_off_request", world, P),
        m("curriculum:search", world, G, form_pages=[(ANON, urls["curriculum:search"])],
          query_fields={"q": {"walter", "loneliness"}}),
        m("curriculum:glossary", world, G, plain=True),
        m("supervision:dashboard", world, G, form_pages=[(SUP, urls["supervision:dashboard"])],
          query_fields={**dashboard_query, "page": {"1", "2"}}),
        m("supervision:export", world, G, query_fields=dashboard_query),
        m("supervision:confirm", world, GP, form_pages=[(SUP, urls["supervision:confirm"])],
          fields={"password": {PASSWORD}, "next": {trainee_page}},
          query_fields={"next": {trainee_page, "https://evil.example/"}}),
        m("supervision:trainee", world, G, plain=True),
        m("supervision:case_path", world, G, plain=True),
        m("supervision:sign_off", world, GP, form_pages=[(SUP, urls["supervision:sign_off"])]),
        m("supervision:record_observation", world, GP,
          form_pages=[(SUP, urls["supervision:record_observation"])]),
        m("supervision:ask_observation", world, GP,
          form_pages=[(OWNER, urls["supervision:ask_observation"])],
          fields={"note": {"Thursday clinic."}}),
        m("supervision:withdraw_observation_request", world, P,
          form_pages=[(OWNER, urls["progress:dashboard"])]),
        m("supervision:reflect_on_observation", world, GP,
          form_pages=[(OWNER, urls["supervision:reflect_on_observation"])],
          fields={"text": {"I rushed the ending."}}),
        m("supervision:revoke", world, P, form_pages=[(SUP, trainee_page)],
          fields={"reason": {"Recorded in error."}}),
        m("supervision:my_sign_offs", world, G, plain=True),
        m("privacy:my_data", world, G, plain=True),
        m("supervision:certificate", world, G, plain=True),
        m("supervision:cohort_join", world, GP,
          form_pages=[(OWNER, urls["supervision:cohort_join"])], fields={"code": {"spring"}}),
        m("supervision:verify_form", world, G, form_pages=[(ANON, urls["supervision:verify"])],
          query_fields={"code": {world["competent"].verification_code}}, public_names=True),
        m("supervision:verify", world, G, public_names=True, plain=True),
        m("HomePage", world, G, plain=True),
        m("taster", world, G, plain=True),
        m("CurriculumIndexPage", world, G, plain=True),
        m("ModulePage", world, G, plain=True),
        m("LessonPage:lesson", world, G, plain=True),
        m("LessonPage:index_route", world, G, plain=True),
        m("LessonPage:complete", world, P, form_pages=[(OWNER, lesson.url)]),
        m("LessonPage:reflect", world, P, form_pages=[(OWNER, lesson.url)],
          fields={"text": {"I would ask who is at home."}}),
        m("LessonPage:figure", world, G, query_fields={"gain": {"0.4", "0", "1"}}),
        Endpoint(
            "LessonPage:instrument",
            G,
            {
                "own": Variant(tools.url + f"instrument/{world['instrument_id']}/"),
                "junk": Variant(tools.url + "instrument/not-a-block/", NOBODY, NOBODY),
            },
            form_pages=[(OWNER, tools.url)],
        ),
        m("QuizPage:overview", world, G, plain=True),
        m("QuizPage:index_route", world, G, plain=True),
        # The trainees have an open attempt (the page offers to resume): a supervisor sees the form.
        m("QuizPage:start", world, P, form_pages=[(SUP, quiz.url)]),
        m("QuizPage:attempt", world, GP,
          form_pages=[(OWNER, f"{attempt_url}?q={i}") for i in range(questions)],
          query_fields={"q": {str(i) for i in range(questions + 1)}}),
        m("QuizPage:submit", world, P, form_pages=[(OWNER, f"{attempt_url}?q={questions}")]),
        m("QuizPage:review", world, G, plain=True),
        m("CaseIndexPage", world, G, plain=True),
        m("CaseVignettePage:overview", world, G, plain=True),
        m("CaseVignettePage:index_route", world, G, plain=True),
        m("CaseVignettePage:start", world, P, form_pages=[(SUP, case.url)]),
        m("CaseVignettePage:play", world, GP, form_pages=[(OWNER, play_url)]),
        m("CaseVignettePage:feedback", world, G, plain=True),
        m("CaseVignettePage:debrief", world, G, plain=True),
        m("analytics:quiz_index", world, G, plain=True),
        m("analytics:quiz_statistics", world, G, query_fields={"attempts": {"first", "all"}}),
        m("analytics:quiz_statistics_csv", world, G, query_fields={"attempts": {"first", "all"}}),
        m("analytics:case_index", world, G, plain=True),
        m("analytics:case_routes", world, G, query_fields={"attempts": {"first", "all"}}),
        m("analytics:cohort_index", world, G, plain=True),
        m("analytics:cohort_report", world, G, plain=True),
        m("analytics:cohort_report_csv", world, G, plain=True),
        m("analytics:case_routes_csv", world, G, query_fields={"attempts": {"first", "all"}}),
        m("cohorts:mine", world, G, plain=True),
        m("cohorts:report", world, G, query_fields={"format": {"csv", "html"}}),
        m("content_review:due", world, G, query_fields={**review_query, "export": {"csv"}}),
        m("content_review:due_results", world, G, query_fields=review_query),
    ]  # fmt: skip
    endpoints += _allauth_and_wagtail(world, owner_email)
    endpoints += _admin(world)
    return endpoints


def _allauth_and_wagtail(world, owner_email) -> list[Endpoint]:
    P, G, GP = ("POST",), ("GET",), ("GET", "POST")
    login = {"login": {owner_email}, "password": {PASSWORD}}

    def form(name, methods=GP, role=ANON, url=None, discover=True, **kwargs):
        url = url or reverse(name)
        pages = [(role, url)] if discover else []
        return Endpoint(name, methods, _open(url), form_pages=pages, **kwargs)

    def page(name, url=None):
        return Endpoint(name, G, _open(url or reverse(name)), plain=True)

    reset_key_url = "/accounts/password/reset/key/1-set-password/"
    return [
        form("account_login", fields=login),
        form("account_logout", P, role=OWNER),
        form("account_signup", fields={"email": {"new.person@example.org"},
                                       "password1": {PASSWORD}, "password2": {PASSWORD}}),
        form("account_reauthenticate", role=OWNER, fields={"password": {PASSWORD}}),
        form("account_email", role=OWNER, fields={"email": {owner_email, "new@example.org"}}),
        form("account_change_password", role=OWNER,
             fields={"oldpassword": {PASSWORD}, "password1": {PASSWORD + "2"},
                     "password2": {PASSWORD + "2"}}),
        form("account_set_password", role=OWNER, discover=False,
             fields={"password1": {PASSWORD}, "password2": {PASSWORD}}),
        form("account_reset_password", fields={"email": {owner_email}}),
        # Without a login in progress, a real key, a restriction, two-factor set up or (for set
        # password) a person without one, these show no form: the fields are the ones allauth's
        # and Wagtail's forms declare.
        form("account_confirm_login_code", discover=False, fields={"code": {"ABC123"}}),
        form("account_confirm_email", url="/accounts/confirm-email/not-a-real-key/",
             discover=False, fields={"action": {"confirm"}}),
        form("account_reset_password_from_key", url=reset_key_url, discover=False,
             fields={"password1": {PASSWORD}, "password2": {PASSWORD}}),
        page("account_inactive"),
        page("account_email_verification_sent"),
        page("account_reset_password_done"),
        page("account_reset_password_from_key_done"),
        page("mfa_index"),
        form("mfa_authenticate", discover=False, fields={"code": {"123456"}}),
        form("mfa_reauthenticate", role=OWNER, discover=False, fields={"code": {"123456"}}),
        form("mfa_activate_totp", role=OWNER, fields={"code": {"123456"}}),
        form("mfa_deactivate_totp", role=OWNER, discover=False, fields={"code": {"123456"}}),
        page("mfa_view_recovery_codes"),
        form("mfa_generate_recovery_codes", role=OWNER),
        page("mfa_download_recovery_codes"),
        page("wagtaildocs_serve", "/documents/1/secret.pdf"),
        form("wagtaildocs_authenticate_with_password", P,
             url=reverse("wagtaildocs_authenticate_with_password", args=[1]), discover=False,
             fields={"password": {"x"}, "return_url": {"/"}}),
        form("wagtailcore_authenticate_with_password", P,
             url=reverse("wagtailcore_authenticate_with_password", args=[1, world["quiz"].pk]),
             discover=False,
             fields={"password": {"x"}, "return_url": {"/"}}),
        # Sent to allauth's login (psycomp/urls.py): no form of its own any more.
        form("wagtailcore_login", discover=False,
             fields={"username": {owner_email}, "password": {PASSWORD}}),
    ]  # fmt: skip


def block_form_data(block, value, prefix: str) -> dict:
    """The editor's form fields for a StreamField value, as Wagtail's script would post them
    (the page's HTML holds them only as JSON): counts, types, ids, orders and each field."""
    if isinstance(block, blocks.StreamBlock):
        out = {f"{prefix}-count": str(len(value))}
        for i, child in enumerate(value):
            p = f"{prefix}-{i}"
            out |= {f"{p}-type": child.block_type, f"{p}-id": child.id or "",
                    f"{p}-deleted": "", f"{p}-order": str(i)}  # fmt: skip
            out |= block_form_data(child.block, child.value, f"{p}-value")
        return out
    if isinstance(block, blocks.ListBlock):
        items = list(value.bound_blocks)
        out = {f"{prefix}-count": str(len(items))}
        for i, item in enumerate(items):
            p = f"{prefix}-{i}"
            out |= {f"{p}-id": item.id or "", f"{p}-deleted": "", f"{p}-order": str(i)}
            out |= block_form_data(block.child_block, item.value, f"{p}-value")
        return out
    if isinstance(block, blocks.StructBlock):
        out = {}
        for name, child in block.child_blocks.items():
            out |= block_form_data(child, value[name], f"{prefix}-{name}")
        return out
    shown = block.value_for_form(block.field.prepare_value(block.get_prep_value(value)))
    if isinstance(block, blocks.BooleanBlock):
        return {prefix: "on"} if shown else {}
    if isinstance(shown, list | tuple):
        return {prefix: [str(v) for v in shown]}
    return {prefix: "" if shown is None else str(shown)}


def _admin(world) -> list[Endpoint]:
    """The Wagtail editor's page forms, posted by everyone (educators and administrators may):
    the quiz's inline panels of questions and options come from the page's HTML, the case's
    StreamField of nodes from its value."""
    staff = {EDU, ADMIN}
    case = world["case"]
    endpoints = []
    for label, page, baseline in (
        ("QuizPage", world["quiz"], {}),
        ("CaseVignettePage", case, block_form_data(case.nodes.stream_block, case.nodes, "nodes")),
    ):
        url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        endpoints.append(
            Endpoint(
                f"admin:edit:{label}",
                ("GET", "POST"),
                {"own": Variant(url, staff, staff)},
                form_pages=[(EDU, url)],
                baseline=baseline,
            )
        )
    return endpoints


# Names known before the database exists, for pytest's parametrisation. A test checks that they
# are exactly the endpoints built above, and that every route of the site is one of them.
MATRIX_NAMES = [name for name in ACCESS if not name.startswith("area:")]
OTHER_NAMES = [
    "account_login",
    "account_logout",
    "account_signup",
    "account_reauthenticate",
    "account_email",
    "account_change_password",
    "account_set_password",
    "account_reset_password",
    "account_confirm_login_code",
    "account_confirm_email",
    "account_reset_password_from_key",
    "account_inactive",
    "account_email_verification_sent",
    "account_reset_password_done",
    "account_reset_password_from_key_done",
    "mfa_index",
    "mfa_authenticate",
    "mfa_reauthenticate",
    "mfa_activate_totp",
    "mfa_deactivate_totp",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "wagtaildocs_serve",
    "wagtaildocs_authenticate_with_password",
    "wagtailcore_authenticate_with_password",
    "wagtailcore_login",
    "admin:edit:QuizPage",
    "admin:edit:CaseVignettePage",
]
ENDPOINT_NAMES = MATRIX_NAMES + OTHER_NAMES
# Routes not fuzzed on their own, and why.
NOT_FUZZED = {
    "wagtail_serve": "the page tree: fuzzed through each page type's entry (HomePage...)",
}

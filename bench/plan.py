"""What the benchmark drives, prepared inside Django (``manage.py bench_prepare``).

``bench/run.py`` (no Django) asks for a plan: each endpoint's URL, method and the session cookie
of the person it is measured as, the SQL queries one request costs (counted with the test client
against the same database and settings gunicorn uses), and, for the case step submission, a list
of valid POSTs: fresh load-test trainees each start every case, and the plan holds the best
route's answers for each attempt in order, so every POST is the next legal step of its attempt.

Each trainee page also has a cold run: the page for a few typical trainees (one per connection,
so each request follows a write to its own person's records, see ``bench.middleware``), and the
queries it costs right after such a write.

Sessions are made the way a login makes them (``Client.force_login`` through the configured
session engine), so gunicorn accepts the cookies as they are.
"""

import json
import secrets
from pathlib import Path
from urllib.parse import urlencode

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Count
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pyinstrument import Profiler

from assessments.engine import delivery
from assessments.models import Evidence, QuizPage
from cases import engine
from cases import services as case_services
from cases.models import CaseVignettePage
from curriculum.models import CurriculumIndexPage, LessonPage
from home import services as home_services
from home.caching import records_changed
from home.models import User
from home.roles import Role
from supervision.models import Cohort

from .scale import BENCH_PASSWORD, EMAIL_DOMAIN, supervisor_email

HOST = "127.0.0.1"


def _client(user=None) -> Client:
    client = Client(SERVER_NAME=HOST)
    if user is not None:
        client.force_login(user)
    return client


def _cookie(client: Client) -> str:
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _typical_trainees(count: int) -> list[User]:
    """Active trainees with a middling amount of evidence: the median of the first hundred,
    then those next to it (one per connection of the cold runs, so no two connections write
    the same person's records)."""
    rows = list(
        Evidence.objects.filter(trainee__email__startswith="scale-t")
        .values("trainee_id")
        .annotate(n=Count("id"))
        .order_by("trainee_id")[:100]
    )
    rows.sort(key=lambda r: r["n"])
    middle = len(rows) // 2
    nearest = sorted(range(len(rows)), key=lambda i: (abs(i - middle), i))[: max(1, count)]
    people = User.objects.in_bulk([rows[i]["trainee_id"] for i in nearest])
    return [people[rows[i]["trainee_id"]] for i in nearest]


def _load_trainees(run: str, count: int) -> list[User]:
    """Fresh trainees for this run's submissions (their open attempts are used up by it)."""
    people = User.objects.bulk_create(
        User(
            email=f"load-{run}-{n}@{EMAIL_DOMAIN}",
            username=f"load-{run}-{n}",
            display_name=f"Load {run} {n}",
        )
        for n in range(count)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in people
    )
    group = Group.objects.get(name=Role.TRAINEE.value)
    User.groups.through.objects.bulk_create(
        User.groups.through(user=u, group=group) for u in people
    )
    return people


def _educator() -> User:
    """The educator the analytics reports are measured as (made once per database, enrolled
    in two-factor login as every staff role must be)."""
    email = f"bench-educator@{EMAIL_DOMAIN}"
    person = User.objects.filter(email=email).first()
    if person is None:
        person = home_services.user_create(
            email=email,
            password=BENCH_PASSWORD,
            role=Role.EDUCATOR,
            display_name="Bench Educator",
            profession="nurse",
        )
        TOTP.activate(person, generate_totp_secret())
    return person


def _best_answers(node, best: dict) -> list[tuple[str, str]]:
    if node.kind == "decide":
        return [("choice", best[node.id])]
    if node.kind in engine.SELECT_KINDS:
        return [("choice", o.id) for o in node.options if o.correct]
    if node.kind == "screen":
        return [(f"item-{i}", str(v)) for i, v in enumerate(node.key)]
    return []


def _as_posted(answers, secret: str, node_id: str) -> list[tuple[str, str]]:
    """Option ids as the page posts them: the opaque values drawn for the attempt."""
    return [(k, delivery.token(secret, node_id, v) if k == "choice" else v) for k, v in answers]


def _submissions(*, run: str, posts_needed: int, csrf: str) -> tuple[list[list[dict]], dict]:
    """Attempts started for fresh trainees, and for each attempt its POSTs in order (the best
    route), plus one spare attempt's first POST for counting queries."""
    vignettes = list(CaseVignettePage.objects.live().order_by("path"))
    plans = []
    routes = {}
    for page in vignettes:
        graph = case_services.graph_of_revision(page.live_revision)
        best = dict(engine.best_path(graph))
        posts, state = [], engine.State.initial(graph)
        while graph[state.node].kind != "ending":
            node = graph[state.node]
            answers = _best_answers(node, best)
            posts.append((state.step, node.id, answers))
            state = engine.advance(
                graph,
                state,
                engine.Response(
                    node.id,
                    tuple(v for k, v in answers if k == "choice"),
                    tuple(int(v) for k, v in answers if k.startswith("item-")),
                ),
            ).state
        routes[page.pk] = posts
    per_trainee = sum(len(p) for p in routes.values())
    trainees = _load_trainees(run, max(2, -(-posts_needed // per_trainee) + 1))
    spare = None
    for trainee in trainees:
        cookie = _cookie(_client(trainee))
        for page in vignettes:
            attempt = case_services.vignette_start(trainee=trainee, vignette=page)
            url = f"{page.url}play/{attempt.pk}/"
            steps = [
                {
                    "path": url,
                    "cookie": f"{cookie}; csrftoken={csrf}",
                    "body": urlencode(
                        [
                            ("csrfmiddlewaretoken", csrf),
                            ("seq", str(seq)),
                            *_as_posted(answers, attempt.secret, node_id),
                        ]
                    ),
                }
                for seq, node_id, answers in routes[page.pk]
            ]
            if spare is None:
                spare = steps[:2]
            else:
                plans.append(steps)
    return plans, spare


def prepare(*, out: Path, posts_needed: int, cold_people: int = 4) -> dict:
    """Write the plan (JSON) and the submissions (one line per POST) under ``out``. Each
    trainee page also gets its cold run: the same page for ``cold_people`` typical trainees
    (a session and a case attempt each), and its queries right after a write."""
    out.mkdir(parents=True, exist_ok=True)
    run = secrets.token_hex(3)
    request = RequestFactory().get("/")
    get_token(request)
    csrf = request.META["CSRF_COOKIE"]
    people = _typical_trainees(cold_people)
    trainee = people[0]
    lead = User.objects.get(email=supervisor_email(0))
    second = User.objects.get(email=supervisor_email(1))
    trainee_client = _client(trainee)
    lead_client = _client(lead)
    second_client = _client(second)
    case = CaseVignettePage.objects.live().order_by("path").first()
    playing = {p.pk: case_services.vignette_start(trainee=p, vignette=case) for p in people}
    lesson = LessonPage.objects.live().filter(taster=False).order_by("path")[3]
    quiz = QuizPage.objects.live().order_by("path").first()
    index = CurriculumIndexPage.objects.live().first()
    educator_client = _client(_educator())
    biggest = Cohort.objects.annotate(n=Count("memberships")).order_by("-n", "pk").first()
    # Each trainee page, for a given trainee (only the case step's URL names their attempt).
    trainee_pages = {
        "lesson": lambda person: lesson.url,
        "curriculum_index": lambda person: index.url,
        "case_step_get": lambda person: f"{case.url}play/{playing[person.pk].pk}/",
        "quiz": lambda person: quiz.url,
        "trainee_dashboard": lambda person: reverse("progress:dashboard"),
    }
    endpoints = [
        ("trivial", "/healthz", None, "framework floor"),
        ("static_css", static("css/site.css"), None, "serving floor"),
        ("home_anonymous", "/", None, "visitor"),
        ("lesson", None, trainee_client, "trainee"),
        ("curriculum_index", None, trainee_client, "trainee"),
        ("case_step_get", None, trainee_client, "trainee"),
        ("case_step_post", None, None, "trainee"),
        ("quiz", None, trainee_client, "trainee"),
        ("trainee_dashboard", None, trainee_client, "trainee"),
        (
            "supervisor_dashboard_2000",
            reverse("supervision:dashboard") + "?per_page=50",
            lead_client,
            "supervisor",
        ),
        (
            "supervisor_dashboard_200",
            reverse("supervision:dashboard") + "?per_page=50",
            second_client,
            "supervisor",
        ),
        (
            "trainee_evidence",
            reverse("supervision:trainee", args=[trainee.pk]),
            lead_client,
            "supervisor",
        ),
        # The analytics reports, in the Wagtail admin: aggregates over every attempt.
        (
            "analytics_quiz_statistics",
            reverse("analytics:quiz_statistics", args=[quiz.pk]),
            educator_client,
            "educator",
        ),
        (
            "analytics_case_routes",
            reverse("analytics:case_routes", args=[case.pk]),
            educator_client,
            "educator",
        ),
        ("analytics_cohort_index", reverse("analytics:cohort_index"), educator_client, "educator"),
        (
            "analytics_cohort_report",
            reverse("analytics:cohort_report", args=[biggest.pk]),
            educator_client,
            "educator",
        ),
    ]
    plans, spare = _submissions(run=run, posts_needed=posts_needed, csrf=csrf)
    cookies = {p.pk: _cookie(trainee_client if p == trainee else _client(p)) for p in people}
    plan = {"run": run, "endpoints": []}
    for name, path, client, audience in endpoints:
        entry = {"name": name, "audience": audience, "method": "GET", "expect": 200}
        if name == "case_step_post":
            entry.update(method="POST", expect=302, path=spare[0]["path"])
            entry["queries"] = _post_queries(spare)
            entry["submissions"] = str(out / "submissions.jsonl")
            entry["attempts"] = len(plans)
            entry["posts"] = sum(len(p) for p in plans)
        else:
            path = path or trainee_pages[name](trainee)
            entry["path"] = path
            entry["cookie"] = _cookie(client) if client else ""
            entry["queries"] = _get_queries(client or _client(), path)
        if name in trainee_pages:
            entry["person"] = trainee.pk
            entry["cold"] = {
                "queries": _cold_queries(trainee_client, trainee, path),
                "people": [
                    {"path": trainee_pages[name](p), "cookie": cookies[p.pk]} for p in people
                ],
            }
        plan["endpoints"].append(entry)
    with (out / "submissions.jsonl").open("w") as handle:
        for steps in plans:
            handle.write(json.dumps(steps) + "\n")
    (out / "plan.json").write_text(json.dumps(plan, indent=2))
    return plan


def _get_queries(client: Client, path: str) -> int:
    first = client.get(path)  # warm caches, as every request but the first finds them
    if first.status_code != 200:
        raise RuntimeError(f"GET {path} answered {first.status_code}")
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return count_queries(queries)


def _cold_queries(client: Client, person: User, path: str) -> int:
    """Queries of the page right after a write to the person's records (the write's own are
    not counted): what every request of the cold run costs."""
    records_changed(person.pk)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} after a write answered {response.status_code}")
    return count_queries(queries)


def _post_queries(steps: list[dict]) -> int:
    """Queries of the second step of a spare attempt (the first is a scene; the second is
    scored, so it writes evidence and summaries too)."""
    client = Client(SERVER_NAME=HOST)
    for part in steps[0]["cookie"].split("; "):
        name, value = part.split("=", 1)
        client.cookies[name] = value
    for n, step in enumerate(steps):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                step["path"], step["body"], content_type="application/x-www-form-urlencoded"
            )
        if response.status_code != 302:
            raise RuntimeError(f"POST {step['path']} (step {n}) answered {response.status_code}")
    return count_queries(queries)


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def count_queries(captured) -> int:
    """SQL statements that read or write data (transaction control is not counted: SQLite
    logs BEGIN, PostgreSQL does not)."""
    return sum(
        1
        for q in captured.captured_queries
        if not q["sql"].lstrip().upper().startswith(TRANSACTION_CONTROL)
    )


def profile(*, name: str, plan: dict, out: Path, requests: int = 200) -> Path:
    """Run one endpoint's request ``requests`` times in this process under pyinstrument and
    write the profile as HTML (and print it as text). ``<endpoint>:cold`` profiles a trainee
    page as its cold run measures it, each request right after a write (the write included,
    as the bench middleware makes it)."""
    name, _, cold = name.partition(":")
    entry = next((e for e in plan["endpoints"] if e["name"] == name), None)
    if entry is None or entry["method"] != "GET" or (cold and "cold" not in entry):
        names = [e["name"] for e in plan["endpoints"] if e["method"] == "GET"]
        names += [f"{e['name']}:cold" for e in plan["endpoints"] if "cold" in e]
        raise ValueError(f"Profile one of: {', '.join(names)}")
    client = Client(SERVER_NAME=HOST)
    for part in filter(None, entry["cookie"].split("; ")):
        key, value = part.split("=", 1)
        client.cookies[key] = value
    client.get(entry["path"])
    profiler = Profiler()
    with profiler:
        for _ in range(requests):
            if cold:
                records_changed(entry["person"])
            client.get(entry["path"])
    target = out / f"profile-{name}{'-cold' if cold else ''}.html"
    target.write_text(profiler.output_html())
    print(profiler.output_text(unicode=True, color=False))
    return target

"""Hostile input on every endpoint of the site, as every kind of person (OWASP ASVS 5.0 L2).

For each endpoint hypothesis generates requests from the fields of its real form (read from the
page that shows it) plus keys it does not expect, with valid, empty, huge, odd-unicode, numeric,
injection and other people's values, sent as multipart, urlencoded, JSON or broken bodies, with
the endpoint's methods and now and then another. For every example:

- the status is below 500;
- a rejected request (4xx, a redirect to the login page, a form re-rendered with errors, or a
  warning message) changed no row of the application's tables;
- a person the authorisation matrix does not allow is refused, on their own records and on
  another trainee's (``tests/test_authorization.py``);
- no response shows a trainee's name or reflection to someone not entitled to see it.

``FUZZ_EXAMPLES`` sets the examples per endpoint (default 15; ``make fuzz`` runs 2,000). Pages
with no input of their own get a tenth of that (at least 10).
"""

import logging
import os
import time

import pytest
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from supervision import services as supervision_services
from supervision import sign_offs
from supervision.views.sign_off import REAUTH_KEY
from tests.test_authorization import ANON, EDU, OTHER_SUP, ROUTABLE, SUP

from . import harness
from .endpoints import (
    ENDPOINT_NAMES,
    MARKERS,
    NOT_FUZZED,
    OTHER_NAME,
    OWNER_NAME,
    ROLES,
    foreign_ids,
)
from .strategies import fuzz_requests

pytestmark = pytest.mark.django_db

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "") or 15)
PLAIN_EXAMPLES = max(10, FUZZ_EXAMPLES // 10)
QUIET_LOGGERS = ("django.request", "django.security", "django.server")
RECORDER = harness.ExceptionRecorder()


def test_every_route_is_fuzzed(fuzz_world):
    """Every named route of the URL configuration (outside the two admins, fuzzed through the
    page editor) and every route of every routable page is an endpoint here."""
    routes = set()

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if not str(pattern.pattern).startswith(("admin/", "django-admin/")):
                    walk(pattern.url_patterns, pattern.namespace or prefix)
            elif isinstance(pattern, URLPattern) and pattern.name:
                routes.add(f"{prefix}:{pattern.name}" if prefix else pattern.name)

    walk(get_resolver().url_patterns)
    for cls in ROUTABLE:
        routes.update(f"{cls.__name__}:{p.name}" for p in cls.get_subpage_urls())
    assert routes - set(ENDPOINT_NAMES) - NOT_FUZZED.keys() == set()
    assert set(fuzz_world["endpoints"]) == set(ENDPOINT_NAMES)


def _sessions(people) -> dict[str, str]:
    """A logged-in session per person, who has just entered their password (so that allauth's
    account and two-factor pages and the supervisor's sign-off show their forms)."""
    keys = {}
    for role, person in people.items():
        client = Client()
        client.force_login(person)
        session = client.session
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {
                "method": "password",
                "at": time.time(),
                "email": person.email,
                "reauthenticated": True,
            }
        ]
        session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(person.pk)
        if role in (SUP, OTHER_SUP):
            session[REAUTH_KEY] = time.time()
        session.save()
        keys[role] = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return keys


def _discover(endpoint, sessions) -> tuple[dict, dict, dict]:
    """Body fields and query fields, with the values the real form offers, and the body the
    form sends as shown."""
    fields = {name: set(values) for name, values in endpoint.fields.items()}
    query_fields = {name: set(values) for name, values in endpoint.query_fields.items()}
    target = endpoint.variants["own"].url.split("?")[0]
    found_fields: dict[str, harness.FormField] = {}
    forms = 0
    for role, page in endpoint.form_pages:
        client = Client()
        if role != ANON:
            client.cookies[django_settings.SESSION_COOKIE_NAME] = sessions[role]
        response = client.get(page)
        assert response.status_code == 200, f"{page} as {role}: {response.status_code}"
        forms += harness.forms_posting_to(
            response.content.decode(), page, target, endpoint.form_method, found_fields
        )
    assert forms or not endpoint.form_pages, f"no form sends to {target} on {endpoint.form_pages}"
    into = fields if endpoint.form_method == "POST" else query_fields
    for name, found in found_fields.items():
        into.setdefault(name, set()).update(found.values)
    baseline = {**harness.baseline_of(found_fields), **endpoint.baseline}
    for name, sent in endpoint.baseline.items():
        into.setdefault(name, set()).update(sent if isinstance(sent, list) else [sent])
    return fields, query_fields, baseline


@pytest.mark.parametrize("name", ["admin:edit:QuizPage", "admin:edit:CaseVignettePage"])
def test_the_editor_form_as_shown_is_accepted(name, fuzz_world):
    """The fuzzer's starting point for the page editor is a body the editor accepts, so that
    its mutations reach the validation of questions, options and nodes, not only the 400."""
    from wagtail.models import Revision

    endpoint = fuzz_world["endpoints"][name]
    sessions = _sessions(fuzz_world["people"])
    _, _, baseline = _discover(endpoint, sessions)
    client = Client()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = sessions[EDU]
    revisions = Revision.objects.count()
    response = client.post(endpoint.variants["own"].url, baseline)
    assert response.status_code == 302, harness.rejected(response)
    assert Revision.objects.count() == revisions + 1


@pytest.mark.parametrize("name", ENDPOINT_NAMES)
def test_hostile_requests(name, fuzz_world, settings, monkeypatch):
    # The base sessions and their fresh password entries must outlive a long run.
    settings.SESSION_IDLE_TIMEOUT = 10**9
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 10**9
    monkeypatch.setattr(supervision_services, "REAUTH_SECONDS", 10**9)
    monkeypatch.setattr(sign_offs, "REAUTH_SECONDS", 10**9)
    endpoint = fuzz_world["endpoints"][name]
    cache.clear()
    sessions = _sessions(fuzz_world["people"])
    fields, query_fields, baseline = _discover(endpoint, sessions)
    figures = harness.FIGURES[name]
    figures.form_fields = len(fields) + len(query_fields)
    # Each table's fingerprint in the state every example starts from, taken the first time an
    # example writes to it, once that example has been rolled back.
    base: dict[str, tuple] = {}
    ids = foreign_ids(fuzz_world)
    names = (OWNER_NAME, OTHER_NAME)
    tables = set(harness.app_tables())

    def check(request):
        variant = endpoint.variants[request.variant]
        client = Client(raise_request_exception=False)
        if request.role != ANON:
            client.cookies[django_settings.SESSION_COOKIE_NAME] = sessions[request.role]
        cache.clear()  # allauth's rate limits live in the cache
        path = request.path_with_query(variant.url)
        body, content_type = (
            request.body() if request.method not in ("GET", "HEAD") else (b"", "text/plain")
        )
        tracker = harness.WriteTracker()
        problems = []
        after: dict[str, tuple] = {}
        is_rejected = False
        figures.examples += 1
        figures.roles[request.role] += 1
        with transaction.atomic():
            try:
                with connection.execute_wrapper(tracker):
                    response = client.generic(
                        request.method, path, data=body, content_type=content_type
                    )
                status = response.status_code
                figures.statuses[status] += 1
                error = RECORDER.take()
                if status >= 500:
                    figures.server_errors += 1
                    problems.append(f"server error {status}\n{error}")
                elif harness.rejected(response):
                    figures.rejected += 1
                    is_rejected = True
                    try:
                        after = harness.fingerprint(tracker.tables - harness.EXCLUDED_TABLES)
                    except DatabaseError as exc:
                        after = {f"(the transaction was left broken: {exc})": ()}
                if status < 500:
                    allowed = {
                        "GET": variant.get_allowed,
                        "HEAD": variant.get_allowed,
                        "POST": variant.post_allowed,
                    }.get(request.method)
                    if (
                        allowed is not None
                        and request.role not in allowed
                        and not harness.refused(response)
                    ):
                        figures.access_violations += 1
                        problems.append(f"not refused ({status}) for {request.role}")
                    content = harness.body_of(response)
                    for marker, viewers in MARKERS.items():
                        if request.role in viewers or (endpoint.public_names and marker in names):
                            continue
                        if marker.encode() in content and not request.mentions(marker):
                            figures.leaks += 1
                            problems.append(f"{marker} shown to {request.role}")
            finally:
                transaction.set_rollback(True)
        if is_rejected:
            for table in after.keys() - base.keys():
                base[table] = harness.table_fingerprint(table) if table in tables else None
            changed = sorted(t for t, fingerprint in after.items() if fingerprint != base[t])
            if changed:
                figures.changed_by_rejected += 1
                problems.append(f"rejected ({status}) but changed {changed}")
        if problems:
            text = f"{name}: {request.describe()} -> {path[:200]}\n" + "\n".join(problems)
            figures.problem(text)
            raise AssertionError(text)

    examples = PLAIN_EXAMPLES if endpoint.plain else FUZZ_EXAMPLES

    @hypothesis_settings(
        max_examples=examples,
        deadline=None,
        database=None,
        print_blob=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        request=fuzz_requests(
            roles=ROLES,
            variants=sorted(endpoint.variants),
            methods=list(endpoint.methods),
            fields={k: sorted(v) for k, v in fields.items()},
            query_fields={k: sorted(v) for k, v in query_fields.items()},
            ids=ids,
            baseline=baseline if endpoint.form_method == "POST" else None,
        )
    )
    def fuzz(request):
        check(request)

    levels = {n: logging.getLogger(n).level for n in QUIET_LOGGERS}
    for n in QUIET_LOGGERS:
        logging.getLogger(n).setLevel(logging.CRITICAL)
    try:
        fuzz()
    finally:
        for n, level in levels.items():
            logging.getLogger(n).setLevel(level)

"""What the fuzzer needs around one request: the forms of a page, a fingerprint of the database,
the tables a request wrote to, whether the server rejected the request, and the figures.

No hypothesis here: strategies live in ``strategies.py``, the endpoint table in ``endpoints.py``.
"""

import hashlib
import re
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import WARNING
from django.core.signals import got_request_exception
from django.db import connection
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet

from home.models import AuditEvent

# Written legitimately by a refused request: sessions (login state, messages), django-axes'
# attempt logs, the database cache, and the Wagtail editor's presence list (who has a page open,
# refreshed by every request to the editor). Failed logins and lockouts in the audit log, and the
# reference index rows Wagtail derives from those audit rows, are filtered by row below; every
# other audit row counts.
EXCLUDED_TABLES = frozenset(
    {
        "django_session",
        "axes_accessattempt",
        "axes_accessattemptexpiration",
        "axes_accessfailurelog",
        "axes_accesslog",
        "psycomp_cache",
        "wagtailadmin_editingsession",
    }
)
# What a refused sign-in writes on purpose: the failure (a password or a two-factor code) and a
# lockout, in the audit trail.
LEGITIMATE_AUDIT = tuple(
    action.value
    for action in (
        AuditEvent.Action.LOGIN_FAILED,
        AuditEvent.Action.MFA_FAILED,
        AuditEvent.Action.LOCKOUT,
    )
)

_WRITE = re.compile(
    r"""^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM)\s+["`]?(\w+)""", re.IGNORECASE
)


# --- Forms ----------------------------------------------------------------------------------


@dataclass
class FormField:
    name: str
    kind: str  # input type, "select", "textarea" or "button"
    values: set[str] = field(default_factory=set)  # values the page itself offers
    current: list[str] = field(default_factory=list)  # what a browser would send unchanged


def forms_posting_to(
    html: str, page_url: str, target_path: str, method: str, fields: dict[str, FormField]
) -> int:
    """Adds to ``fields`` the fields of every ``<form>`` of the page that sends ``method`` to
    ``target_path``, merged by name (several pages may offer the same form, e.g. one per quiz
    question). Returns how many such forms the page has."""
    found = 0
    soup = BeautifulSoup(html, "html.parser")
    for form in soup.find_all("form"):
        if (form.get("method") or "get").lower() != method.lower():
            continue
        action = urlsplit(urljoin(page_url, form.get("action") or page_url)).path
        if action != target_path:
            continue
        found += 1
        for element in form.find_all(["input", "select", "textarea", "button"]):
            name = element.get("name")
            if not name:
                continue
            current: list[str] = []
            if element.name == "select":
                kind = "select"
                options = element.find_all("option")
                values = {o.get("value", o.get_text()) for o in options}
                chosen = [o for o in options if o.has_attr("selected")] or options[:1]
                current = [o.get("value", o.get_text()) for o in chosen]
            elif element.name == "textarea":
                kind, values = "textarea", {element.get_text()}
                current = [element.get_text()]
            else:
                kind = element.get("type", "text" if element.name == "input" else "button")
                values = {element.get("value", "on" if kind == "checkbox" else "")}
                if kind in ("checkbox", "radio"):
                    current = list(values) if element.has_attr("checked") else []
                elif kind not in ("submit", "button", "image", "reset", "file", "password"):
                    current = list(values)
            entry = fields.setdefault(name, FormField(name, kind))
            entry.values |= {v for v in values if v is not None}
            entry.current += current
    return found


def baseline_of(fields: dict[str, FormField]) -> dict:
    """The body a browser would send for the form as the page shows it."""
    body = {}
    for name, entry in fields.items():
        if entry.current:
            body[name] = entry.current[0] if len(entry.current) == 1 else list(entry.current)
    return body


# --- The database ---------------------------------------------------------------------------


def app_tables() -> list[str]:
    return sorted(set(connection.introspection.table_names()) - EXCLUDED_TABLES)


def table_fingerprint(table: str) -> tuple[int, str]:
    """Row count and a hash of every row (order-independent) of one table."""
    where = ""
    params: list = []
    if table == AuditEvent._meta.db_table:
        where = f" WHERE action NOT IN ({', '.join(['%s'] * len(LEGITIMATE_AUDIT))})"
        params = list(LEGITIMATE_AUDIT)
    elif table == "wagtailcore_referenceindex":
        audit = ContentType.objects.get_for_model(AuditEvent)
        where = " WHERE content_type_id <> %s"
        params = [audit.pk]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}{where}", params)
        rows = sorted(repr(row) for row in cursor.fetchall())
    return len(rows), hashlib.sha256("\n".join(rows).encode("utf-8", "replace")).hexdigest()


def fingerprint(tables) -> dict[str, tuple[int, str]]:
    return {table: table_fingerprint(table) for table in tables}


class WriteTracker:
    """Notes every table an INSERT, UPDATE or DELETE statement names (``execute_wrapper``)."""

    def __init__(self):
        self.tables: set[str] = set()

    def __call__(self, execute, sql, params, many, context):
        match = _WRITE.match(sql)
        if match:
            self.tables.add(match.group(1))
        return execute(sql, params, many, context)


class ExceptionRecorder:
    """The traceback of an exception a view raised (the test client turns it into a 500)."""

    def __init__(self):
        self.last: str | None = None
        got_request_exception.connect(self._record, dispatch_uid="fuzz-exception-recorder")

    def _record(self, sender, request=None, **kwargs):
        self.last = traceback.format_exc()

    def take(self) -> str | None:
        last, self.last = self.last, None
        return last


# --- Responses ------------------------------------------------------------------------------


def is_login_redirect(response) -> bool:
    return response.status_code in (301, 302, 303) and "/accounts/login/" in response.headers.get(
        "Location", ""
    )


def refused(response) -> bool:
    """Refused: a 4xx, or a redirect to the login page."""
    return 400 <= response.status_code < 500 or is_login_redirect(response)


def _contexts(response):
    context = response.context
    if context is None:
        return []
    return context if isinstance(context, list) else [context]


def _has_errors(value) -> bool:
    if isinstance(value, BaseForm):
        return value.is_bound and bool(value._errors)
    if isinstance(value, BaseFormSet):
        return value.is_bound and (
            any(value._errors or ()) or bool(getattr(value, "_non_form_errors", None))
        )
    return False


def rejected(response) -> bool:
    """The server did not accept the request: a 4xx, a redirect to the login page, a form
    re-rendered with errors, or a warning or error message for the person."""
    if refused(response):
        return True
    storage = getattr(response.wsgi_request, "_messages", None)
    if storage is not None and any(
        m.level >= WARNING for m in getattr(storage, "_queued_messages", ())
    ):
        return True
    return any(
        _has_errors(value)
        for context in _contexts(response)
        for value in context.flatten().values()
    )


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


# --- Figures --------------------------------------------------------------------------------


@dataclass
class EndpointFigures:
    examples: int = 0
    roles: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    rejected: int = 0
    server_errors: int = 0
    changed_by_rejected: int = 0
    access_violations: int = 0
    leaks: int = 0
    form_fields: int = 0
    first_problems: list = field(default_factory=list)

    def problem(self, text: str):
        if len(self.first_problems) < 3:
            # The request's description and the traceback's end, where the error is.
            self.first_problems.append(
                text if len(text) < 20_000 else text[:4_000] + "\n...\n" + text[-16_000:]
            )

    def as_dict(self) -> dict:
        return {
            "examples": self.examples,
            "roles": dict(self.roles),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "rejected": self.rejected,
            "server_errors": self.server_errors,
            "records_changed_by_rejected_requests": self.changed_by_rejected,
            "access_violations": self.access_violations,
            "leaks": self.leaks,
            "form_fields": self.form_fields,
            "first_problems": self.first_problems,
        }


FIGURES: dict[str, EndpointFigures] = defaultdict(EndpointFigures)

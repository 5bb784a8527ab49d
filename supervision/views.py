"""Supervision screens on the public site (not the admin)."""

import csv
import re
import time
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import selectors as case_selectors
from cases.models import VignetteAttempt
from home.audit import audit_record
from home.caching import for_records, for_records_many
from home.ratelimit import rate_limit
from home.roles import Role, has_role
from supervision import services as supervision_services
from supervision.models import SignOffRecord

from . import selectors

REAUTH_KEY = "psycomp_reauth_at"
PAGE_SIZE = 25
PAGE_SIZES = ("25", "50", "100")


def supervisor_required(view):
    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not has_role(request.user, Role.SUPERVISOR):
            raise PermissionDenied("This page is for supervisors.")
        return view(request, *args, **kwargs)

    return wrapped


@require_GET
@supervisor_required
def dashboard(request):
    show = request.GET.get("show", "")
    sort = request.GET.get("sort", "name")
    cohorts = selectors.cohort_choices_cached(request.user)
    cohort = request.GET.get("cohort", "")
    if (
        show not in selectors.FILTERS
        or sort not in selectors.SORTS
        or (cohort and cohort not in {str(pk) for pk, _ in cohorts})
    ):
        return render(
            request, "supervision/dashboard.html", {"error": "Unknown filter or sort."}, status=400
        )
    per_page = request.GET.get("per_page", str(PAGE_SIZE))
    if per_page not in PAGE_SIZES:
        return render(
            request, "supervision/dashboard.html", {"error": "Unknown page size."}, status=400
        )
    choices = {
        "show": show,
        "sort": sort,
        "cohort": cohort,
        "cohorts": cohorts,
        "per_page": per_page,
        "page_sizes": PAGE_SIZES,
        "filters": selectors.FILTERS,
        "sorts": selectors.SORTS,
    }
    table = roster(supervisor=request.user, choices=choices)
    page = Paginator(table["ids"], int(per_page)).get_page(request.GET.get("page"))
    context = selectors.table_context()
    return render(
        request,
        "supervision/dashboard.html",
        {
            "rows": trainee_rows(page.object_list, context),
            "requests": table["requests_html"],
            "filters_form": table["filters_html"],
            "elements": context["elements"],
            "policy": context["policy"],
            "page_obj": page,
            **choices,
        },
    )


def roster(*, supervisor, choices: dict) -> dict:
    """The supervisor's table before paging, for the filter, sort and page size in ``choices``:
    every matching trainee's id in order, and, rendered, the box of open sign-off requests and
    the filter form. Cached until the supervisor's records version moves
    (it moves whenever one of their trainees' records or their assignments change, see
    ``home.caching.records_changed``), the content changes or the date does (assignments and
    inactivity are counted in days): so a page costs the same for 200 or 2,000 trainees."""
    today = timezone.localdate()

    show, sort, cohort = choices["show"], choices["sort"], choices["cohort"]

    def build() -> dict:
        table = selectors.trainee_table(
            supervisor=supervisor, show=show, sort=sort, cohort_id=int(cohort) if cohort else None
        )
        return {
            "ids": list(table["trainees"]),
            "requests_html": render_to_string(
                "supervision/includes/open_requests.html",
                {"requests": selectors.open_requests(table)},
            ),
            "filters_html": render_to_string(
                "supervision/includes/dashboard_filters.html", choices
            ),
        }

    key = f"roster:{today}:{show}:{sort}:{cohort}:{choices['per_page']}"
    return for_records(supervisor.pk, key, build)


def trainee_rows(trainee_ids, table: dict) -> list[str]:
    """The table rows of these trainees, in this order, as HTML. A row depends only on the
    trainee's records and on published content (elements, policy, core lessons), so each is
    kept until either changes (``home.caching.for_records_many``): a page of 50 trainees is two
    reads from the cache, and only the rows of trainees who did something since are built."""
    ids = list(trainee_ids)

    def build(missing: list[int]) -> dict[int, str]:
        return {
            row["trainee"].pk: render_to_string(
                "supervision/includes/trainee_row.html", {"row": row}
            )
            for row in selectors.rows_for(missing, table)
        }

    rows = for_records_many(ids, "supervisor-row", build)
    return [rows[pk] for pk in ids if pk in rows]


def csv_safe(value) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


@require_GET
@supervisor_required
def export(request):
    show = request.GET.get("show", "")
    if show not in selectors.FILTERS:
        return HttpResponse("Unknown filter.", status=400, content_type="text/plain")
    table = selectors.trainee_table(supervisor=request.user, show=show)
    data = {"elements": table["elements"], "rows": selectors.rows_for(table["trainees"], table)}
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="trainees.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "Name",
            "Email",
            *(e.name for e in data["elements"]),
            "Ready",
            "Core lessons",
            "Last activity",
            "Sign-off",
        ]
    )
    for row in data["rows"]:
        writer.writerow(
            [
                csv_safe(row["trainee"].name),
                csv_safe(row["trainee"].email),
                *(csv_safe(f"{m.percent}%" if m.mean is not None else "") for m in row["mastery"]),
                "yes" if row["ready"] else "no",
                f"{row['lessons_done']}/{row['lessons_total']}",
                row["last_activity"].isoformat() if row["last_activity"] else "",
                csv_safe(row["record"].get_decision_display() if row["record"] else ""),
            ]
        )
    audit_record("data_export", actor=request.user, request=request, rows=len(data["rows"]))
    return response


@require_GET
@supervisor_required
def trainee(request, trainee_id: int):
    person = selectors.assigned_trainee(supervisor=request.user, trainee_id=trainee_id)
    # Below the summary, the page shows only the trainee's records: kept until they change.
    evidence = for_records(
        person.pk,
        "supervisor-evidence",
        lambda: render_to_string(
            "supervision/includes/trainee_evidence.html",
            {"person": person, **selectors.trainee_evidence(trainee=person)},
        ),
    )
    return render(
        request,
        "supervision/trainee.html",
        {"person": person, "evidence": evidence, **selectors.trainee_summary(trainee=person)},
    )


@require_GET
@supervisor_required
def case_path(request, trainee_id: int, attempt_id: int):
    person = selectors.assigned_trainee(supervisor=request.user, trainee_id=trainee_id)
    attempt = get_object_or_404(VignetteAttempt, pk=attempt_id, trainee=person)
    steps = [
        {"step": step, **case_selectors.feedback_view(attempt=attempt, seq=step.seq)}
        for step in attempt.steps.exclude(kind="scene")
    ]
    debrief = case_selectors.debrief_view(attempt=attempt) if not attempt.is_open else None
    return render(
        request,
        "supervision/case_path.html",
        {"person": person, "attempt": attempt, "steps": steps, "debrief": debrief},
    )


class ConfirmForm(forms.Form):
    password = forms.CharField(
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        required=False,
        max_length=12,
        label="Or a code from your authenticator app",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("password") and not cleaned.get("code"):
            raise forms.ValidationError(
                "Enter your password, or a code from your authenticator app."
            )
        return cleaned


def _confirmed(request, form) -> bool:
    """The password, or a current TOTP code when the person has set up two-factor login."""
    password, code = form.cleaned_data["password"], form.cleaned_data["code"].strip()
    if password:
        user = authenticate(request, username=request.user.email, password=password)
        return user is not None and user.pk == request.user.pk
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    authenticator = Authenticator.objects.filter(
        user=request.user, type=Authenticator.Type.TOTP
    ).first()
    return authenticator is not None and TOTP(authenticator).validate_code(code)


@rate_limit("secret")
@require_http_methods(["GET", "POST"])
@supervisor_required
def confirm(request):
    """Re-enter the password (or a TOTP code) before signing: valid for five minutes."""
    next_url = (
        request.POST.get("next") or request.GET.get("next") or reverse("supervision:dashboard")
    )
    # Only a path on this site: anything else ("0", say, which redirect() would take for the
    # name of a URL and fail on) goes back to the dashboard.
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, {request.get_host()}, request.is_secure()
    ):
        next_url = reverse("supervision:dashboard")
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _confirmed(request, form):
            request.session[REAUTH_KEY] = time.time()
            return redirect(next_url)
        form.add_error(None, "That password or code is not right.")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "supervision/confirm.html", {"form": form, "next": next_url}, status=status
    )


class SignOffForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            (SignOffRecord.Decision.COMPETENT, "Competent"),
            (SignOffRecord.Decision.NOT_YET, "Not yet competent"),
        ],
        widget=forms.RadioSelect,
    )
    level = forms.TypedChoiceField(
        choices=SignOffRecord.Level.choices,
        coerce=int,
        widget=forms.RadioSelect,
        label="Entrustment level",
    )
    feedback = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), max_length=5000)
    next_steps = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=3000,
        help_text="Required when the decision is not yet.",
    )
    justification = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=3000,
        help_text="Required to sign off a trainee the platform does not yet count as ready.",
    )


@rate_limit("signoff")
@require_http_methods(["GET", "POST"])
@supervisor_required
def sign_off(request, trainee_id: int):
    person = selectors.assigned_trainee(supervisor=request.user, trainee_id=trainee_id)
    reauth_at = request.session.get(REAUTH_KEY)
    fresh = reauth_at is not None and time.time() - reauth_at <= supervision_services.REAUTH_SECONDS
    form = SignOffForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                record = supervision_services.sign_off_record(
                    supervisor=request.user,
                    trainee=person,
                    reauthenticated_at=reauth_at,
                    request=request,
                    **form.cleaned_data,
                )
            except supervision_services.SignOffError as exc:
                form.add_error(None, str(exc))
                status = 403 if "Confirm your password" in str(exc) else 400
            else:
                request.session.pop(REAUTH_KEY, None)
                messages.success(request, f"Sign-off recorded: {record.get_decision_display()}.")
                return redirect("supervision:trainee", trainee_id=person.pk)
    from assessments.selectors import trainee_progress

    return render(
        request,
        "supervision/sign_off.html",
        {"person": person, "form": form, "fresh": fresh, "progress": trainee_progress(user=person)},
        status=status,
    )


@rate_limit("signoff")
@require_POST
@supervisor_required
def revoke(request, record_id: int):
    record = get_object_or_404(SignOffRecord, pk=record_id)
    selectors.assigned_trainee(supervisor=request.user, trainee_id=record.trainee_id)
    try:
        supervision_services.sign_off_revoke(
            supervisor=request.user,
            record=record,
            reason=request.POST.get("reason", ""),
            reauthenticated_at=request.session.get(REAUTH_KEY),
            request=request,
        )
    except supervision_services.SignOffError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The sign-off has been revoked; the revocation is on the record.")
    return redirect("supervision:trainee", trainee_id=record.trainee_id)


# --- The trainee's side, and the public check ------------------------------------------------


@require_GET
@login_required
def my_sign_offs(request):
    records = list(
        SignOffRecord.objects.filter(trainee=request.user)
        .select_related("supervisor")
        .order_by("-id")
    )
    revoked = {r.revokes_id for r in records if r.revokes_id}
    return render(
        request, "supervision/my_sign_offs.html", {"records": records, "revoked": revoked}
    )


@require_GET
@login_required
def certificate(request, record_id: int):
    record = get_object_or_404(
        SignOffRecord, pk=record_id, trainee=request.user, decision=SignOffRecord.Decision.COMPETENT
    )
    return render(request, "supervision/certificate.html", {"record": record, **_validity(record)})


def _validity(record) -> dict:
    revocation = SignOffRecord.objects.filter(revokes=record).first()
    return {"valid": revocation is None, "revocation": revocation}


# Wider than the codes we issue (see ``new_verification_code``), so that a mistyped code is
# still looked up and reported unknown; anything else (a NUL byte, say, which PostgreSQL
# refuses in a query) is unknown without a query.
CODE_SHAPE = re.compile(r"[A-Z0-9-]{1,40}")


@require_GET
def verify(request, code: str | None = None):
    """Public: anyone holding a code can check it. Shows the minimum, nothing else."""
    code = (code or request.GET.get("code", "")).strip().upper()
    if not code:
        return render(request, "supervision/verify.html", {})
    if not CODE_SHAPE.fullmatch(code):
        shown = code.replace("\x00", "")[:40]
        return render(
            request, "supervision/verify.html", {"code": shown, "unknown": True}, status=404
        )
    record = (
        SignOffRecord.objects.filter(verification_code=code)
        .exclude(decision=SignOffRecord.Decision.REVOKED)
        .select_related("trainee")
        .first()
    )
    if record is None:
        return render(
            request, "supervision/verify.html", {"code": code, "unknown": True}, status=404
        )
    return render(
        request, "supervision/verify.html", {"code": code, "record": record, **_validity(record)}
    )


class JoinForm(forms.Form):
    code = forms.CharField(label="Invite code", max_length=40)


@rate_limit("secret")
@require_http_methods(["GET", "POST"])
@login_required
def cohort_join(request):
    from django.core.exceptions import ValidationError

    form = JoinForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                cohort = supervision_services.cohort_join(
                    trainee=request.user, code=form.cleaned_data["code"]
                )
            except ValidationError as exc:
                form.add_error("code", " ".join(exc.messages))
            else:
                messages.success(request, f"You have joined {cohort.name}.")
                return redirect("assessments:dashboard")
    return render(request, "supervision/join.html", {"form": form}, status=status)

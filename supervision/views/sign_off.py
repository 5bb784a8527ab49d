"""Signing off: the supervisor confirms their password (or a code) and records or revokes a
decision; the trainee asks for one."""

import time

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from home.ratelimit import rate_limit
from progress.selectors import trainee_progress
from supervision import selectors
from supervision import services as supervision_services
from supervision.models import SignOffRecord
from supervision.views.access import supervisor_required

REAUTH_KEY = "psycomp_reauth_at"


class ConfirmForm(forms.Form):
    """The supervisor's password, or a code from their authenticator app, before signing."""

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
    """A sign-off decision as the supervisor records it (``services.sign_off_record`` checks
    the rest: who may sign, readiness, the justification)."""

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


@rate_limit("signoff")
@login_required
@require_POST
def request_sign_off(request):
    """The trainee asks their supervisors for sign-off (the button on their dashboard)."""
    try:
        sent = supervision_services.sign_off_request(
            trainee=request.user, message=request.POST.get("message", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("progress:dashboard")
    if getattr(sent, "emails_failed", 0) or getattr(sent, "emails_sent", None) == 0:
        messages.warning(
            request,
            "Your request for sign-off is saved and your supervisor will see it on their page, "
            "but the email to them could not be sent.",
        )
    else:
        messages.success(request, "Your request for sign-off has been sent to your supervisor.")
    return redirect("progress:dashboard")

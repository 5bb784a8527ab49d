"""Signing off: the supervisor confirms their password (or a code) and records or revokes a
decision; the trainee asks for one."""

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from home.ratelimit import over_limit, rate_limit, too_many
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
    password = form.cleaned_data.get("password")
    code = (form.cleaned_data.get("code") or "").strip()
    if password:
        user = authenticate(request, username=request.user.email, password=password)
        return user is not None and user.pk == request.user.pk
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


class InlineConfirmation(forms.Form):
    """A form that, when the supervisor's last confirmation is older than five minutes
    (``confirming=True``), also asks for their password or an authenticator code, so that a
    wrong one shows the form again with everything else as typed."""

    def __init__(self, *args, confirming: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.confirming = confirming
        if confirming:
            confirm = ConfirmForm()
            self.fields["password"] = forms.CharField(
                required=False,
                label="Your password",
                help_text="Recording or revoking a sign-off needs your password again, or a "
                "code from your authenticator app if you use two-factor login. It stays "
                "confirmed for five minutes.",
                widget=confirm.fields["password"].widget,
            )
            self.fields["code"] = confirm.fields["code"]

    def clean(self):
        cleaned = super().clean()
        if self.confirming and not cleaned.get("password") and not cleaned.get("code"):
            self.add_error(
                "password", "Enter your password, or a code from your authenticator app."
            )
        return cleaned

    def confirm(self, request):
        """Check the password or code given (even when another field is wrong: confirmed, the
        form shown again asks only for what is missing). Returns a 429 response when guessing
        is over the limit, 403 for a wrong password or code, else None."""
        self.is_valid()
        if not self.confirming or not (
            self.cleaned_data.get("password") or self.cleaned_data.get("code")
        ):
            return None
        if (wait := over_limit(request, "secret")) is not None:
            return too_many(request, wait)
        if not _confirmed(request, self):
            self.add_error("password", "That password or code is not right.")
            return 403
        request.session[REAUTH_KEY] = time.time()
        self.confirming = False
        for key in ("password", "code"):
            self.fields.pop(key)
            self.cleaned_data.pop(key, None)
        return None

    def decision_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("password", "code")}


class SignOffForm(InlineConfirmation):
    """A sign-off decision as the supervisor records it (``services.sign_off_record`` checks
    the rest: who may sign, readiness, the justification, one decision per request). When the
    supervisor's last confirmation is older than five minutes, the same form asks for their
    password or a code (``confirming=True``): a wrong one keeps everything else typed."""

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
        help_text="Required when the decision is not yet. The trainee sees them on their "
        "dashboard.",
    )
    justification = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=3000,
        help_text="Required to sign off a trainee the platform does not yet count as ready.",
    )
    # What the supervisor saw when the form was shown: the request it answers and the
    # trainee's latest record. A second post of the same form is refused, not recorded twice.
    request_id = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    after = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class RevokeForm(InlineConfirmation):
    reason = forms.CharField(
        label="Reason to revoke",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The trainee sees it on their dashboard.",
    )


ERROR_STATUS = {
    supervision_services.NotConfirmed: 403,
    supervision_services.AlreadyDecided: 409,
}


def fresh(request) -> bool:
    """Whether the supervisor confirmed their password (or a code) in the last five minutes."""
    reauth_at = request.session.get(REAUTH_KEY)
    return reauth_at is not None and 0 <= time.time() - reauth_at <= (
        supervision_services.REAUTH_SECONDS
    )


@rate_limit("signoff")
@require_http_methods(["GET", "POST"])
@supervisor_required
def sign_off(request, trainee_id: int):
    person = selectors.assigned_trainee(supervisor=request.user, trainee_id=trainee_id)
    asked = selectors.open_sign_off_request(trainee=person)
    latest = selectors.latest_sign_off_record(trainee=person)
    initial = {"request_id": asked.pk if asked else None, "after": latest.pk if latest else 0}
    form = SignOffForm(request.POST or None, initial=initial, confirming=not fresh(request))
    status = 200
    if request.method == "POST":
        status = 400
        outcome = form.confirm(request)
        if isinstance(outcome, HttpResponse):
            return outcome
        status = outcome or status
        if form.is_valid():
            data = form.decision_data()
            try:
                record = supervision_services.sign_off_record(
                    supervisor=request.user,
                    trainee=person,
                    reauthenticated_at=request.session.get(REAUTH_KEY),
                    request=request,
                    request_id=data.pop("request_id"),
                    after_record_id=data.pop("after"),
                    **data,
                )
            except supervision_services.SignOffError as exc:
                form.add_error(None, str(exc))
                status = ERROR_STATUS.get(type(exc), 400)
            else:
                request.session.pop(REAUTH_KEY, None)
                messages.success(request, f"Sign-off recorded: {record.get_decision_display()}.")
                return redirect("supervision:trainee", trainee_id=person.pk)
    return render(
        request,
        "supervision/sign_off.html",
        {
            "person": person,
            "form": form,
            "asked": asked,
            "two": selectors.sign_off_panel(trainee=person, request=asked),
            "progress": trainee_progress(user=person),
        },
        status=status,
    )


@rate_limit("signoff")
@require_POST
@supervisor_required
def revoke(request, record_id: int):
    """Revoke a competent sign-off, from the trainee's page (the reason, and the password when
    the last confirmation is not recent). What is refused is shown on a page of its own, with
    the reason as typed."""
    record = get_object_or_404(SignOffRecord, pk=record_id)
    person = selectors.assigned_trainee(supervisor=request.user, trainee_id=record.trainee_id)
    form = RevokeForm(request.POST, confirming=not fresh(request))
    outcome = form.confirm(request)
    if isinstance(outcome, HttpResponse):
        return outcome
    status = outcome or 400
    if form.is_valid():
        try:
            supervision_services.sign_off_revoke(
                supervisor=request.user,
                record=record,
                reason=form.cleaned_data["reason"],
                reauthenticated_at=request.session.get(REAUTH_KEY),
                request=request,
            )
        except supervision_services.SignOffError as exc:
            form.add_error(None, str(exc))
            status = ERROR_STATUS.get(type(exc), 400)
        else:
            request.session.pop(REAUTH_KEY, None)
            messages.success(
                request, "The sign-off has been revoked; the revocation is on the record."
            )
            return redirect("supervision:trainee", trainee_id=record.trainee_id)
    return render(
        request,
        "supervision/revoke.html",
        {"person": person, "record": record, "form": form},
        status=status,
    )


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


@rate_limit("signoff")
@login_required
@require_POST
def withdraw_sign_off_request(request):
    """The trainee withdraws their open request (the button beside it on their dashboard)."""
    try:
        supervision_services.sign_off_request_withdraw(trainee=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Your request for sign-off is withdrawn. You can ask again.")
    return redirect("progress:dashboard")

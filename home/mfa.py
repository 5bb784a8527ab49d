"""Failed two-factor codes count like failed passwords: each is audited and counted by
django-axes against the same login (its email address) and address, so five wrong codes lock the
login for ``AXES_COOLOFF_TIME`` as five wrong passwords do; while it is locked no code is
accepted, not even a right one."""

from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm as AllauthAuthenticateForm
from allauth.mfa.signals import authentication_failed
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.dispatch import receiver

from .audit import audit_record, user_label
from .models import AuditEvent

LOCKED = (
    "Too many failed log-in attempts. To protect your account, logging in with these details is "
    "paused for {minutes} minutes. Please wait and try again."
)


def _credentials(user) -> dict:
    return {"email": user.email}


@receiver(authentication_failed)
def _code_failed(sender, request, user, authenticator, reauthentication=False, **kwargs):
    audit_record(
        AuditEvent.Action.MFA_FAILED,
        request=request,
        target=user,
        label=user_label(user.pk),
        reauthentication=bool(reauthentication),
    )
    AxesProxyHandler.user_login_failed(sender, _credentials(user), request)


class AuthenticateForm(AllauthAuthenticateForm):
    """allauth's code form, refusing every code while the login is locked out."""

    def clean_code(self) -> str:
        if AxesProxyHandler.is_locked(context.request, _credentials(self.user)):
            minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
            raise forms.ValidationError(LOCKED.format(minutes=minutes), code="locked")
        return super().clean_code()

"""Ending all of a person's sessions: each login is noted against the person, and deactivating
the account deletes every noted session from the session store (database or Redis alike).

Changing or resetting a password needs nothing here: Django ties each session to a hash of the
password, so the other sessions stop working on their next request.
"""

from importlib import import_module

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from .models import User, UserSession


def end_all_sessions(user) -> int:
    """Delete every session the person logged in with; returns how many were ended."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


@receiver(user_logged_in)
def _note_session(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is None:
        return
    if session.session_key is None:
        session.save()
    UserSession.objects.get_or_create(session_key=session.session_key, defaults={"user": user})


@receiver(user_logged_out)
def _forget_session(sender, request, user, **kwargs):
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        UserSession.objects.filter(session_key=key).delete()


@receiver(pre_save, sender=User)
def _remember_active(sender, instance, update_fields=None, **kwargs):
    if instance.pk and (update_fields is None or "is_active" in update_fields):
        was = User.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()
        instance._was_active = was


@receiver(post_save, sender=User)
def _deactivated(sender, instance, created, **kwargs):
    if not created and getattr(instance, "_was_active", False) and not instance.is_active:
        end_all_sessions(instance)

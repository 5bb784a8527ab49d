"""The mastery policy is read with published content (readiness, thresholds on every
dashboard): an edit moves the shell's content version (``AssessmentsConfig.ready`` calls
``connect``)."""

from django.db.models.signals import post_save

from home.caching import content_changed

from .models import MasteryPolicy


def _policy_saved(sender, created=False, **kwargs) -> None:
    # The policy row is created from the defaults the first time anyone reads it: that changes
    # nothing cached, an edit does.
    if not created:
        content_changed()


def connect() -> None:
    post_save.connect(_policy_saved, sender=MasteryPolicy, dispatch_uid="policy")

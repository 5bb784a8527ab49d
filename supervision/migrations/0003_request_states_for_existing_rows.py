"""Existing sign-off requests get their state: a request followed by a sign-off decision
(competent or not yet, recorded at or after it) is decided, by the first such decision; of the
requests still open, each trainee keeps the earliest (the one their supervisors' box shows as
waiting longest) and the later ones, sent again while it was open, are withdrawn."""

from django.db import migrations
from django.db.models import Q


def states(apps, schema_editor):
    SignOffRequest = apps.get_model("supervision", "SignOffRequest")
    SignOffRecord = apps.get_model("supervision", "SignOffRecord")
    decisions = Q(decision="competent") | Q(decision="not_yet")
    still_open = set()
    for request in SignOffRequest.objects.order_by("trainee_id", "created_at", "id"):
        decision = (
            SignOffRecord.objects.filter(
                decisions, trainee_id=request.trainee_id, created_at__gte=request.created_at
            )
            .order_by("id")
            .first()
        )
        if decision is not None:
            request.status, request.decision, request.closed_at = (
                "decided",
                decision,
                decision.created_at,
            )
        elif request.trainee_id in still_open:
            request.status, request.closed_at = "withdrawn", request.created_at
        else:
            still_open.add(request.trainee_id)
            continue
        request.save(update_fields=["status", "decision", "closed_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0002_request_state_and_signed_names"),
    ]

    operations = [migrations.RunPython(states, migrations.RunPython.noop)]

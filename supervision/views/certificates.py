"""The trainee's sign-offs and certificates, and the public check of a verification code."""

import re

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from supervision.models import SignOffRecord


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
    # Only a competent outcome: not the first of two decisions that must agree, nor advice.
    record = get_object_or_404(
        SignOffRecord.objects.results(),
        pk=record_id,
        trainee=request.user,
        decision=SignOffRecord.Decision.COMPETENT,
    )
    return render(
        request,
        "supervision/certificate.html",
        {"record": record, "name": record.signed_name, **_validity(record)},
    )


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
    # Only a competent outcome is a certificate: a "not yet" record, a revocation, or one of
    # two decisions that was not the outcome answers exactly as an unknown code does (it
    # certifies nothing, and says nothing about anyone).
    record = (
        SignOffRecord.objects.results()
        .filter(verification_code=code, decision=SignOffRecord.Decision.COMPETENT)
        .select_related("trainee")
        .first()
    )
    if record is None:
        return render(
            request, "supervision/verify.html", {"code": code, "unknown": True}, status=404
        )
    validity = _validity(record)
    if not validity["valid"]:
        # Revoked: the page says so and when, and shows nothing more of the certificate.
        return render(request, "supervision/verify.html", {"code": code, **validity})
    return render(
        request,
        "supervision/verify.html",
        {"code": code, "record": record, "name": record.signed_name, **validity},
    )

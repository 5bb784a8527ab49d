"""Everything the platform holds about one person, as plain data (their right of access).
Read-only; the view that serves it writes one audit entry."""

from django.db.models import Q

from assessments.models import Evidence, QuizAnswer, QuizAttempt
from cases.models import VignetteAttempt, VignetteStep
from curriculum.models import LessonCompletion, ReflectionAnswer
from home.models import AuditEvent
from supervision.models import CohortMembership, SignOffRecord, SignOffRequest, SupervisorAssignment


def _rows(queryset, *fields):
    return [
        {f: (v.isoformat() if hasattr(v, "isoformat") else v) for f, v in row.items()}
        for row in queryset.values(*fields)
    ]


def personal_data(user) -> dict:
    return {
        "profile": {
            "email": user.email,
            "display_name": user.display_name,
            "profession": user.profession,
            "speciality": user.speciality,
            "organisation": user.organisation,
            "date_joined": user.date_joined.isoformat(),
            "roles": sorted(user.groups.values_list("name", flat=True)),
        },
        "cohorts": _rows(
            CohortMembership.objects.filter(trainee=user), "cohort__name", "joined_at"
        ),
        "supervisors": _rows(
            SupervisorAssignment.objects.filter(trainee=user),
            "supervisor__display_name",
            "starts_on",
            "ends_on",
        ),
        "lesson_completions": _rows(
            LessonCompletion.objects.filter(user=user), "lesson__title", "completed_at"
        ),
        "reflections": _rows(
            ReflectionAnswer.objects.filter(user=user),
            "lesson__title",
            "block_id",
            "text",
            "updated_at",
        ),
        "quiz_attempts": _rows(
            QuizAttempt.objects.filter(trainee=user),
            "id",
            "quiz__title",
            "status",
            "started_at",
            "submitted_at",
            "score",
            "max_score",
            "passed",
        ),
        "quiz_answers": _rows(
            QuizAnswer.objects.filter(attempt__trainee=user),
            "attempt_id",
            "question_key",
            "response",
            "score",
            "max_score",
            "saved_at",
        ),
        "case_attempts": _rows(
            VignetteAttempt.objects.filter(trainee=user),
            "id",
            "vignette__title",
            "status",
            "started_at",
            "finished_at",
        ),
        "case_steps": _rows(
            VignetteStep.objects.filter(attempt__trainee=user),
            "attempt_id",
            "seq",
            "node",
            "choices",
            "values",
            "scores",
            "maxima",
            "created_at",
        ),
        "evidence": _rows(
            Evidence.objects.filter(trainee=user),
            "element__code",
            "score",
            "max_score",
            "source",
            "item_key",
            "setting__slug",
            "created_at",
        ),
        "sign_off_requests": _rows(
            SignOffRequest.objects.filter(trainee=user), "created_at", "message"
        ),
        "sign_offs": _rows(
            SignOffRecord.objects.filter(trainee=user),
            "decision",
            "level",
            "feedback",
            "next_steps",
            "justification",
            "reason",
            "supervisor__display_name",
            "verification_code",
            "created_at",
        ),
        "audit_entries": _rows(
            AuditEvent.objects.filter(
                Q(actor=user) | Q(target_type="home.User", target_id=str(user.pk))
            ),
            "action",
            "created_at",
            "ip",
            "detail",
        ),
    }

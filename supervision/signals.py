"""How supervision's tables move the shell's caches (``SupervisionConfig.ready`` calls
``connect``): a supervisor sees their trainees (registered with ``home.caching``, so that a
trainee's change moves their supervisors' views and a supervisor's new name shows on their
trainees' pages); an assignment saved or deleted changes who sees whom; a cohort's name and
dates show in supervisors' filters."""

from django.db.models import Q

from home.caching import content_changed, on_save_or_delete, register_viewing, viewing_changed

from .models import Cohort, SupervisorAssignment


def assignment_pairs(person_ids) -> list[tuple[int, int]]:
    """(trainee, supervisor) for every assignment, past, current or future, in which one of
    these people takes part, on either side (one query)."""
    return list(
        SupervisorAssignment.objects.filter(
            Q(trainee_id__in=person_ids) | Q(supervisor_id__in=person_ids)
        ).values_list("trainee_id", "supervisor_id")
    )


def _assignment_changed(sender, instance, **kwargs) -> None:
    viewing_changed([(instance.trainee_id, instance.supervisor_id)])


def connect() -> None:
    register_viewing(assignment_pairs)
    on_save_or_delete(_assignment_changed, SupervisorAssignment)
    on_save_or_delete(content_changed, Cohort)  # rare enough to start all content afresh

"""Read-side queries for supervision. A supervisor sees only the trainees assigned to them
today; everything here starts from that set, so access ends the day an assignment ends.

A package by concern, imports pointing one way: ``assignments`` (who supervises whom, today)
stands alone; ``roster`` (the supervisor's table of trainees) and ``trainee`` (the page about one
trainee) build on it. Views, services, panels and commands import the names below from here.
"""

from .assignments import (
    assigned_trainee,
    cohort_choices,
    cohort_choices_cached,
    current_trainee_ids,
    latest_sign_off_record,
    latest_sign_off_request,
    latest_sign_off_result,
    lead_supervisor_id,
    open_sign_off_request,
    request_decisions,
    sign_off_panel,
    supervisors_for_trainee,
    trainees_for_supervisor,
)
from .kinds import record_kinds
from .observing import open_observation_requests, trainee_observation_requests
from .roster import (
    FILTERS,
    INACTIVE_DAYS,
    OPEN_REQUESTS_SHOWN,
    SORTS,
    inactive_cutoff,
    open_requests,
    rows_for,
    table_context,
    trainee_table,
)
from .trainee import EvidenceRow, trainee_evidence, trainee_summary

__all__ = [
    "FILTERS",
    "INACTIVE_DAYS",
    "OPEN_REQUESTS_SHOWN",
    "SORTS",
    "EvidenceRow",
    "assigned_trainee",
    "cohort_choices",
    "cohort_choices_cached",
    "current_trainee_ids",
    "inactive_cutoff",
    "latest_sign_off_record",
    "latest_sign_off_request",
    "latest_sign_off_result",
    "lead_supervisor_id",
    "open_observation_requests",
    "open_requests",
    "open_sign_off_request",
    "record_kinds",
    "request_decisions",
    "rows_for",
    "sign_off_panel",
    "supervisors_for_trainee",
    "table_context",
    "trainee_evidence",
    "trainee_observation_requests",
    "trainee_summary",
    "trainee_table",
    "trainees_for_supervisor",
]

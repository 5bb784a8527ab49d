"""Supervision models, in layers (each imports only those listed before it):

- ``assignments``: supervisor assignments and cohorts;
- ``requests``: a trainee's request for sign-off;
- ``observing``: a trainee's request to be observed (the observation is ``assessments``');
- ``signoff``: append-only, hash-chained sign-off records (the pure chain is ``supervision.chain``).

They moved here from ``assessments`` and keep their tables (``db_table``); migration
``supervision/0001`` moved them in Django's state only, and their content types with them.
"""

from .assignments import Cohort, CohortMembership, SupervisorAssignment
from .observing import ObservationRequest
from .requests import SignOffRequest
from .signoff import SignedName, SignOffRecord

__all__ = [
    "Cohort",
    "CohortMembership",
    "ObservationRequest",
    "SignOffRecord",
    "SignOffRequest",
    "SignedName",
    "SupervisorAssignment",
]

"""The demo accounts that `make run` prints. Local use only: seed_demo refuses to run unless the
settings allow demo data, and production settings never do."""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

from .models import Profession
from .roles import Role

# Supervisors, educators and administrators must use two-factor login. The demo's staff accounts
# share this authenticator key (base32), printed by `manage.py demo_accounts` with a current code.
DEMO_TOTP_SECRET = "PSYCOMPDEMOTOTPKEYLOCALONLY23456"

DEMO_ACCOUNTS = [
    {
        "role": Role.TRAINEE,
        "email": "trainee@example.com",
        "password": "demo-trainee-2026",
        "display_name": "Tamsin Okafor",
        "profession": Profession.PHYSIOTHERAPIST,
        "speciality": "Stroke rehabilitation",
        "organisation": "Riverside Community Rehabilitation",
    },
    {
        "role": Role.TRAINEE,
        "email": "trainee2@example.com",
        "password": "demo-trainee2-2026",
        "display_name": "Jonah Mensah",
        "profession": Profession.NURSE,
        "speciality": "Renal nursing",
        "organisation": "Riverside Community Rehabilitation",
    },
    {
        "role": Role.SUPERVISOR,
        "email": "supervisor@example.com",
        "password": "demo-supervisor-2026",
        "display_name": "Dr Sam Ellery",
        "profession": Profession.PSYCHOLOGIST,
        "speciality": "Clinical health psychology",
        "organisation": "Riverside Community Rehabilitation",
    },
    {
        "role": Role.EDUCATOR,
        "email": "educator@example.com",
        "password": "demo-educator-2026",
        "display_name": "Priya Nandakumar",
        "profession": Profession.OCCUPATIONAL_THERAPIST,
        "speciality": "Practice education",
        "organisation": "Regional Training Hub",
    },
    {
        "role": Role.ADMINISTRATOR,
        "email": "admin@example.com",
        "password": "demo-admin-2026",
        "display_name": "Alex Morgan",
        "profession": Profession.OTHER,
        "speciality": "Course administration",
        "organisation": "Regional Training Hub",
        "is_superuser": True,
    },
]

# The cohort a newly registered demo trainee joins (seeded by supervision; printed by
# `manage.py demo_accounts`). Its invite code is public: it is the demo's.
DEMO_COHORT = {"name": "Demo cohort", "invite_code": "DEMO-COHORT-2026"}


# How long the demo's history goes back: the demo supervisor supervises both demo trainees from
# this many days before the seeding (supervision.demo_history fills the weeks in between).
DEMO_HISTORY_DAYS = 63


@contextmanager
def demo_clock(moment: datetime.datetime) -> Iterator[None]:
    """Inside the block, Django's clock (``timezone.now`` and everything it serves: field
    defaults, ``auto_now_add``, ``localdate``) reads ``moment`` and runs on from there. For
    seeding the demo's past through the product's own services, so that every stored time,
    the hash-chained ones included, is written once as it would have been on that day. Seeding
    only: nothing else may turn the clock back."""
    real = timezone.datetime
    offset = moment - real.now(datetime.UTC)

    class _Shifted(real):
        @classmethod
        def now(cls, tz=None):
            return real.now(tz) + offset

    timezone.datetime = _Shifted
    try:
        yield
    finally:
        timezone.datetime = real

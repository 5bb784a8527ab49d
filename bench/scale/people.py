"""Who is in the scale dataset: its size (``Scale``), the synthetic accounts, their cohorts
and their supervisors' assignments. Called by ``bench.scale.build``; the benchmark plan
(``bench.plan``) finds the same people again by their email addresses.
"""

import contextlib
import datetime
import random
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import generate_totp_secret
from allauth.mfa.utils import encrypt
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from home.models import User
from home.roles import Role
from supervision.models import Cohort, CohortMembership, SupervisorAssignment

EMAIL_DOMAIN = "bench.example"
# Every synthetic account shares this password (local benchmark databases only).
BENCH_PASSWORD = "bench-password-2026"  # noqa: S105
FIRST = [
    "Aisha",
    "Ben",
    "Chloe",
    "Dev",
    "Elena",
    "Femi",
    "Grace",
    "Hamid",
    "Ines",
    "Jonah",
    "Kiri",
    "Leila",
    "Malik",
    "Nora",
    "Owen",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tom",
    "Uma",
    "Victor",
    "Wen",
    "Yusuf",
    "Zara",
]
LAST = [
    "Adeyemi",
    "Brown",
    "Chen",
    "Davies",
    "Evans",
    "Fischer",
    "Garcia",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Murphy",
    "Nowak",
    "Okafor",
    "Patel",
    "Roberts",
    "Singh",
    "Taylor",
    "Walker",
    "Young",
]


@dataclass(frozen=True)
class Scale:
    trainees: int = 2000
    cohorts: int = 20
    supervisors: int = 50
    attempts: int = 100_000
    days: int = 180
    seed: int = 7

    @property
    def small_supervisor_trainees(self) -> int:
        """How many trainees the second supervisor has (a tenth of all: 200 of 2,000)."""
        return max(1, self.trainees // 10)


def trainee_email(n: int) -> str:
    return f"scale-t{n:05d}@{EMAIL_DOMAIN}"


def supervisor_email(n: int) -> str:
    return f"scale-s{n:03d}@{EMAIL_DOMAIN}"


def existing_trainees() -> int:
    return User.objects.filter(email__startswith="scale-t", email__endswith=EMAIL_DOMAIN).count()


@contextlib.contextmanager
def explicit_timestamps(*models):
    """Let bulk inserts carry their own (historic) times instead of ``auto_now(_add)``."""
    saved = []
    for model in models:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                saved.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def people(scale: Scale, rng: random.Random) -> tuple[list[User], list[User]]:
    """Trainees and supervisors with verified addresses and their roles, the cohorts, and who
    supervises whom. Returns (trainees, supervisors)."""
    password = make_password(BENCH_PASSWORD)
    now = timezone.now()
    joined = now - datetime.timedelta(days=scale.days)

    def person(email, name, profession):
        return User(
            email=email,
            username=email.split("@")[0],
            display_name=name,
            profession=profession,
            password=password,
            date_joined=joined,
        )

    trainees = User.objects.bulk_create(
        person(trainee_email(n), f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}", "nurse")
        for n in range(scale.trainees)
    )
    supervisors = User.objects.bulk_create(
        person(supervisor_email(n), f"Supervisor {rng.choice(LAST)} {n}", "psychologist")
        for n in range(scale.supervisors)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=u, email=u.email, verified=True, primary=True)
        for u in (*trainees, *supervisors)
    )
    memberships = User.groups.through
    for role, group_people in ((Role.TRAINEE, trainees), (Role.SUPERVISOR, supervisors)):
        group = Group.objects.get(name=role.value)
        memberships.objects.bulk_create(memberships(user=u, group=group) for u in group_people)
    # Supervisors must use two-factor login (home.middleware.StaffMFAMiddleware): enrol each with
    # an authenticator of its own, as the set-up page would.
    Authenticator.objects.bulk_create(
        Authenticator(
            user=u, type=Authenticator.Type.TOTP, data={"secret": encrypt(generate_totp_secret())}
        )
        for u in supervisors
    )
    _cohorts_and_assignments(scale, trainees, supervisors, joined)
    return trainees, supervisors


def _cohorts_and_assignments(scale: Scale, trainees, supervisors, joined) -> None:
    cohorts = Cohort.objects.bulk_create(
        Cohort(name=f"Scale cohort {c + 1:02d}", starts_on=joined.date())
        for c in range(scale.cohorts)
    )
    size = -(-len(trainees) // len(cohorts))
    members = {c.pk: trainees[i * size : (i + 1) * size] for i, c in enumerate(cohorts)}
    with explicit_timestamps(CohortMembership, SupervisorAssignment):
        CohortMembership.objects.bulk_create(
            CohortMembership(cohort_id=cid, trainee=t, joined_at=joined)
            for cid, cohort_people in members.items()
            for t in cohort_people
        )
        # The first supervisor leads the programme (every trainee), the second has a tenth of
        # them; the rest share the cohorts.
        pairs = [(supervisors[0], t) for t in trainees]
        if len(supervisors) > 1:
            pairs += [(supervisors[1], t) for t in trainees[: scale.small_supervisor_trainees]]
        for j, supervisor in enumerate(supervisors[2:]):
            cohort = cohorts[j % len(cohorts)]
            pairs += [(supervisor, t) for t in members[cohort.pk]]
        SupervisorAssignment.objects.bulk_create(
            SupervisorAssignment(
                supervisor=s, trainee=t, starts_on=joined.date(), created_at=joined
            )
            for s, t in pairs
        )

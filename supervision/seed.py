"""Demo content owned by ``supervision``: the demo supervisor supervises the two demo trainees,
who have a past (``demo_history``), and a demo cohort that a newly registered trainee can join
with a known code."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from home.demo import DEMO_COHORT, DEMO_HISTORY_DAYS

from . import demo_history, services


def run(log) -> None:
    users = get_user_model().objects
    trainee = users.filter(email="trainee@example.com").first()
    supervisor = users.filter(email="supervisor@example.com").first()
    second = users.filter(email="trainee2@example.com").first()
    if trainee and supervisor:
        since = timezone.localdate() - datetime.timedelta(days=DEMO_HISTORY_DAYS)
        for person in filter(None, (trainee, second)):
            services.supervisor_assign(supervisor=supervisor, trainee=person, starts_on=since)
        log("supervision: the demo supervisor supervises the demo trainees")
        demo_history.run(log, supervisor=supervisor, tamsin=trainee, jonah=second)
    cohort = services.cohort_ensure(**DEMO_COHORT)
    log(f"supervision: the {cohort.name} (invite code {cohort.invite_code})")

"""Demo content owned by ``supervision``: the demo supervisor supervises the demo trainee, and
a demo cohort that a newly registered trainee can join with a known code."""

from django.contrib.auth import get_user_model

from home.demo import DEMO_COHORT

from . import services


def run(log) -> None:
    users = get_user_model().objects
    trainee = users.filter(email="trainee@example.com").first()
    supervisor = users.filter(email="supervisor@example.com").first()
    if trainee and supervisor:
        services.supervisor_assign(supervisor=supervisor, trainee=trainee)
        log("supervision: the demo supervisor supervises the demo trainee")
    cohort = services.cohort_ensure(**DEMO_COHORT)
    log(f"supervision: the {cohort.name} (invite code {cohort.invite_code})")

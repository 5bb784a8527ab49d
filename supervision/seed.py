"""Demo content owned by ``supervision``: the demo supervisor supervises the demo trainee."""

from django.contrib.auth import get_user_model

from . import services


def run(log) -> None:
    users = get_user_model().objects
    trainee = users.filter(email="trainee@example.com").first()
    supervisor = users.filter(email="supervisor@example.com").first()
    if trainee and supervisor:
        services.supervisor_assign(supervisor=supervisor, trainee=trainee)
        log("supervision: the demo supervisor supervises the demo trainee")

"""Demo content owned by `assessments`: the demo supervisor supervises the demo trainee."""

from django.contrib.auth import get_user_model

from . import services


def run(log) -> None:
    User = get_user_model()
    trainee = User.objects.filter(email="trainee@example.com").first()
    supervisor = User.objects.filter(email="supervisor@example.com").first()
    if trainee and supervisor:
        services.supervisor_assign(supervisor=supervisor, trainee=trainee)

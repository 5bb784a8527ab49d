from django.apps import AppConfig


class HomeConfig(AppConfig):
    """Site shell: home page, accounts, profiles and roles. Nothing domain-specific lives here."""

    name = "home"
    verbose_name = "Site and accounts"

    def ready(self):
        from . import audit, mfa, sessions  # noqa: F401 - connect the audit and session receivers
        from .caching import connect

        connect()

from django.apps import AppConfig


class HomeConfig(AppConfig):
    """Site shell: home page, accounts, profiles and roles. Nothing domain-specific lives here."""

    name = "home"
    verbose_name = "Site and accounts"

    def ready(self):
        from . import audit  # noqa: F401 - connects the audit log's signal receivers
        from .caching import connect

        connect()

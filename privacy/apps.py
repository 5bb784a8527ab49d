from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Personal data: a person's download of everything held about them, and the erasure of an
    account by an administrator. Both walk the registry of personal data that every app
    declares on its models (``home.personal_data``), so this app names no table itself. The
    top layer: it may read any app; none imports it."""

    name = "privacy"
    verbose_name = "Privacy"

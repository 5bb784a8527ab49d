from django.apps import AppConfig


class CasesConfig(AppConfig):
    """Branching case vignettes: the pure graph engine, vignette pages and attempts."""

    name = "cases"

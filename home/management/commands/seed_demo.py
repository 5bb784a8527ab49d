"""Build the demo site: home page, demo accounts, the seeded course, cases and question bank.

Idempotent: a second run finds everything in place and changes nothing. Each app contributes
through its own ``<app>/seed.py`` module exposing ``run(log)``, called in the order of
``INSTALLED_APPS`` (our apps are listed lowest layer first), so this command knows no domain app
and every write goes through that app's services.
"""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update


class Command(BaseCommand):
    help = "Create demo content and demo accounts (local use only; idempotent)."

    def handle(self, *args, **options):
        if not getattr(settings, "ALLOW_DEMO_DATA", False):
            raise CommandError(
                "Demo data and demo passwords are for local use only; "
                "these settings do not allow them (ALLOW_DEMO_DATA is off)."
            )

        def log(message: str) -> None:
            self.stdout.write(message)

        # Wagtail refreshes its reference index on every save; the seed saves each page several
        # times (create, revision, publish), so it indexes each object once at the end instead.
        with transaction.atomic(), disable_reference_index_auto_update():
            for app in apps.get_app_configs():
                try:
                    module = import_module(f"{app.name}.seed")
                except ModuleNotFoundError as exc:
                    if exc.name not in (f"{app.name}.seed", app.name.split(".")[0]):
                        raise
                    continue
                module.run(log)
            index_references()
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))


def index_references() -> None:
    """What the auto-update would have written, once per object."""
    for model in apps.get_models():
        if ReferenceIndex.is_indexed(model) and not model._meta.proxy:
            for instance in model._default_manager.all().iterator():
                ReferenceIndex.create_or_update_for_object(instance)

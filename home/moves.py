"""Moving a model from one app to another without touching its data.

A moved model keeps its table (``Meta.db_table``); its migrations change Django's state only
(``state_only``), and ``move_content_types`` relabels its content type in place, so that
everything pointing at the content type by id (permissions, revisions, admin log entries,
audit entries, the search index) keeps pointing at it.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import migrations


def state_only(*operations) -> migrations.SeparateDatabaseAndState:
    """The operations applied to Django's picture of the models, and nothing to the database."""
    return migrations.SeparateDatabaseAndState(state_operations=list(operations))


def move_content_types(from_app: str, to_app: str, models: list[str]) -> migrations.RunPython:
    """A migration operation that relabels ``from_app.<model>`` content types as ``to_app``.

    A content type created meanwhile under the new label (by ``post_migrate`` of a database
    migrated halfway) is merged: the old row, which everything refers to, wins.
    """

    def forwards(apps, schema_editor, source=from_app, target=to_app):
        _relabel(apps, schema_editor.connection.alias, source, target, models)

    def backwards(apps, schema_editor, source=from_app, target=to_app):
        _relabel(apps, schema_editor.connection.alias, target, source, models)

    return migrations.RunPython(forwards, backwards)


def _relabel(apps, alias: str, source: str, target: str, models: list[str]) -> None:
    manager = apps.get_model("contenttypes", "ContentType").objects
    content_types = manager.db_manager(alias)
    for model in models:
        old = content_types.filter(app_label=source, model=model).first()
        if old is None:
            continue  # a fresh database: post_migrate creates it under the new label
        content_types.filter(app_label=target, model=model).delete()
        old.app_label = target
        old.save(update_fields=["app_label"])
    manager.clear_cache()
    ContentType.objects.clear_cache()  # the live model's cache, for the rest of this process

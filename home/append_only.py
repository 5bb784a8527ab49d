"""Append-only records (sign-offs, the audit log): refused updates and deletes at the model and
queryset level here, and by a database trigger created in the owning app's migration
(``append_only_trigger_sql``), so raw SQL is refused too."""

from django.db import models


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("These records are append-only: they are never updated.")

    def delete(self):
        raise AppendOnlyError("These records are append-only: they are never deleted.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("These records are append-only: they are never updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("These records are append-only: they are never deleted.")


def append_only_trigger_sql(vendor: str, table: str) -> tuple[list[str], list[str]]:
    """(forward, reverse) SQL for a trigger that refuses UPDATE and DELETE on ``table``."""
    name = f"{table}_append_only"
    if vendor == "postgresql":  # row triggers: the test runner's TRUNCATE flush still works
        return (
            [
                "CREATE OR REPLACE FUNCTION psycomp_refuse_change() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION 'append-only: % on % is refused', TG_OP, TG_TABLE_NAME; "
                "END; $$ LANGUAGE plpgsql",
                f"CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION psycomp_refuse_change()",
            ],
            [f"DROP TRIGGER IF EXISTS {name} ON {table}"],
        )
    if vendor == "sqlite":
        # UPDATE only: SQLite has no TRUNCATE, so the test runner's flush between transactional
        # tests is a DELETE. Deletes stay refused by the model and queryset guards.
        return (
            [
                f"CREATE TRIGGER {name}_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'append-only: UPDATE on {table} is refused'); END",
            ],
            [f"DROP TRIGGER IF EXISTS {name}_update"],
        )
    return [], []


def install_append_only_trigger(table: str):
    """A migration operation pair for ``migrations.RunPython``."""

    def forward(apps, schema_editor):
        for sql in append_only_trigger_sql(schema_editor.connection.vendor, table)[0]:
            schema_editor.execute(sql, params=None)

    def reverse(apps, schema_editor):
        for sql in append_only_trigger_sql(schema_editor.connection.vendor, table)[1]:
            schema_editor.execute(sql, params=None)

    return forward, reverse

"""The audit log stops holding email addresses: entries name accounts by id and keep a login
typed at the login form only as a keyed hash (home/audit.py). This rewrites the labels already
stored, once; the append-only trigger is lifted for the rewrite and put back at once."""

from django.db import migrations, models

from home.append_only import append_only_trigger_sql

TABLE = "home_auditevent"


def relabel(apps, schema_editor):
    from home.audit import login_pseudonym, user_label

    AuditEvent = apps.get_model("home", "AuditEvent")
    User = apps.get_model("home", "User")
    rows = AuditEvent.objects.exclude(actor_label="").exclude(actor_label__startswith="user ")
    rows = rows.exclude(actor_label__startswith="login ")
    if not rows.exists():
        return
    accounts = {email.lower(): pk for pk, email in User.objects.values_list("pk", "email")}
    forward, reverse = append_only_trigger_sql(schema_editor.connection.vendor, TABLE)
    for sql in reverse:
        schema_editor.execute(sql, params=None)
    for pk, actor_id, label in rows.values_list("pk", "actor_id", "actor_label"):
        account = actor_id or accounts.get(label.strip().lower())
        new = user_label(account) if account else login_pseudonym(label)
        AuditEvent.objects.filter(pk=pk).update(actor_label=new)
    for sql in forward:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("home", "0004_append_only_records")]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="actor_label",
            field=models.CharField(
                blank=True,
                help_text="Who acted, without personal data: 'user <id>', or a keyed hash of "
                "the login typed for a failed login that matches no account.",
                max_length=254,
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("login", "Logged in"),
                    ("login_failed", "Failed login"),
                    ("lockout", "Locked out"),
                    ("sign_off", "Sign-off recorded"),
                    ("revocation", "Sign-off revoked"),
                    ("assignment_change", "Supervisor assignment changed"),
                    ("role_change", "Role changed"),
                    ("data_export", "Data exported"),
                    ("account_erased", "Account erased"),
                ],
                max_length=30,
            ),
        ),
        migrations.RunPython(relabel, migrations.RunPython.noop),
    ]

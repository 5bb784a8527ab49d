"""Administrators manage cohorts and supervisor assignments and may read sign-off records and
the audit log (nobody may change those); educators may view cohorts."""

from django.db import migrations


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")

    def perm(app_label, model, action, verbose):
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        return Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_{model}",
            defaults={"name": f"Can {action} {verbose}"},
        )[0]

    crud = ("add", "change", "delete", "view")
    admin_perms = [perm("assessments", "cohort", a, "cohort") for a in crud]
    admin_perms += [
        perm("assessments", "supervisorassignment", a, "supervisor assignment") for a in crud
    ]
    admin_perms += [
        perm("assessments", "signoffrecord", "view", "sign-off record"),
        perm("home", "auditevent", "view", "audit event"),
    ]
    for group in Group.objects.filter(name="Administrators"):
        group.permissions.add(*admin_perms)
    for group in Group.objects.filter(name="Educators"):
        group.permissions.add(perm("assessments", "cohort", "view", "cohort"))


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0007_cohorts"),
        ("home", "0004_append_only_records"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

"""Administrators edit the mastery policy and the band-to-step mapping; educators may view the
mapping (lessons and vignettes use it)."""

from django.db import migrations


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")

    def perm(model, action, verbose):
        content_type, _ = ContentType.objects.get_or_create(app_label="assessments", model=model)
        return Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_{model}",
            defaults={"name": f"Can {action} {verbose}"},
        )[0]

    admin_perms = [perm("masterypolicy", "change", "mastery policy")]
    admin_perms += [
        perm("stepofcaremapping", action, "step of care mapping")
        for action in ("add", "change", "delete", "view")
    ]
    for group in Group.objects.filter(name="Administrators"):
        group.permissions.add(*admin_perms)
    for group in Group.objects.filter(name="Educators"):
        group.permissions.add(perm("stepofcaremapping", "view", "step of care mapping"))


class Migration(migrations.Migration):
    dependencies = [("assessments", "0002_quizzes_attempts_evidence"), ("home", "0003_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

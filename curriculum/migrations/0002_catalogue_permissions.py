"""Educators and administrators may edit the catalogues (factors, interventions, competency
elements, clinical settings) in the Wagtail admin."""

from django.db import migrations

MODELS = {
    "competencyelement": "competency element",
    "clinicalsetting": "clinical setting",
    "psychosocialfactor": "psychosocial factor",
    "intervention": "intervention",
}
ACTIONS = ("add", "change", "delete", "view")
GROUPS = ("Educators", "Administrators")


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    perms = []
    for model, verbose in MODELS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="curriculum", model=model)
        for action in ACTIONS:
            perm, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {verbose}"},
            )
            perms.append(perm)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    codenames = [f"{a}_{m}" for m in MODELS for a in ACTIONS]
    perms = Permission.objects.filter(content_type__app_label="curriculum", codename__in=codenames)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [("curriculum", "0001_initial"), ("home", "0003_roles")]
    operations = [migrations.RunPython(grant, revoke)]

"""The four roles as groups, with what each may do in the Wagtail admin.

Educators get what Wagtail's own "Editors" group gets (reach the admin, add and edit pages, images
and documents) but no publish right: their pages go through moderation. Administrators get what
"Moderators" get (publish, lock, approve) plus managing users, and they review educators' work in
Wagtail's default moderation workflow. Trainees and supervisors get nothing in the admin.
"""

from django.db import migrations

ROLES = ("Trainees", "Supervisors", "Educators", "Administrators")
USER_PERMS = ("add_user", "change_user", "delete_user")


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ROLES}
    for role, template in (("Educators", "Editors"), ("Administrators", "Moderators")):
        source = Group.objects.filter(name=template).first()
        if source is None:
            continue
        target = groups[role]
        target.permissions.add(*source.permissions.all())
        for gpp in GroupPagePermission.objects.filter(group=source):
            GroupPagePermission.objects.get_or_create(
                group=target, page_id=gpp.page_id, permission_id=gpp.permission_id
            )
        for gcp in GroupCollectionPermission.objects.filter(group=source):
            GroupCollectionPermission.objects.get_or_create(
                group=target, collection_id=gcp.collection_id, permission_id=gcp.permission_id
            )

    user_type, _ = ContentType.objects.get_or_create(app_label="home", model="user")
    for codename in USER_PERMS:
        perm, _ = Permission.objects.get_or_create(
            content_type=user_type,
            codename=codename,
            defaults={"name": f"Can {codename.replace('_', ' ')}"},
        )
        groups["Administrators"].permissions.add(perm)

    for task in GroupApprovalTask.objects.all():
        task.groups.add(groups["Administrators"])


def remove_roles(apps, schema_editor):
    apps.get_model("auth.Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_homepage"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]

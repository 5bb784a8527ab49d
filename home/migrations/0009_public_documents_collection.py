"""The "Public documents" collection: documents an educator puts there download without a login;
every other document is for members (home.wagtail_hooks.members_only_document)."""

from django.db import migrations

NAME = "Public documents"  # home.members.PUBLIC_DOCUMENTS, as it was when this ran
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's, as Wagtail's collections use
STEPLEN = 4


def _step(number: int) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, "0")


def create(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    root = Collection.objects.filter(depth=1).order_by("path").first()
    if root is None or Collection.objects.filter(name=NAME, depth=2).exists():
        return
    children = Collection.objects.filter(depth=2, path__startswith=root.path)
    last = children.order_by("-path").values_list("path", flat=True).first()
    number = int(last[-STEPLEN:], len(ALPHABET)) + 1 if last else 1
    Collection.objects.create(name=NAME, depth=2, path=root.path + _step(number), numchild=0)
    root.numchild = children.count()
    root.save(update_fields=["numchild"])


def remove(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    public = Collection.objects.filter(name=NAME, depth=2, numchild=0).first()
    if (
        public is None
        or apps.get_model("wagtaildocs", "Document").objects.filter(collection=public).exists()
    ):
        return
    public.delete()
    root = Collection.objects.filter(depth=1).order_by("path").first()
    root.numchild = Collection.objects.filter(depth=2, path__startswith=root.path).count()
    root.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0008_mfa_failed_and_plain_names"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create, remove)]

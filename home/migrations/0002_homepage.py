import django.db.models.deletion
import wagtail.fields
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.CreateModel(
            name="HomePage",
            fields=[
                (
                    "page_ptr",
                    models.OneToOneField(
                        auto_created=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        serialize=False,
                        to=settings.WAGTAIL_PAGE_MODEL,
                    ),
                ),
                (
                    "lead",
                    models.CharField(help_text="One sentence under the title.", max_length=255),
                ),
                (
                    "competency_statement",
                    models.TextField(help_text="The competency in the words the curriculum uses."),
                ),
                ("intro", wagtail.fields.RichTextField()),
                (
                    "features",
                    wagtail.fields.StreamField(
                        [("feature", 2)],
                        blank=True,
                        block_lookup={
                            0: ("wagtail.blocks.CharBlock", (), {"max_length": 80}),
                            1: ("wagtail.blocks.TextBlock", (), {"max_length": 400}),
                            2: ("wagtail.blocks.StructBlock", [[("heading", 0), ("text", 1)]], {}),
                        },
                    ),
                ),
            ],
            options={
                "abstract": False,
            },
            bases=("wagtailcore.page",),
        ),
    ]

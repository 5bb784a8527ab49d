"""The competency framework and its taxonomies (Wagtail snippets) that lessons, quizzes,
vignettes and evidence all refer to.

Educators edit them under the admin's "Catalogues" menu (see ``wagtail_hooks.py``). Slugs and
codes are stable identifiers: quizzes, vignettes and evidence rows keep pointing at them.

The tables keep the names they had when these models lived in ``curriculum`` (``db_table``): the
move (migration ``competencies/0001``) changed where the code lives, not the data.
"""

import json

from django import forms
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class LinesWidget(forms.Textarea):
    """A JSON list of strings edited as one item per line, so that an educator never types
    JSON; blank lines are dropped."""

    def format_value(self, value):
        try:
            items = json.loads(value) if isinstance(value, str) else value
        except ValueError:
            return value
        if isinstance(items, list):
            return "\n".join(str(item) for item in items)
        return value

    def value_from_datadict(self, data, files, name):
        text = data.get(name)
        if text is None:
            return None
        return json.dumps([line.strip() for line in text.splitlines() if line.strip()])


class CompetencyElement(index.Indexed, models.Model):
    """One element of the recognise-and-identify competency (for example *elicit*).

    Every lesson, question and vignette step says which elements it evidences. What a
    supervisor looks for (``indicative_behaviours``, ``not_yet``) and the further reading live
    on the element's own row, so every page that lists the elements shows them without another
    query.
    """

    code = models.SlugField(max_length=40, unique=True, help_text="Stable; never renamed.")
    name = models.CharField(max_length=120)
    description = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)
    indicative_behaviours = models.JSONField(
        default=list,
        blank=True,
        help_text="What a supervisor would see or hear in practice, one per line.",
    )
    not_yet = models.JSONField(
        default=list,
        blank=True,
        help_text="Practice that falls short of the element, one per line (optional).",
    )
    further_reading = models.JSONField(
        default=list,
        blank=True,
        help_text='A list of {"cite": "Author, year", "note": "why to read it"}; the cite is '
        "written as in the course's Sources lines.",
    )

    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("order"),
        FieldPanel("indicative_behaviours", widget=LinesWidget(attrs={"rows": 7})),
        FieldPanel("not_yet", widget=LinesWidget(attrs={"rows": 3})),
        FieldPanel("further_reading"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        db_table = "curriculum_competencyelement"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class ClinicalSetting(index.Indexed, models.Model):
    """Where care happens (stroke rehabilitation, renal, primary care...). Evidence from several
    settings shows the competency travels beyond one kind of patient."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)

    panels = [FieldPanel("slug"), FieldPanel("name"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        db_table = "curriculum_clinicalsetting"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FactorKind(models.TextChoices):
    PSYCHOLOGICAL = "psychological", "Psychological"
    SOCIAL = "social", "Social"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class PsychosocialFactor(index.Indexed, models.Model):
    """An emotional, cognitive or social influence on illness and recovery, with the questions a
    clinician can ask to bring it to light."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=FactorKind.choices)
    definition = models.TextField()
    examples = models.TextField(blank=True, help_text="One example per line.")
    questions = models.TextField(
        blank=True, help_text="Questions a clinician can ask to elicit it, one per line."
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("definition"),
        FieldPanel("examples"),
        FieldPanel("questions"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("definition"),
        index.AutocompleteField("name"),
        index.FilterField("kind"),
    ]

    class Meta:
        db_table = "curriculum_psychosocialfactor"
        ordering = ["kind", "name"]
        verbose_name = "psychosocial factor"

    def __str__(self) -> str:
        return self.name

    @property
    def example_list(self) -> list[str]:
        return _lines(self.examples)

    @property
    def question_list(self) -> list[str]:
        return _lines(self.questions)


class InterventionKind(models.TextChoices):
    PSYCHOLOGICAL = "psychological", "Psychological"
    SOCIAL = "social", "Social"
    MIND_BODY = "mind_body", "Mind-body"
    CAREGIVER = "caregiver", "Caregiver"
    SERVICE = "service", "Service-level"


class InterventionIntensity(models.TextChoices):
    LOW = "low", "Low intensity"
    HIGH = "high", "High intensity"


class Intervention(index.Indexed, models.Model):
    """Something that may help: what it is, how intense, which factors it targets, and what the
    evidence honestly says."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=InterventionKind.choices)
    intensity = models.CharField(max_length=10, choices=InterventionIntensity.choices)
    targets = models.ManyToManyField(PsychosocialFactor, related_name="interventions", blank=True)
    summary = models.TextField(help_text="Plain language, as you might explain it to a patient.")
    evidence = models.TextField(help_text="What the evidence says, briefly and honestly.")

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("intensity"),
        FieldPanel("targets", widget=forms.CheckboxSelectMultiple),
        FieldPanel("summary"),
        FieldPanel("evidence"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("summary"),
        index.AutocompleteField("name"),
        index.FilterField("kind"),
        index.FilterField("intensity"),
    ]

    class Meta:
        db_table = "curriculum_intervention"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

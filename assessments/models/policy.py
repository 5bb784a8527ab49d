"""Rules that are data: the mastery policy and the band-to-step-of-care mapping."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from ..engine import mastery


@register_setting(icon="tick-inverse")
class MasteryPolicy(BaseGenericSetting):
    """How much evidence, from how many settings, at what average, counts as mastery of an
    element. Administrators change it under Settings; the dashboard explains it to trainees."""

    min_items = models.PositiveSmallIntegerField(
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="N: distinct questions or case steps needed per element.",
    )
    min_settings = models.PositiveSmallIntegerField(
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="K: distinct clinical settings the evidence must come from.",
    )
    threshold_percent = models.PositiveSmallIntegerField(
        default=70,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="The average score (percent) an element must reach.",
    )

    observations_needed = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(20)],
        help_text="Observations needed per element: direct observations of practice, each "
        "rated at least the entrustment level below, before a trainee is ready. 0: none.",
    )
    observation_level = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="The entrustment level (1-5) an observation must reach to count.",
    )

    supervisors_needed = models.PositiveSmallIntegerField(
        default=1,
        choices=[(1, "One supervisor"), (2, "Two supervisors")],
        help_text="How many of the trainee's current supervisors decide on a request for sign-off.",
    )
    sign_off_rule = models.CharField(
        max_length=20,
        default=mastery.ALL_AGREE,
        choices=[
            (mastery.ALL_AGREE, "All must agree"),
            (mastery.LEAD_DECIDES, "The lead supervisor decides"),
        ],
        help_text="With two supervisors: either both must decide competent (a 'not yet' from "
        "either closes the request as not yet), or the lead supervisor's decision counts and "
        "the other's is advice. The lead is the supervisor assigned to the trainee first.",
    )

    panels = [
        FieldPanel("min_items"),
        FieldPanel("min_settings"),
        FieldPanel("threshold_percent"),
        FieldPanel("observations_needed"),
        FieldPanel("observation_level"),
        FieldPanel("supervisors_needed"),
        FieldPanel("sign_off_rule"),
    ]

    class Meta:
        verbose_name = "mastery policy"

    def as_policy(self) -> mastery.Policy:
        return mastery.Policy(
            min_items=self.min_items,
            min_settings=self.min_settings,
            threshold=self.threshold_percent / 100,
            observations_needed=self.observations_needed,
            observation_level=self.observation_level,
            supervisors_needed=self.supervisors_needed,
            sign_off_rule=self.sign_off_rule,
        )


class StepOfCareMapping(models.Model):
    """Which step of care a screening band suggests. A local convention, so it is data, with
    its source shown wherever it is used."""

    instrument = models.CharField(
        max_length=20,
        choices=[("phq9", "PHQ-9"), ("gad7", "GAD-7"), ("start_back", "STarT Back")],
    )
    band = models.CharField(max_length=40)
    step = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    suggestion = models.CharField(max_length=300)
    source = models.CharField(max_length=300)

    panels = [
        FieldPanel("instrument"),
        FieldPanel("band"),
        FieldPanel("step"),
        FieldPanel("suggestion"),
        FieldPanel("source"),
    ]

    class Meta:
        ordering = ["instrument", "step", "band"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "band"], name="one_step_per_band")
        ]

    def __str__(self) -> str:
        return f"{self.get_instrument_display()} {self.band}: step {self.step}"

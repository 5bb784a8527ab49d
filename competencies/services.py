"""Writes to the competency framework and its taxonomies: one upsert per catalogue, used by the
seed, content importers and tests alike. Slugs and codes are the stable keys."""

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import ClinicalSetting, CompetencyElement, Intervention, PsychosocialFactor


def element_upsert(*, code: str, name: str, description: str, order: int) -> CompetencyElement:
    element, _ = CompetencyElement.objects.update_or_create(
        code=code, defaults={"name": name, "description": description.strip(), "order": order}
    )
    return element


def setting_upsert(*, slug: str, name: str, description: str = "") -> ClinicalSetting:
    setting, _ = ClinicalSetting.objects.update_or_create(
        slug=slug, defaults={"name": name, "description": description.strip()}
    )
    return setting


def factor_upsert(*, slug, name, kind, definition, examples=(), questions=()) -> PsychosocialFactor:
    factor, _ = PsychosocialFactor.objects.update_or_create(
        slug=slug,
        defaults={
            "name": name,
            "kind": kind,
            "definition": definition.strip(),
            "examples": "\n".join(e.strip() for e in examples),
            "questions": "\n".join(q.strip() for q in questions),
        },
    )
    return factor


@transaction.atomic
def intervention_upsert(
    *, slug, name, kind, intensity, summary, evidence, targets=()
) -> Intervention:
    intervention, _ = Intervention.objects.update_or_create(
        slug=slug,
        defaults={
            "name": name,
            "kind": kind,
            "intensity": intensity,
            "summary": summary.strip(),
            "evidence": evidence.strip(),
        },
    )
    factors = list(PsychosocialFactor.objects.filter(slug__in=targets))
    missing = set(targets) - {f.slug for f in factors}
    if missing:
        raise ValidationError(f"{slug}: unknown factors {sorted(missing)}")
    intervention.targets.set(factors)
    return intervention

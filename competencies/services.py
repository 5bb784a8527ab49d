"""Writes to the competency framework and its taxonomies: one upsert per catalogue, used by the
seed, content importers and tests alike. Slugs and codes are the stable keys."""

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import ClinicalSetting, CompetencyElement, Intervention, PsychosocialFactor


def _clean_lines(code: str, label: str, items) -> list[str]:
    """Stripped, non-empty and unique: a blank or repeated behaviour is a reviewer's slip that
    would show as an empty bullet or a duplicate on every page listing the element."""
    cleaned = [str(item).strip() for item in items]
    if any(not item for item in cleaned):
        raise ValidationError(f"{code}: an empty item in {label}")
    if len(set(cleaned)) != len(cleaned):
        raise ValidationError(f"{code}: a repeated item in {label}")
    return cleaned


def _clean_reading(code: str, items) -> list[dict]:
    reading = []
    for item in items:
        cite, note = str(item.get("cite", "")).strip(), str(item.get("note", "")).strip()
        if not cite or not note:
            raise ValidationError(f"{code}: further reading needs a cite and a note")
        reading.append({"cite": cite, "note": note})
    return reading


def element_upsert(
    *,
    code: str,
    name: str,
    description: str,
    order: int,
    indicative_behaviours=(),
    not_yet=(),
    further_reading=(),
) -> CompetencyElement:
    element, _ = CompetencyElement.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "description": description.strip(),
            "order": order,
            "indicative_behaviours": _clean_lines(
                code, "indicative behaviours", indicative_behaviours
            ),
            "not_yet": _clean_lines(code, "not yet", not_yet),
            "further_reading": _clean_reading(code, further_reading),
        },
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

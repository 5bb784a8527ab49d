"""Reads of the competency framework, for every app above this one."""

import functools

from django.core.exceptions import ValidationError

from home.caching import for_content

from . import citations
from .models import CompetencyElement, Intervention, PsychosocialFactor


def elements_in_order() -> list[CompetencyElement]:
    """The competency elements in their order (cached until a catalogue changes)."""
    return for_content("elements", lambda: list(CompetencyElement.objects.order_by("order")))


def elements_by_code(codes) -> list[CompetencyElement]:
    """The elements with these codes; a clear error naming any code that is unknown (content
    importers call this, so a typo in a YAML file is reported, not skipped)."""
    elements = list(CompetencyElement.objects.filter(code__in=codes))
    missing = set(codes) - {e.code for e in elements}
    if missing:
        raise ValidationError(f"Unknown competency elements: {sorted(missing)}")
    return elements


def element_choices() -> list[tuple[str, str]]:
    """(code, name) of every element: the choices of an editor's element field."""
    return list(CompetencyElement.objects.values_list("code", "name"))


def element_names() -> dict[str, str]:
    """Element names by code."""
    return dict(element_choices())


def factor_choices() -> list[tuple[str, str]]:
    """(slug, name) of every psychosocial factor: the choices of an editor's factor field."""
    return list(PsychosocialFactor.objects.values_list("slug", "name"))


def intervention_choices() -> list[tuple[str, str]]:
    """(slug, name) of every intervention: the choices of an editor's intervention field."""
    return list(Intervention.objects.values_list("slug", "name"))


@functools.cache
def bibliography() -> citations.Bibliography:
    """The central bibliography. It is a file shipped with the code, not editable data, so
    it is read once per process."""
    return citations.load()

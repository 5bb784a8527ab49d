"""The seeded course: catalogues and the eight modules, read from ``content/`` (YAML written for
clinicians to review) and built through ``curriculum.services``. Idempotent."""

from pathlib import Path

import yaml

from home.models import HomePage

from . import services

CONTENT = Path(__file__).resolve().parent / "content"
INDEX = {
    "title": "The course",
    "slug": "course",
    "intro": (
        "<p>Eight modules take you from the biopsychosocial model to the habits of a "
        "psychosocially competent clinician. Work through them in order, or start where your "
        "practice needs it most.</p>"
    ),
}


def _load(name: str):
    with (CONTENT / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_catalogues() -> None:
    for element in _load("elements.yaml"):
        services.element_upsert(
            code=element["code"],
            name=element["name"],
            description=element["description"],
            order=element["order"],
        )
    for setting in _load("settings.yaml"):
        services.setting_upsert(**setting)
    for factor in _load("factors.yaml"):
        services.factor_upsert(**factor)
    for intervention in _load("interventions.yaml"):
        services.intervention_upsert(**intervention)


def module_specs():
    """(module spec, [lesson specs]) in course order, from the folders under content/modules."""
    for folder in sorted(p for p in (CONTENT / "modules").iterdir() if p.is_dir()):
        module = yaml.safe_load((folder / "module.yaml").read_text(encoding="utf-8"))
        lessons = [
            yaml.safe_load(path.read_text(encoding="utf-8"))
            for path in sorted(folder.glob("*.yaml"))
            if path.name != "module.yaml"
        ]
        yield module, lessons


def run(log) -> None:
    load_catalogues()
    home = HomePage.objects.first()
    if home is None:
        return
    index = services.curriculum_index_import(parent=home, **INDEX)
    for m, (module_spec, lesson_specs) in enumerate(module_specs()):
        module = services.module_import(index=index, spec=module_spec)
        for n, lesson_spec in enumerate(lesson_specs):
            # The very first lesson of the course is the visitors' taster.
            services.lesson_import(module=module, spec=lesson_spec, taster=(m == 0 and n == 0))

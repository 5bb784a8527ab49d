"""The seeded course: the eight modules with their lessons, read from ``content/`` (YAML
written for clinicians to review) and built through ``curriculum.services``, and each module's
quiz from the question bank (``assessments.seed``). Idempotent."""

from pathlib import Path

import yaml

from assessments import importing
from assessments.seed import quiz_specs
from home.models import HomePage

from . import services
from .models import ModulePage

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


def lesson_files(folder: Path) -> list[Path]:
    """A module folder's lesson files, in order (every YAML file but ``module.yaml``)."""
    return [path for path in sorted(folder.glob("*.yaml")) if path.name != "module.yaml"]


def module_specs():
    """(module spec, [(lesson file, lesson spec)]) in course order, from the folders under
    content/modules. The file (relative to the app) names the lesson in import errors."""
    app = CONTENT.parent
    for folder in sorted(p for p in (CONTENT / "modules").iterdir() if p.is_dir()):
        module = yaml.safe_load((folder / "module.yaml").read_text(encoding="utf-8"))
        lessons = [
            (str(path.relative_to(app.parent)), yaml.safe_load(path.read_text(encoding="utf-8")))
            for path in lesson_files(folder)
        ]
        yield module, lessons


def run(log) -> None:
    home = HomePage.objects.first()
    if home is None:
        return
    index = services.curriculum_index_import(parent=home, **INDEX)
    for m, (module_spec, lesson_specs) in enumerate(module_specs()):
        module = services.module_import(index=index, spec=module_spec)
        for n, (source, lesson_spec) in enumerate(lesson_specs):
            # The very first lesson of the course is the visitors' taster.
            services.lesson_import(
                module=module, spec=lesson_spec, taster=(m == 0 and n == 0), source=source
            )
    modules = {m.slug: m for m in ModulePage.objects.descendant_of(index)}
    for name, spec in quiz_specs():
        module = modules.get(spec["module"])
        if module is not None:
            importing.quiz_import(module=module, spec=spec, source=name)
    log(f"curriculum: {len(modules)} modules, with their lessons and quizzes")

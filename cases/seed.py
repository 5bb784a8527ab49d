"""The seeded case vignettes, read from ``content/vignettes`` and built through
``cases.services``. Idempotent: an unchanged file writes nothing."""

from home.models import HomePage

from . import content, services

INDEX = {
    "title": "Cases",
    "slug": "cases",
    "intro": (
        "<p>Branching cases from across health and rehabilitation. Meet the person, decide what to "
        "ask, notice what is shaping their recovery and choose what might help. Every choice is "
        "scored for the competency, and every ending has a debrief.</p>"
    ),
}


def run(log) -> None:
    home = HomePage.objects.first()
    if home is None:
        return
    index = services.case_index_ensure(home=home, **INDEX)
    for path in content.vignette_files():
        spec = content.load(path)
        errors, _ = content.problems(spec)
        if errors:
            raise ValueError(f"{path.name} is not valid: {'; '.join(errors)}")
        services.vignette_import(index=index, spec=spec, source=path.name)
    log(f"cases: {len(content.vignette_files())} vignettes")

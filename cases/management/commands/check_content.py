from pathlib import Path

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessments.seed import CONTENT as QUIZ_CONTENT
from cases import content, cues
from competencies import citations
from competencies.seed import CONTENT as CATALOGUES

# The lessons' folder, by path: cases and curriculum never import each other.
LESSONS = Path(settings.BASE_DIR) / "curriculum" / "content" / "modules"


def _specs(folder: Path) -> list[tuple[str, dict]]:
    return [
        (path.stem, yaml.safe_load(path.read_text(encoding="utf-8")))
        for path in sorted(folder.glob("*.yaml"))
    ]


def _citation_findings(quizzes: Path, vignettes: Path, lessons: Path) -> list[cues.Finding]:
    """Every citation in the quizzes, cases, lessons and catalogues names one bibliography entry
    (tests/competencies/test_bibliography.py holds the same rule in the test suite)."""
    catalogues = [p for p in CATALOGUES.glob("*.yaml") if p.name != "bibliography.yaml"]
    paths = [*quizzes.glob("*.yaml"), *vignettes.glob("*.yaml"), *lessons.glob("*/*.yaml")]
    documents = [(p.name, yaml.safe_load(p.read_text(encoding="utf-8"))) for p in sorted(paths)]
    documents += [(p.name, yaml.safe_load(p.read_text(encoding="utf-8"))) for p in catalogues]
    problems = citations.problems_in(citations.load(), documents)
    where = f"{len(documents)} files"
    if not problems:
        return [cues.Finding("citations", where, "every citation names one entry", False)]
    return [cues.Finding("citations", where, problem, True) for problem in problems]


class Command(BaseCommand):
    help = (
        "Report cue patterns in the quiz bank and the cases (the key longest, the same number "
        "of keys, the same harmful option, wording that points at the answer), and every "
        "citation that names no single bibliography entry; fails on any."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quizzes", type=Path, default=QUIZ_CONTENT / "quizzes")
        parser.add_argument("--vignettes", type=Path, default=content.CONTENT / "vignettes")
        parser.add_argument("--lessons", type=Path, default=LESSONS)

    def handle(self, *args, quizzes, vignettes, lessons, **options):
        findings = cues.check_bank(_specs(quizzes), _specs(vignettes))
        findings += _citation_findings(quizzes, vignettes, lessons)
        for finding in findings:
            style = self.style.ERROR if finding.failed else self.style.SUCCESS
            status = style("FAIL" if finding.failed else "ok")
            self.stdout.write(f"{status} {finding.check} · {finding.where}: {finding.message}")
        failed = [f for f in findings if f.failed]
        if failed:
            raise CommandError(f"{len(failed)} of {len(findings)} checks failed.")
        summary = f"{len(findings)} checks, no cue pattern found, no unknown citation."
        self.stdout.write(self.style.SUCCESS(summary))

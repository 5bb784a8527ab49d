from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError

from assessments.seed import CONTENT as QUIZ_CONTENT
from cases import content, cues


def _specs(folder: Path) -> list[tuple[str, dict]]:
    return [
        (path.stem, yaml.safe_load(path.read_text(encoding="utf-8")))
        for path in sorted(folder.glob("*.yaml"))
    ]


class Command(BaseCommand):
    help = (
        "Report cue patterns in the quiz bank and the cases (the key longest, the same number "
        "of keys, the same harmful option, wording that points at the answer); fails on any."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quizzes", type=Path, default=QUIZ_CONTENT / "quizzes")
        parser.add_argument("--vignettes", type=Path, default=content.CONTENT / "vignettes")

    def handle(self, *args, quizzes, vignettes, **options):
        findings = cues.check_bank(_specs(quizzes), _specs(vignettes))
        for finding in findings:
            style = self.style.ERROR if finding.failed else self.style.SUCCESS
            status = style("FAIL" if finding.failed else "ok")
            self.stdout.write(f"{status} {finding.check} · {finding.where}: {finding.message}")
        failed = [f for f in findings if f.failed]
        if failed:
            raise CommandError(f"{len(failed)} of {len(findings)} checks found cue patterns.")
        self.stdout.write(self.style.SUCCESS(f"{len(findings)} checks, no cue pattern found."))

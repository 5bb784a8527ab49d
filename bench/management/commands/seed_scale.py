"""Build the benchmark's dataset: the demo course plus thousands of trainees with history.

Local and benchmark databases only (refused unless the settings allow demo data). Refuses to run
twice on one database: the benchmark builds a dedicated database and reuses it.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench import scale


class Command(BaseCommand):
    help = "Create a large synthetic dataset for the benchmark (local use only)."

    def add_arguments(self, parser):
        defaults = scale.Scale()
        parser.add_argument("--trainees", type=int, default=defaults.trainees)
        parser.add_argument("--cohorts", type=int, default=defaults.cohorts)
        parser.add_argument("--supervisors", type=int, default=defaults.supervisors)
        parser.add_argument(
            "--attempts", type=int, default=defaults.attempts, help="finalised attempts in all"
        )
        parser.add_argument("--days", type=int, default=defaults.days, help="history length")
        parser.add_argument("--seed", type=int, default=defaults.seed)
        parser.add_argument(
            "--check",
            type=int,
            default=0,
            metavar="N",
            help="afterwards, replay N trainees' evidence through evidence_record and compare",
        )

    def handle(self, *args, **options):
        if not getattr(settings, "ALLOW_DEMO_DATA", False):
            raise CommandError(
                "Synthetic data is for local and benchmark databases only; "
                "these settings do not allow it (ALLOW_DEMO_DATA is off)."
            )
        wanted = scale.Scale(
            trainees=options["trainees"],
            cohorts=options["cohorts"],
            supervisors=options["supervisors"],
            attempts=options["attempts"],
            days=options["days"],
            seed=options["seed"],
        )
        if wanted.trainees < 1 or wanted.cohorts < 1 or wanted.supervisors < 2:
            raise CommandError("Give at least 1 trainee, 1 cohort and 2 supervisors.")
        if wanted.attempts < 0 or wanted.days < 1:
            raise CommandError("Attempts cannot be negative and the history needs a day or more.")
        found = scale.existing_trainees()
        if found:
            self.stdout.write(f"Scale data already present ({found} trainees): nothing to do.")
        else:
            started = time.perf_counter()
            counts = scale.build(wanted, self.stdout.write)
            seconds = time.perf_counter() - started
            counts.pop("timings")
            summary = ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in counts.items())
            self.stdout.write(self.style.SUCCESS(f"Built in {seconds:.0f} s: {summary}."))
        if options["check"]:
            problems = scale.replay_check(sample=options["check"])
            if problems:
                raise CommandError("Summaries differ from a replay: " + "; ".join(problems))
            self.stdout.write(
                self.style.SUCCESS(
                    f"Summaries of {options['check']} trainees equal a replay through "
                    "evidence_record."
                )
            )

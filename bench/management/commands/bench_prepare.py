"""Prepare the benchmark's plan against the current database (called by ``bench/run.py``)."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench.plan import prepare, profile


class Command(BaseCommand):
    help = "Write the benchmark plan: URLs, sessions, queries per request, valid submissions."

    def add_arguments(self, parser):
        parser.add_argument("--out", default="bench/results")
        parser.add_argument("--posts", type=int, default=5000, help="valid POSTs to prepare")
        parser.add_argument(
            "--people", type=int, default=4, help="trainees for the cold runs (one a connection)"
        )
        parser.add_argument(
            "--profile",
            default="",
            help="profile one endpoint instead (<endpoint>:cold: each request after a write)",
        )

    def handle(self, *args, **options):
        if not getattr(settings, "ALLOW_DEMO_DATA", False):
            raise CommandError("The benchmark runs on benchmark databases only.")
        out = Path(options["out"])
        if options["profile"]:
            plan = json.loads((out / "plan.json").read_text())
            try:
                target = profile(name=options["profile"], plan=plan, out=out)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"Profile written to {target}")
            return
        plan = prepare(out=out, posts_needed=options["posts"], cold_people=options["people"])
        self.stdout.write(json.dumps({e["name"]: e["queries"] for e in plan["endpoints"]}))

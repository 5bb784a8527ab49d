from django.core.management.base import BaseCommand, CommandError

from cases import content, engine


class Command(BaseCommand):
    help = "Validate the seeded vignettes in cases/content/vignettes: errors, warnings and bounds."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="Only these files (default: all).")

    def handle(self, *args, files, **options):
        paths = [
            p for p in content.vignette_files() if not files or p.name in files or str(p) in files
        ]
        failed = 0
        for path in paths:
            try:
                spec = content.load(path)
            except Exception as exc:
                self.stdout.write(self.style.ERROR(f"{path.name}: cannot read: {exc}"))
                failed += 1
                continue
            errors, warnings = content.problems(spec)
            status = self.style.ERROR("ERRORS") if errors else self.style.SUCCESS("ok")
            self.stdout.write(f"{path.name}: {status} ({len(spec.get('nodes') or [])} nodes)")
            for message in errors:
                self.stdout.write(self.style.ERROR(f"  error: {message}"))
            for message in warnings:
                self.stdout.write(self.style.WARNING(f"  warning: {message}"))
            if errors:
                failed += 1
                continue
            graph = content.graph_of(spec)
            bounds = engine.score_bounds(graph)
            self.stdout.write(
                "  bounds: " + ", ".join(f"{e} {b.worst:g}-{b.best:g}" for e, b in bounds.items())
            )
            # A recognise node credits each recognise element only for factors of its kind, so
            # a listed element with no such factor present anywhere can earn nothing.
            if uncredited := [e for e, b in bounds.items() if b.best == 0]:
                self.stdout.write(
                    self.style.WARNING(
                        "  credits nothing for: "
                        + ", ".join(uncredited)
                        + " (no node can award it;"
                        " for a recognise element, no factor of its kind is present)"
                    )
                )
        if failed:
            raise CommandError(f"{failed} of {len(paths)} vignettes have errors.")
        self.stdout.write(self.style.SUCCESS(f"{len(paths)} vignettes valid."))

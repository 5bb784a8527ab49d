from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark's side of Django (development only): the scale dataset (``seed_scale``),
    the plan ``bench/run.py`` drives (``bench_prepare``) and the middleware of its cold runs
    (``bench.middleware``, in the bench settings only). Installed by the bench, dev and test
    settings only; production never has it, and no other app imports it (import-linter
    holds that)."""

    name = "bench"
    verbose_name = "Benchmark (development only)"

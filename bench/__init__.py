"""The benchmark: ``run.py`` (the driver ``make bench`` runs as a script, no Django), ``wrk.lua``
(the load generator's script) and a development-only Django app (``BenchConfig``) with the
scale dataset and the plan. Nothing else imports it."""

"""The benchmark. The driver ``make bench`` runs (``python -m bench.run``, with ``report`` and
``servers``; no Django in any of them), ``wrk.lua`` (the load generator's script), and a
development-only Django app (``BenchConfig``): the scale dataset, the plan and the cold runs'
middleware. Nothing else imports it."""

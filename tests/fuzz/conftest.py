"""The fuzzing suite's world (built once per module, rolled back at the end) and its figures.

The figures (examples tried, server errors, records changed by rejected requests, access
violations, leaks) are printed at the end of the session and written to ``.fuzz-report.json``.
"""

import json
import os
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import transaction

from .endpoints import build_endpoints, build_fuzz_world
from .harness import FIGURES

REPORT = Path(__file__).resolve().parents[2] / os.environ.get("FUZZ_REPORT", ".fuzz-report.json")


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker):
    """One world for every endpoint: each test runs inside it (pytest-django's own savepoint),
    and each example inside a savepoint of its own, so all start from the same rows."""
    with django_db_blocker.unblock(), transaction.atomic():
        cache.clear()
        world = build_fuzz_world()
        world["endpoints"] = {e.name: e for e in build_endpoints(world)}
        yield world
        transaction.set_rollback(True)
    cache.clear()


def pytest_terminal_summary(terminalreporter):
    if not FIGURES:
        return
    from django.db import connection

    rows = {name: figures.as_dict() for name, figures in sorted(FIGURES.items())}
    totals = {
        key: sum(r[key] for r in rows.values())
        for key in (
            "examples",
            "server_errors",
            "records_changed_by_rejected_requests",
            "access_violations",
            "leaks",
        )
    }
    write = terminalreporter.write_line
    terminalreporter.section(f"fuzzing figures ({connection.vendor})")
    write(f"{'endpoint':44} {'examples':>8} {'rejected':>8} {'5xx':>5} {'changed':>7} "
          f"{'access':>6} {'leaks':>5}")  # fmt: skip
    for name, r in rows.items():
        write(
            f"{name:44} {r['examples']:>8} {r['rejected']:>8} {r['server_errors']:>5} "
            f"{r['records_changed_by_rejected_requests']:>7} {r['access_violations']:>6} "
            f"{r['leaks']:>5}"
        )
    write(
        f"{'TOTAL (' + str(len(rows)) + ' endpoints)':44} {totals['examples']:>8} {'':>8} "
        f"{totals['server_errors']:>5} {totals['records_changed_by_rejected_requests']:>7} "
        f"{totals['access_violations']:>6} {totals['leaks']:>5}"
    )
    report = {
        "database": connection.vendor,
        "fuzz_examples": int(os.environ.get("FUZZ_EXAMPLES", "0") or 0) or None,
        "totals": totals,
        "endpoints": rows,
    }
    REPORT.write_text(json.dumps(report, indent=2, default=str))
    write(f"written to {REPORT.name}")

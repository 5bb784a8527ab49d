#!/usr/bin/env bash
# The long crash run behind `make crash`: the worker-kill test with many more kills (300 by
# default, CRASH_KILLS) and the database-outage test against gunicorn, on SQLite and then on
# PostgreSQL (TEST_DATABASE_URL, default 127.0.0.1:5432) when it answers. Prints the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/psycomp}
export CRASH_KILLS=${CRASH_KILLS:-300} CRASH_SECONDS=${CRASH_SECONDS:-400}
TESTS=(tests/reliability/test_worker_kill.py tests/reliability/test_served_outage.py)

printf '\n== crash run on SQLite: %s kills\n' "$CRASH_KILLS"
env -u DATABASE_URL $PY -m pytest "${TESTS[@]}" -q -s

if $PY -c 'import sys, psycopg; psycopg.connect(sys.argv[1], connect_timeout=3).close()' \
    "${PG_URL%/*}/postgres" 2>/dev/null; then
  printf '\n== crash run on PostgreSQL (%s): %s kills\n' "$PG_URL" "$CRASH_KILLS"
  DATABASE_URL="$PG_URL" $PY -m pytest "${TESTS[@]}" -q -s
else
  echo "PostgreSQL is not reachable at $PG_URL: only the SQLite run was made." >&2
  exit 1
fi

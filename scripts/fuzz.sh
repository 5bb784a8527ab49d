#!/usr/bin/env bash
# The fuzzing suite at full strength (called by `make fuzz`): FUZZ_EXAMPLES examples per endpoint
# (2,000 unless set) on SQLite, then FUZZ_POSTGRES_EXAMPLES (800 unless set, to stay within an
# hour in all; 2000 for a full pass) on PostgreSQL when it is reachable (FUZZ_POSTGRES=0 skips
# it). Each pass prints its figures and writes them to .fuzz-report-<database>.json.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/psycomp}
export FUZZ_EXAMPLES=${FUZZ_EXAMPLES:-2000}
status=0

printf '\n== fuzzing on SQLite (%s examples per endpoint)\n' "$FUZZ_EXAMPLES"
FUZZ_REPORT=.fuzz-report-sqlite.json env -u DATABASE_URL $PY -m pytest tests/fuzz -q "$@" || status=$?

pg_up() { $PY scripts/pg_reachable.py "$PG_URL"; }

if [ "${FUZZ_POSTGRES:-1}" = "0" ]; then
  echo "FUZZ_POSTGRES=0: the PostgreSQL pass is skipped."
elif pg_up; then
  pg_examples=${FUZZ_POSTGRES_EXAMPLES:-800}
  printf '\n== fuzzing on PostgreSQL (%s examples per endpoint)\n' "$pg_examples"
  FUZZ_EXAMPLES=$pg_examples FUZZ_REPORT=.fuzz-report-postgresql.json DATABASE_URL="$PG_URL" \
    TEST_DB_NAME=${TEST_DB_NAME:-psycomp_test_fuzz} \
    $PY -m pytest tests/fuzz -q "$@" || status=$?
else
  echo "PostgreSQL is not reachable: only the SQLite pass ran." >&2
fi
exit $status

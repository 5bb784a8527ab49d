#!/usr/bin/env bash
# The whole suite: lint, the architecture's contracts, Django checks, then pytest on SQLite and
# on PostgreSQL.
# Called by `make test` once the environment is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/psycomp}

step() { printf '\n== %s\n' "$*"; }

step "ruff (lint and format)"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

step "import-linter (the architecture's contracts in .importlinter)"
.venv/bin/lint-imports --no-cache

step "manage.py check and makemigrations --check"
DJANGO_SETTINGS_MODULE=psycomp.settings.dev $PY manage.py check --fail-level WARNING
DJANGO_SETTINGS_MODULE=psycomp.settings.dev $PY manage.py makemigrations --check --dry-run

step "check --deploy under the production settings (example environment values)"
DJANGO_SETTINGS_MODULE=psycomp.settings.production \
  SECRET_KEY="$($PY -c 'import secrets; print(secrets.token_urlsafe(60))')" \
  ALLOWED_HOSTS=psychosocial.example.org \
  DATABASE_URL=postgres://app@db.example.org:5432/psycomp \
  REDIS_URL=redis://127.0.0.1:6379/0 \
  $PY manage.py check --deploy --fail-level WARNING

step "collectstatic with the manifest storage that make run and production use"
DJANGO_SETTINGS_MODULE=psycomp.settings.serve $PY manage.py collectstatic --noinput -v0

# The two pytest passes run side by side (two cores): SQLite in the background with its output
# kept in a log, PostgreSQL in the foreground. TEST_SERIAL=1 runs them one after the other.
LOGDIR=$(mktemp -d)
trap 'rm -rf "$LOGDIR"' EXIT

sqlite_pass() {
  # Tests marked postgres (concurrent row locking) are deselected here (tests/conftest.py) and
  # run on the PostgreSQL pass.
  env -u DATABASE_URL TEST_MEDIA_ROOT="$LOGDIR/media-sqlite" $PY -m pytest "$@"
}

pg_pass() {
  # Database-free tests (engines, scoring, instruments) run on the SQLite pass only.
  DATABASE_URL="$PG_URL" TEST_MEDIA_ROOT="$LOGDIR/media-pg" $PY -m pytest -m "not nodb" "$@"
}

pg_up() { $PY scripts/pg_reachable.py "$PG_URL"; }

if ! pg_up; then
  if [ "${CI:-}" = "true" ]; then
    echo "CI requires PostgreSQL on 127.0.0.1:5432, and it is not reachable." >&2
    exit 1
  fi
  step "pytest on SQLite"
  sqlite_pass "$@"
  printf '\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n' >&2
  printf '!! PostgreSQL is not running on 127.0.0.1:5432: ONLY the SQLite pass ran.\n' >&2
  printf '!! CI runs both. Start PostgreSQL and run `make test` again.\n' >&2
  printf '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n' >&2
  exit 0
fi

if [ "${TEST_SERIAL:-}" = "1" ]; then
  step "pytest on SQLite"
  sqlite_pass "$@"
  step "pytest on PostgreSQL ($PG_URL)"
  pg_pass "$@"
  exit 0
fi

step "pytest on SQLite (in the background; its output follows the PostgreSQL pass)"
sqlite_pass "$@" >"$LOGDIR/sqlite.log" 2>&1 &
sqlite_pid=$!
step "pytest on PostgreSQL ($PG_URL)"
pg_status=0
pg_pass "$@" || pg_status=$?
sqlite_status=0
wait "$sqlite_pid" || sqlite_status=$?
step "pytest on SQLite: its output"
cat "$LOGDIR/sqlite.log"
step "results: SQLite pass exit $sqlite_status, PostgreSQL pass exit $pg_status"
[ "$sqlite_status" -eq 0 ] && [ "$pg_status" -eq 0 ]

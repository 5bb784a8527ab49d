#!/usr/bin/env bash
# The whole suite: lint, Django checks, then pytest on SQLite and on PostgreSQL.
# Called by `make test` once the environment is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/psycomp}

step() { printf '\n== %s\n' "$*"; }

step "ruff (lint and format)"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

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

step "pytest on SQLite"
# Tests marked postgres (concurrent row locking) are deselected here (tests/conftest.py) and
# run on the PostgreSQL pass below.
env -u DATABASE_URL $PY -m pytest "$@"

pg_up() { $PY scripts/pg_reachable.py "$PG_URL"; }

if pg_up; then
  step "pytest on PostgreSQL ($PG_URL)"
  # Database-free tests (engines, scoring, instruments) already ran on the SQLite pass.
  DATABASE_URL="$PG_URL" $PY -m pytest -m "not nodb" "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "CI requires PostgreSQL on 127.0.0.1:5432, and it is not reachable." >&2
  exit 1
else
  printf '\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n' >&2
  printf '!! PostgreSQL is not running on 127.0.0.1:5432: ONLY the SQLite pass ran.\n' >&2
  printf '!! CI runs both. Start PostgreSQL and run `make test` again.\n' >&2
  printf '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n' >&2
fi

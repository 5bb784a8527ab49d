#!/usr/bin/env bash
# The upgrade rehearsal (README, "Backups"), from scratch: the code of OLD (default cc73cbc, the
# commit before the models moved between apps) builds a used site and backs it up; this code
# restores the archive into an empty database, migrates it, verifies the sign-off chains, and
# checks that nothing was lost against what the old code recorded (tests/upgrade.py), printing
# each table's rows before and after. Everything happens in a temporary folder, removed after.
#
#   scripts/rehearse-upgrade.sh                    # on SQLite files
#   PG_URL=postgres://postgres@127.0.0.1:5432/psycomp_rehearsal scripts/rehearse-upgrade.sh
#                                                  # on PostgreSQL: <name>_old, _new, _fresh
#   scripts/rehearse-upgrade.sh --write-test-data  # also replace the archive that
#                                                  # tests/home/test_upgrade_rehearsal.py restores
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
PY=$REPO/.venv/bin/python
OLD=${OLD:-cc73cbc}
WORK=$(mktemp -d)

if [ -n "${PG_URL:-}" ]; then
  VENDOR=postgresql
  SERVER=${PG_URL%/*}
  NAME=${PG_URL##*/}
  OLD_URL=$SERVER/${NAME}_old NEW_URL=$SERVER/${NAME}_new FRESH_URL=$SERVER/${NAME}_fresh
  databases() {  # drop the three databases, then create those named
    for db in "${NAME}_old" "${NAME}_new" "${NAME}_fresh"; do
      psql "$SERVER/postgres" -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)"
    done
    for db in "$@"; do psql "$SERVER/postgres" -qc "CREATE DATABASE \"$db\""; done
  }
else
  VENDOR=sqlite
  OLD_URL=sqlite:///$WORK/old.sqlite3 NEW_URL=sqlite:///$WORK/new.sqlite3
  FRESH_URL=sqlite:///$WORK/fresh.sqlite3
  databases() { :; }
fi

cleanup() {
  git worktree remove --force "$WORK/old" 2>/dev/null || true
  databases
  rm -rf "$WORK"
}
trap cleanup EXIT

OUT=$WORK
if [ "${1:-}" = "--write-test-data" ]; then
  OUT=$REPO/tests/home/data/upgrade-cc73cbc
fi
ARCHIVE=$OUT/$VENDOR.tar.gz
step() { printf '\n== %s\n' "$*"; }

step "the code of $OLD, in $WORK/old"
git worktree add --detach "$WORK/old" "$OLD" >/dev/null
[ -d node_modules ] && ln -s "$REPO/node_modules" "$WORK/old/node_modules"
databases "${NAME:-}_old" "${NAME:-}_fresh"

step "the old code: migrate, seed_demo, a term's activity, backup to $ARCHIVE"
(cd "$WORK/old" && DJANGO_SETTINGS_MODULE=psycomp.settings.dev DATABASE_URL=$OLD_URL \
  "$PY" "$REPO/scripts/rehearsal/make_old_backup.py" --output "$ARCHIVE")

# The test settings: the media folder can be put aside (TEST_MEDIA_ROOT) and the cache is the
# process's own, as on a site whose Redis is emptied by the deploy.
export DJANGO_SETTINGS_MODULE=psycomp.settings.test TEST_MEDIA_ROOT=$WORK/media
step "this code: restore into an empty database, then migrate"
DATABASE_URL=$NEW_URL "$PY" manage.py restore "$ARCHIVE"
DATABASE_URL=$NEW_URL "$PY" manage.py migrate
DATABASE_URL=$NEW_URL "$PY" manage.py verify_signoffs

step "this code: a fresh database, to compare schemas with"
DATABASE_URL=$FRESH_URL "$PY" manage.py migrate -v0

step "what the upgrade kept"
DATABASE_URL=$NEW_URL "$PY" -m tests.upgrade "${ARCHIVE%.tar.gz}.json" "$FRESH_URL"

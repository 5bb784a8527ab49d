# Two commands: `make run` serves the demo site, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
SERVE := DJANGO_SETTINGS_MODULE=psycomp.settings.serve

.PHONY: install run demo-code test crash fuzz mutation lint format lock bench clean backup restore audit

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Python 3.12 or newer is needed (found %s). With pyenv, .python-version selects 3.12." % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --upgrade pip
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(VENV)/.installed node_modules/.installed

run: install
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py createcachetable
	$(PY) manage.py seed_demo
	$(SERVE) $(PY) manage.py collectstatic --noinput -v0
	@echo
	@$(PY) manage.py demo_accounts
	@printf '\nServing on http://127.0.0.1:%s/  (Ctrl+C to stop)\nEmail sent by the demo (its inbox): http://127.0.0.1:%s/demo/mail/\n\n' $(PORT) $(PORT)
	$(SERVE) $(VENV)/bin/gunicorn psycomp.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile -

# The demo staff accounts' current two-factor code (they share one demo authenticator key).
demo-code: install
	@$(PY) manage.py demo_accounts --code

test: install
	@scripts/ensure-chromium.sh
	scripts/test.sh

# The long crash run: gunicorn workers killed 300 times mid-request, then every attempt checked.
crash: install
	scripts/crash.sh

# The fuzzing suite at full strength (make test runs it small): see "Fuzzing" in README.md.
fuzz: install
	scripts/fuzz.sh

# Mutation testing of the pure rules (README, "Mutation testing"); not part of `make test`.
# MODULE=assessments.engine.scoring runs one module.
mutation: install
	$(PY) scripts/mutation.py $(if $(MODULE),--module $(MODULE))

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Re-resolve the pins from requirements.in into requirements.txt.
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/pip install --quiet -r requirements.in
	(echo '# Every package pinned: generated from requirements.in by `make lock`. Install with `make install`.'; .lockenv/bin/pip freeze) > requirements.txt
	rm -rf .lockenv

# Backups (README, "Backups"): one tar.gz with the database, media and a checked manifest.
# OUT=path chooses the file; `make restore FILE=...` needs an empty database (FORCE=1 replaces).
backup: install
	$(PY) manage.py backup $(if $(OUT),--output "$(OUT)")

restore: install
	@test -n "$(FILE)" || { echo "Say which archive: make restore FILE=backups/psycomp-....tar.gz" >&2; exit 2; }
	$(PY) manage.py restore "$(FILE)" $(if $(FORCE),--force)

# Known vulnerabilities in the pinned packages (pip-audit; exceptions in audit-exceptions.txt).
# Needs the network; not part of `make test` or CI.
audit: install
	$(PY) scripts/audit.py


# The benchmark (bench/run.py): SCALE=small for a quick run, BENCH_PROFILE=<endpoint> to profile
# one page (<endpoint>:cold: right after a write), DATABASE_URL=postgres://... to run on
# PostgreSQL. Installs wrk when run as root.
SCALE ?= full
bench: install
	SCALE=$(SCALE) $(PY) -m bench.run

clean:
	rm -rf $(VENV) node_modules staticfiles .test-media db.sqlite3

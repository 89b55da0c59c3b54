# The two commands: `make run` (the whole stack with a sample partnership) and `make test` (every suite).
# Both install what is missing first. See README.md.
SHELL := /bin/bash
PY := .venv/bin/python
INFRA_ENV = eval "$$(scripts/infra.sh env)"

.PHONY: help install run stop test unit integration e2e bench bench-scale bench-figures bench-privacy catalogue lock screenshots mail clean

help:
	@echo "make run       start Kafka, FerretDB and the services; load the sample partnership"
	@echo "make stop      stop everything make run started"
	@echo "make test      every suite (unit, integration, end to end) against real Kafka and FerretDB"
	@echo "make bench     the benchmarks: ratios to bare baselines, measured in one run"
	@echo "make bench-scale  the scale bench: 1x, 10x, 30x the sample's year over as many partnerships"
	@echo "make bench-figures  the as-of figures' cost at 1x, 10x, 30x partnerships stored, and at 1, 5, 10 years of one"
	@echo "make bench-privacy  the privacy guard's cost on crafted free text, beside a bare scan"
	@echo "make catalogue regenerate docs/catalogue from the event contracts"
	@echo "make screenshots  refresh docs/screenshots from the pages make run serves (signed in as the sample readers)"
	@echo "make lock      re-resolve requirements*.lock from pyproject.toml"
	@echo "make mail      list the emails the notifier sent to the local mail sink (after make run)"

.venv/.installed: requirements-dev.lock pyproject.toml
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.lock
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

install: .venv/.installed
	scripts/infra.sh install

run: install
	scripts/infra.sh start
	$(INFRA_ENV) && scripts/services.sh start && $(PY) -m sample

stop:
	scripts/services.sh stop
	scripts/infra.sh stop

test: install
	scripts/test.sh

unit: .venv/.installed
	$(PY) -m pytest tests/unit -q

integration e2e: install
	scripts/test.sh tests/$@

bench: install
	scripts/infra.sh start
	$(INFRA_ENV) && $(PY) -m bench

bench-scale: install  # on FerretDB-PostgreSQL, with the GIN indexes the services make for themselves
	scripts/infra.sh start
	$(INFRA_ENV) && $(PY) -m bench.scale --markdown $${FERRETDB_POSTGRESQL_URL:+--gin-indexes}

bench-figures: install  # the strategy, reviews and training JSON figures as the deployment, and one partnership's history, grow
	scripts/infra.sh start
	$(INFRA_ENV) && $(PY) -m bench.figures --markdown && $(PY) -m bench.figures --years 1,5,10 --markdown

bench-privacy: .venv/.installed  # pure: no servers
	$(PY) -m bench.privacy --markdown

screenshots: .venv/.installed  # after make run: what a reader sees, in headless Chromium
	$(PY) scripts/screenshots.py

catalogue: .venv/.installed
	$(PY) -m shared.events.catalogue

lock: .venv/.installed  # re-resolve the locks after editing pyproject.toml's dependencies
	$(PY) -m pip install -q --disable-pip-version-check uv
	.venv/bin/uv pip compile -q pyproject.toml -o requirements.lock --python-version 3.11
	.venv/bin/uv pip compile -q pyproject.toml --extra dev -o requirements-dev.lock --python-version 3.11

mail:  # the notices the notifier sent, as the local mail sink keeps them (.local/mail/new/, a maildir)
	@$(PY) -c "import email, email.policy as p, mailbox; \
	  box = mailbox.Maildir('.local/mail', factory=lambda f: email.message_from_binary_file(f, policy=p.default), create=False); \
	  [print(m['Date'].datetime.strftime('%Y-%m-%d %H:%M'), m['To'], m['Subject'], sep=' | ') for m in sorted(box, key=lambda m: m['Date'].datetime)]" \
	  2>/dev/null || echo "no mail yet: make run starts the sink and the notifier"

clean: stop
	scripts/infra.sh reset
	rm -rf .local .venv

# Advieslijn-assistent. The two set-up commands are `make run` and `make test`; see README.md.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# Rasa's command line with the project's patches (patches/__main__.py): the one way we start Rasa.
RASA := $(PY) -m patches
MODEL := models/advieslijn.tar.gz
TRAINING_INPUTS := config.yml $(wildcard domain/*.yml) $(wildcard build/e5/e5-small-int8.onnx.hash) $(shell find data components -type f -not -path '*/__pycache__/*' 2>/dev/null)
export TF_CPP_MIN_LOG_LEVEL := 3
export PYTHONDONTWRITEBYTECODE := 1
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
# Rasa 3.6's dependencies print many deprecation warnings that say nothing about this project.
export PYTHONWARNINGS := ignore::DeprecationWarning

.PHONY: run run-scaled test test-fast lint install train shell validate eval eval-cv bench bench-scaled bench-turns bench-abuse web screenshots clean \
	staff staff-user report export-nlu

## run: install what is missing, train if needed, start the bot and the demo page
run: install $(MODEL) web
	@scripts/run_bot.sh

## run-scaled: the production topology here: nginx on RASA_PORT, REPLICAS (2) Rasa servers, two
## action servers, Redis for trackers and locks (installs nginx and redis-server on first use)
REPLICAS ?= 2
export REPLICAS
run-scaled: install $(MODEL) web
	@scripts/ensure_services.sh
	@$(PY) -m harness.run_scaled

## test: install what is missing, train if needed, lint and type-check, run every test
test: install $(MODEL) web
	@scripts/run_tests.sh

## test-fast: lint, type-check and the tests that need no server or model (seconds), B1 check included
test-fast: install lint
	@$(PY) -m pytest -q tests/unit tests/actions tests/b1

## lint: ruff (classic rules, ruff.toml) over the repo and mypy over actions/ (mypy.ini)
lint: install
	@$(VENV)/bin/ruff check --quiet . && echo "lint: ruff clean"
	@$(VENV)/bin/mypy && echo "lint: mypy clean"

## install: create .venv and install the Python packages and the Dutch spaCy pipeline
install:
	@scripts/setup.sh

## train: train the model if config, domain or data changed
train: install $(MODEL)

$(MODEL): $(VENV)/.installed $(TRAINING_INPUTS)
	@echo "train: spaCy pipeline: $$($(PY) scripts/spacy_pipeline.py which)"
	@start=$$(date +%s); $(RASA) train --domain domain --fixed-model-name advieslijn --out models --quiet && \
	  echo "train: done in $$(( $$(date +%s) - start )) s"
	@touch $(MODEL)

## shell: chat with the bot in the terminal (starts the action server for the session)
shell: install $(MODEL)
	@scripts/shell.sh

## validate: Rasa's data validation
validate: install
	$(RASA) data validate --domain domain --fail-on-warnings

## eval: NLU quality report (ours, the previous counts-only pipeline and Rasa's default; both held-out sets) in reports/
eval: install $(MODEL)
	$(PY) -m benchmarks.nlu_eval

## eval-cv: quick loop for tuning data or config: 5-fold CV only (CONFIG=config.yml), no held-out set
CONFIG ?= config.yml
eval-cv: install
	$(PY) -m benchmarks.nlu_eval --cv-only $(CONFIG)

## bench: latency/throughput benchmark (ours and the baseline) in reports/
bench: install $(MODEL)
	$(PY) -m benchmarks.load_bench

## bench-turns: ms per turn at turn 5, 50 and 500 of one conversation, ours and stock Rasa
bench-turns: install $(MODEL)
	$(PY) -m benchmarks.turn_cost

## bench-scaled: 1 replica vs 2 behind nginx (throughput, p50/p95/p99 at 10 and 50), and five
## messages of one conversation at once with our lock store and with Rasa's
bench-scaled: install $(MODEL)
	@scripts/ensure_services.sh
	$(PY) -m benchmarks.replicas
	$(PY) -m benchmarks.lock_race

## bench-abuse: a parent's p50 while another client floods nginx (issue 10; not pass/fail)
bench-abuse: install $(MODEL)
	$(PY) -m benchmarks.abuse

## web: build the chat widget into web/dist (npm only)
web:
	@scripts/build_web.sh

## staff: the staff page for the advice line's volunteers on http://127.0.0.1:5006/medewerkers/
## (local development: cookie without Secure; store: ADVIESLIJN_STORE_URL or var/advieslijn.sqlite)
staff: install
	$(PY) -m staff serve --dev

## staff-user: create a staff account or set a new password (NAME=name; asks the password twice);
## ADMIN=1 makes it an admin (reads the audit log), ADMIN=0 takes that away (existing account: no password asked)
staff-user: install
	@test -n "$(NAME)" || { echo "usage: make staff-user NAME=name [ADMIN=1|0]"; exit 2; }
	@$(PY) -m staff user "$(NAME)" $(if $(ADMIN),--admin "$(ADMIN)")

## report: weekly insight as HTML with PNG charts in reports/insight/
report: install
	$(PY) -m insight.report

## export-nlu: labelled fallback messages as Rasa NLU YAML in reports/review/nlu_review.yml (never data/)
export-nlu: install
	$(PY) -m insight.export_nlu

## screenshots: the README's widget and staff-page pictures (docs/screenshots/*.png), from the browser tests' pages
screenshots: install $(MODEL) web
	@scripts/run_tests.sh -q tests/browser/test_widget_a11y.py tests/browser/test_widget_offline.py tests/browser/test_staff_page.py \
	  --screenshots-dir docs/screenshots

clean:
	rm -rf models/*.tar.gz reports build web/dist

# Advieslijn-assistent. The two set-up commands are `make run` and `make test`; see README.md.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# Rasa's command line with the project's patches (patches/__main__.py): the one way we start Rasa.
RASA := $(PY) -m patches
MODEL := models/advieslijn.tar.gz
TRAINING_INPUTS := config.yml $(wildcard domain/*.yml) $(shell find data components -type f -not -path '*/__pycache__/*' 2>/dev/null)
export TF_CPP_MIN_LOG_LEVEL := 3
export PYTHONDONTWRITEBYTECODE := 1
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
# Rasa 3.6's dependencies print many deprecation warnings that say nothing about this project.
export PYTHONWARNINGS := ignore::DeprecationWarning

.PHONY: run test test-fast lint install train shell validate eval eval-cv bench bench-turns web screenshots clean

## run: install what is missing, train if needed, start the bot and the demo page
run: install $(MODEL) web
	@scripts/run_bot.sh

## test: install what is missing, train if needed, lint and type-check, run every test
test: install $(MODEL) web
	@scripts/run_tests.sh

## test-fast: lint, type-check and the tests that need no server or model (seconds)
test-fast: install lint
	@$(PY) -m pytest -q tests/unit tests/actions

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

## web: build the chat widget into web/dist (npm only)
web:
	@scripts/build_web.sh

## screenshots: the README's widget pictures (docs/screenshots/*.png), from the browser tests' pages
screenshots: install $(MODEL) web
	@scripts/run_tests.sh -q tests/browser/test_widget_a11y.py tests/browser/test_widget_offline.py \
	  --screenshots-dir docs/screenshots

clean:
	rm -rf models/*.tar.gz reports build web/dist

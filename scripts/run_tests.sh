#!/usr/bin/env bash
# Run every check: ruff and mypy, then every test: unit, action, Rasa checks, servers over REST and
# socket.io, and the browser.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -x tests/browser/ensure_browser.sh ]]; then
  tests/browser/ensure_browser.sh
fi
scripts/ensure_postgres.sh
.venv/bin/ruff check --quiet . && echo "lint: ruff clean"
.venv/bin/mypy && echo "lint: mypy clean"
exec .venv/bin/python -m pytest "$@"

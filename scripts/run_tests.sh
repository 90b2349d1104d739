#!/usr/bin/env bash
# Run every test: unit, action, Rasa checks, servers over REST and socket.io, and the browser.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -x tests/browser/ensure_browser.sh ]]; then
  tests/browser/ensure_browser.sh
fi
exec .venv/bin/python -m pytest "$@"

#!/usr/bin/env bash
# Start the action server, the Rasa server and the demo page on loopback; stop all with Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m harness.run_bot "$@"

#!/usr/bin/env bash
# Chat with the bot in the terminal: starts the action server and Rasa's shell (REST channel).
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m harness.shell "$@"

#!/usr/bin/env bash
# Build the chat widget into web/dist with npm only (npm ci from the lock file, then the build).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f web/package.json ]]; then
  echo "web: no widget yet (web/package.json missing); skipping"
  exit 0
fi
command -v npm >/dev/null || { echo "web: npm is needed to build the widget (apt-get install npm)" >&2; exit 1; }
stamp=web/node_modules/.ci-stamp
want=$(sha256sum web/package-lock.json | cut -c1-16)
if [[ ! -f $stamp || "$(cat "$stamp")" != "$want" ]]; then
  npm --prefix web ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
npm --prefix web run --silent build

#!/usr/bin/env bash
# Make the end-to-end browser tests runnable on a fresh Debian machine, idempotently:
#   1. Debian's Chromium at /usr/bin/chromium (apt; never a browser download from elsewhere),
#      which Playwright for Python (requirements.txt) drives through executable_path,
#   2. the widget's npm packages in web/node_modules (npm ci from web/package-lock.json: the
#      widget's build needs them, and axe-core runs in the page for the accessibility scan).
# Run by scripts/run_tests.sh and by the browser tests' web_site fixture (tests/browser/conftest.py).
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() { echo "ensure_browser: $*" >&2; exit 1; }

if [[ ! -x /usr/bin/chromium ]]; then
  command -v apt-get >/dev/null || fail "/usr/bin/chromium is missing and apt-get is not available"
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || fail "/usr/bin/chromium is missing; install it as root: apt-get install chromium"
    sudo="sudo"
  fi
  echo "ensure_browser: installing Debian's chromium with apt-get"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
[[ -x /usr/bin/chromium ]] || fail "apt-get did not install /usr/bin/chromium"

command -v node >/dev/null || fail "node is needed (apt-get install nodejs npm)"
command -v npm >/dev/null || fail "npm is needed (apt-get install npm)"

# Same stamp as scripts/build_web.sh: npm ci runs again only when the lock file changed.
stamp=web/node_modules/.ci-stamp
want=$(sha256sum web/package-lock.json | cut -c1-16)
if [[ ! -f $stamp || "$(cat "$stamp")" != "$want" ]]; then
  echo "ensure_browser: npm ci in web/"
  npm --prefix web ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

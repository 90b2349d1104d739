#!/usr/bin/env bash
# Make the scaled topology runnable on a fresh Debian machine, idempotently: Debian's nginx and
# redis-server (apt; nothing downloaded from elsewhere). Neither is started as a system service:
# harness/scaled.py starts both on private loopback ports with the project's own settings.
# Run by `make run-scaled`, `make bench-scaled` and the tests in tests/runtime.
set -euo pipefail

fail() { echo "ensure_services: $*" >&2; exit 1; }

missing=()
[[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
[[ -x /usr/bin/redis-server ]] || missing+=(redis-server)
((${#missing[@]} == 0)) && exit 0

command -v apt-get >/dev/null || fail "${missing[*]} missing and apt-get is not available"
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || fail "${missing[*]} missing; install as root: apt-get install ${missing[*]}"
  sudo="sudo"
fi
# Keep apt from starting the packages' system services (port 80, port 6379): a policy-rc.d that
# refuses, only for this install and only when the machine has none of its own.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee $policy >/dev/null && $sudo chmod +x $policy && own_policy=1
fi
trap 'if [[ $own_policy == 1 ]]; then $sudo rm -f $policy; fi' EXIT
echo "ensure_services: installing ${missing[*]} with apt-get"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
[[ -x /usr/sbin/nginx && -x /usr/bin/redis-server ]] || fail "apt-get did not install nginx and redis-server"

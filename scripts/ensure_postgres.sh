#!/usr/bin/env bash
# Start the machine's PostgreSQL 15 (Debian package) if it is not running, and create a role and a
# database of the same name, idempotently. Needs root (CI and these machines run as root).
#   ADVIESLIJN_PG_DB        role and database (default: ADVIESLIJN_TEST_PG_DB or advieslijn_test,
#                           the storage tests' database); make run-scaled uses advieslijn
#   ADVIESLIJN_PG_PASSWORD  the role's password (default: the role's name, for tests only); set on
#                           every run, so a changed password takes effect
set -euo pipefail
DB=${ADVIESLIJN_PG_DB:-${ADVIESLIJN_TEST_PG_DB:-advieslijn_test}}
PASSWORD=${ADVIESLIJN_PG_PASSWORD:-$DB}
[[ $DB =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || { echo "postgres: database name '$DB' must be lower-case letters, digits, _" >&2; exit 2; }
[[ $PASSWORD =~ ^[A-Za-z0-9_]{1,128}$ ]] || { echo "postgres: the password must be letters, digits, _" >&2; exit 2; }
if [[ $(id -u) -ne 0 ]]; then
  echo "postgres: run as root (pg_ctlcluster, su postgres), or set ADVIESLIJN_STORE_URL to a PostgreSQL you run" >&2
  exit 1
fi
if ! command -v pg_ctlcluster >/dev/null; then
  echo "postgres: installing the Debian package postgresql-15"
  apt-get install -y -q postgresql-15 >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q postgresql-15 >/dev/null; }
fi
if ! pg_lsclusters -h | awk '$1 == 15 && $2 == "main" {print $4}' | grep -q online; then
  pg_ctlcluster 15 main start
fi
for _ in $(seq 1 30); do
  su postgres -c "psql -qtAc 'select 1'" >/dev/null 2>&1 && break
  sleep 0.5
done
# The password goes in on stdin, not on a command line (ps would show it).
if su postgres -c "psql -qtAc \"select 1 from pg_roles where rolname = '$DB'\"" | grep -q 1; then
  echo "alter role $DB with login password '$PASSWORD';" | su postgres -c "psql -q" >/dev/null
else
  echo "create role $DB login password '$PASSWORD';" | su postgres -c "psql -q" >/dev/null
fi
su postgres -c "psql -qtAc \"select 1 from pg_database where datname = '$DB'\"" | grep -q 1 ||
  su postgres -c "createdb -O $DB $DB"
echo "postgres: running, database $DB ready"

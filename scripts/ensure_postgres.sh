#!/usr/bin/env bash
# Start the machine's PostgreSQL 15 (Debian package) if it is not running, and create the test
# role and database the storage tests use. Idempotent; needs root (CI and these machines run as root).
set -euo pipefail
DB=${ADVIESLIJN_TEST_PG_DB:-advieslijn_test}
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
su postgres -c "psql -qtAc \"select 1 from pg_roles where rolname = '$DB'\"" | grep -q 1 ||
  su postgres -c "psql -qc \"create role $DB login password '$DB'\""
su postgres -c "psql -qtAc \"select 1 from pg_database where datname = '$DB'\"" | grep -q 1 ||
  su postgres -c "createdb -O $DB $DB"
echo "postgres: running, database $DB ready"

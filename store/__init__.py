"""Storage for the advice line's side: triage codes, staff accounts, audit log, line closures,
anonymous insight counts and redacted fallback messages.

One schema (store/schema.py) for PostgreSQL (scaled/production) and SQLite (the embedded default
of `make run`), created and upgraded by Alembic (store/migrations). See README "Privacy".
"""

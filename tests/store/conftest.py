"""Storage tests run on both databases: a fresh SQLite file and the machine's PostgreSQL 15.

PostgreSQL is started (and its test role and database created) by scripts/ensure_postgres.sh when
it does not answer; a PostgreSQL that cannot be started fails the tests, it never skips them.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from store.db import make_engine, migrate

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get(
    "ADVIESLIJN_TEST_PG_URL", "postgresql+psycopg2://advieslijn_test:advieslijn_test@127.0.0.1:5432/advieslijn_test")


def _postgres_engine() -> Engine:
    engine = make_engine(PG_URL)
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
    except OperationalError:
        subprocess.run([str(PROJECT_ROOT / "scripts" / "ensure_postgres.sh")], check=True)
    return engine


def empty_store(url_or_engine: "str | Engine", revision: str = "head") -> Engine:
    """An engine on a database with our schema (at `revision`) and no rows (earlier tables dropped)."""
    engine = make_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
    existing = MetaData()
    existing.reflect(bind=engine)
    existing.drop_all(bind=engine)
    migrate(engine, revision)
    return engine


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty store on each database in turn."""
    if request.param == "sqlite":
        engine = empty_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    else:
        engine = empty_store(_postgres_engine())
    yield engine
    engine.dispose()

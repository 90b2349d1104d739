"""Connecting to the store and bringing its schema up to date.

`ADVIESLIJN_STORE_URL` names the database: a PostgreSQL URL in the scaled/production topology
(postgresql+psycopg2://user:password@host/db, shared by every replica), or by default an SQLite
file under var/ for `make run`. Every time is stored in UTC; SQLite gives times back without a
zone, so `utc()` puts it back.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Mapping, Optional

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine

from store.known_settings import STORE_URL

PROJECT_ROOT = Path(__file__).resolve().parent.parent
STORE_URL_ENV = STORE_URL.name
DEFAULT_SQLITE = PROJECT_ROOT / "var" / "advieslijn.sqlite"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK = 0x61647669  # PostgreSQL advisory lock key held while migrating ("advi")


def store_url(environ: Optional[Mapping[str, str]] = None) -> str:
    """The configured database URL, or the embedded SQLite file."""
    return STORE_URL.value(environ) or f"sqlite:///{DEFAULT_SQLITE}"


def make_engine(url: Optional[str] = None) -> Engine:
    """An engine for `url` (default: `store_url()`); SQLite gets its folder, foreign keys and WAL."""
    url = url or store_url()
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, future=True, connect_args={"check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(connection, _record):  # type: ignore[no-untyped-def]
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()

        return engine
    return create_engine(url, future=True, pool_pre_ping=True)


def migrate(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema to the newest Alembic revision, or to `revision` (idempotent)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":  # processes starting together migrate one at a time
            connection.execute(text("select pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def open_store(url: Optional[str] = None) -> Engine:
    """An engine on an up-to-date schema: what the apps call at start."""
    engine = make_engine(url)
    migrate(engine)
    return engine


def utc(moment: datetime) -> datetime:
    """`moment` as an aware UTC time (SQLite returns naive UTC times)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def hour_of(moment: datetime) -> datetime:
    """The UTC hour `moment` falls in: what we store instead of an exact time."""
    return utc(moment).replace(minute=0, second=0, microsecond=0)

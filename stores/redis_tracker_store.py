"""Rasa's Redis tracker store, with a client that reconnects after Redis comes back.

Rasa 3.6's `RedisTrackerStore` builds its Redis client without retries: after a Redis restart the
first command on each pooled connection fails, so a parent's first message after the restart
would be lost. This subclass keeps Rasa's storage format and behaviour (record expiry, key prefix,
merge on save) and only replaces the client with one that retries a dropped connection, with a
socket timeout so a hanging Redis cannot hang a turn.

    tracker_store: {type: stores.redis_tracker_store.ReconnectingRedisTrackerStore,
                    url: 127.0.0.1, port: 6379, db: 0, record_exp: 3600}
"""

from __future__ import annotations

from typing import Any, Optional, Text

import redis
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import RedisTrackerStore
from rasa.shared.core.domain import Domain
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

RETRIES = 3
SOCKET_TIMEOUT_S = 5.0


def reconnecting_client(host: Text, port: int, db: int, password: Optional[Text], **options: Any) -> redis.Redis:
    """A Redis client that retries a command whose connection dropped (a restarted Redis)."""
    return redis.Redis(
        host=host, port=int(port), db=int(db), password=password,
        retry=Retry(ExponentialBackoff(cap=0.2, base=0.02), RETRIES),
        retry_on_error=[redis.ConnectionError, redis.TimeoutError],
        socket_timeout=SOCKET_TIMEOUT_S, socket_connect_timeout=2, **options,
    )


class ReconnectingRedisTrackerStore(RedisTrackerStore):
    def __init__(
        self,
        domain: Domain,
        host: Text = "localhost",
        port: int = 6379,
        db: int = 0,
        password: Optional[Text] = None,
        event_broker: Optional[EventBroker] = None,
        record_exp: Optional[float] = None,
        key_prefix: Optional[Text] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(domain, host=host, port=int(port), db=int(db), password=password,
                         event_broker=event_broker, record_exp=record_exp, key_prefix=key_prefix, **kwargs)
        self.red = reconnecting_client(host, port, db, password, decode_responses=True)

"""A Redis ticket lock store whose tickets are taken and returned atomically.

Rasa 3.6's `RedisLockStore` reads the whole ticket list, changes it in Python and writes it back
(`issue_ticket`, `finish_serving`, `cleanup`). Two replicas that get messages of one conversation
at the same moment can then take the same ticket or delete each other's lock, and a waiting
message looks again only once a second. This store keeps Rasa's model (tickets served in the order
they were issued) but does every change in one Lua script, so Redis runs it as one step:

- one hash per conversation, `<prefix>lock:<id>`: field `next` counts the tickets issued, each other
  field is a ticket number whose value is the moment (ms, Redis's own clock) the ticket expires;
- the lowest live ticket number is served; a released ticket is published on `<prefix>lock:<id>:free`
  so the next waiter wakes at once. A waiter otherwise sleeps until the served ticket would expire,
  never on a fixed poll;
- a ticket lives `lease_seconds` (default 10) and is renewed every third of that while its holder
  is alive, so a long turn keeps its lock and a killed replica's tickets lapse within one lease.

Configured in endpoints.yml:
    lock_store: {type: stores.redis_lock_store.AtomicRedisLockStore, url: 127.0.0.1, port: 6379, db: 0}
`url` may also be a full redis:// URL. No conversation id is ever logged.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from contextlib import asynccontextmanager, suppress
from typing import Any, AsyncGenerator, Optional, Text
from urllib.parse import urlparse

import redis
import redis.asyncio as aioredis
from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore
from rasa.utils.endpoints import EndpointConfig
from redis.asyncio.retry import Retry as AsyncRetry
from redis.backoff import ExponentialBackoff

from stores.redis_tracker_store import RETRIES, SOCKET_TIMEOUT_S, reconnecting_client

logger = logging.getLogger(__name__)

DEFAULT_LEASE_SECONDS = 10.0

# Shared head of every script: Redis's clock in ms, expired tickets dropped, the served ticket found.
_PRELUDE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local head, head_exp = -1, 0
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  if fields[i] ~= 'next' then
    local n, exp = tonumber(fields[i]), tonumber(fields[i + 1])
    if exp <= now then
      redis.call('HDEL', KEYS[1], fields[i])
    elseif head == -1 or n < head then
      head, head_exp = n, exp
    end
  end
end
"""

# ARGV: lease ms. Returns {ticket, served ticket, ms until the served ticket expires}.
_ISSUE = _PRELUDE + """
local ticket = redis.call('HINCRBY', KEYS[1], 'next', 1)
redis.call('HSET', KEYS[1], ticket, now + tonumber(ARGV[1]))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
if head == -1 then head, head_exp = ticket, now + tonumber(ARGV[1]) end
return {ticket, head, head_exp - now}
"""

# ARGV: ticket. Returns {served ticket, ms until it expires}, or {-1, 0} when the ticket lapsed.
_CHECK = _PRELUDE + """
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return {-1, 0} end
return {head, head_exp - now}
"""

# ARGV: ticket, lease ms. Returns 1 if the ticket was still live and is renewed.
_RENEW = _PRELUDE + """
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], now + tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
"""

# ARGV: ticket. KEYS[2]: the channel waiters listen on. The hash goes when no ticket is left.
_RELEASE = _PRELUDE + """
redis.call('HDEL', KEYS[1], ARGV[1])
if redis.call('HLEN', KEYS[1]) <= 1 then redis.call('DEL', KEYS[1]) end
redis.call('PUBLISH', KEYS[2], ARGV[1])
return 1
"""


def redis_settings(config: Optional[EndpointConfig]) -> dict:
    """host/port/db/password from an endpoint entry whose `url` is a host name or a redis:// URL."""
    kwargs = dict(config.kwargs) if config else {}
    url = (config.url if config else None) or "localhost"
    settings = {
        "host": url,
        "port": int(kwargs.get("port", 6379)),
        "db": int(kwargs.get("db", 0)),
        "password": kwargs.get("password"),
    }
    if "://" in url:
        parsed = urlparse(url)
        settings.update(host=parsed.hostname or "localhost", port=parsed.port or settings["port"])
        if parsed.path.strip("/").isdigit():
            settings["db"] = int(parsed.path.strip("/"))
        settings["password"] = parsed.password or settings["password"]
    return settings


class AtomicRedisLockStore(LockStore):
    """Rasa's LockStore interface; tickets issued, renewed and freed by atomic Redis scripts."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None) -> None:
        kwargs = dict(endpoint_config.kwargs) if endpoint_config else {}
        self.settings = redis_settings(endpoint_config)
        self.key_prefix = f"{kwargs['key_prefix']}:" if kwargs.get("key_prefix") else ""
        self.lease_ms = int(float(kwargs.get("lease_seconds", DEFAULT_LEASE_SECONDS)) * 1000)
        self.red = reconnecting_client(**self.settings)
        self._async: Optional[aioredis.Redis] = None
        super().__init__()

    # --- async path used by Rasa for every message --------------------------------------------
    @property
    def aio(self) -> aioredis.Redis:
        # Created on first use, inside the server's event loop.
        if self._async is None:
            self._async = aioredis.Redis(
                **self.settings, socket_timeout=SOCKET_TIMEOUT_S, socket_connect_timeout=2,
                retry=AsyncRetry(ExponentialBackoff(cap=0.2, base=0.02), RETRIES),
                retry_on_error=[redis.ConnectionError, redis.TimeoutError],
            )
        return self._async

    def _key(self, conversation_id: Text) -> str:
        return f"{self.key_prefix}lock:{conversation_id}"

    async def _run(self, script: str, conversation_id: Text, *args: Any) -> list:
        key = self._key(conversation_id)
        try:
            return await self.aio.eval(script, 2, key, f"{key}:free", *args)
        except redis.RedisError as error:
            raise LockError(f"lock store unavailable: {type(error).__name__}") from None

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: Text,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = 1,
    ) -> AsyncGenerator[TicketLock, None]:
        """Wait for this conversation's turn, hold it for the block, then wake the next waiter.

        `lock_lifetime` and `wait_time_in_seconds` (Rasa's parameters) are not used: a ticket lives
        as long as its holder renews it, and waiting ends on the release message.
        """
        ticket, head, _ = await self._run(_ISSUE, conversation_id, self.lease_ms)
        renewal = asyncio.ensure_future(self._renew(conversation_id, ticket))
        try:
            if head != ticket:
                await self._wait_for_turn(conversation_id, ticket)
            yield TicketLock(conversation_id, deque([Ticket(ticket, time.time() + self.lease_ms / 1000)]))
        finally:
            renewal.cancel()
            with suppress(LockError):
                await self._run(_RELEASE, conversation_id, ticket)

    async def _wait_for_turn(self, conversation_id: Text, ticket: int) -> None:
        pubsub = self.aio.pubsub()
        try:
            # Subscribe first, then look: a release between the two cannot be missed.
            await pubsub.subscribe(f"{self._key(conversation_id)}:free")
            while True:
                head, head_ms = await self._run(_CHECK, conversation_id, ticket)
                if head == -1:
                    raise LockError("ticket lapsed while waiting for the conversation's lock")
                if head == ticket:
                    return
                # Wake on a release, or when the served ticket would lapse (its holder died).
                await pubsub.get_message(ignore_subscribe_messages=True, timeout=max(head_ms, 1) / 1000)
        except redis.RedisError as error:
            raise LockError(f"lock store unavailable: {type(error).__name__}") from None
        finally:
            with suppress(Exception):
                await pubsub.unsubscribe()
                await pubsub.close()

    async def _renew(self, conversation_id: Text, ticket: int) -> None:
        with suppress(LockError):
            while True:
                await asyncio.sleep(self.lease_ms / 3000)
                if not await self._run(_RENEW, conversation_id, ticket, self.lease_ms):
                    logger.warning("lock store: a ticket lapsed before its turn ended")
                    return

    # --- Rasa's synchronous interface (not used by Rasa's message path; kept consistent) -------
    def _run_sync(self, script: str, conversation_id: Text, *args: Any) -> list:
        key = self._key(conversation_id)
        try:
            return self.red.eval(script, 2, key, f"{key}:free", *args)
        except redis.RedisError as error:
            raise LockError(f"lock store unavailable: {type(error).__name__}") from None

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        return int(self._run_sync(_ISSUE, conversation_id, self.lease_ms)[0])

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        self._run_sync(_RELEASE, conversation_id, ticket_number)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        self.finish_serving(conversation_id, ticket_number)

    def get_lock(self, conversation_id: Text) -> Optional[TicketLock]:
        fields = {k.decode(): float(v) for k, v in self.red.hgetall(self._key(conversation_id)).items()}
        fields.pop("next", None)
        if not fields:
            return None
        tickets = sorted((int(n), exp / 1000) for n, exp in fields.items())
        return TicketLock(conversation_id, deque(Ticket(n, exp) for n, exp in tickets))

    def delete_lock(self, conversation_id: Text) -> None:
        self.red.delete(self._key(conversation_id))

    def save_lock(self, lock: TicketLock) -> None:
        raise NotImplementedError("tickets change only through the atomic scripts (issue/renew/release)")

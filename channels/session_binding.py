"""Which conversation a browser may use: server-issued ids, and signed tokens to resume them.

The threat (issue 10): anyone who learns a widget's conversation id (a leak through an XSS on the
host site, a shared computer, a screenshot) could read and steer that child's conversation. So:

- The server issues every socket.io conversation id: ``sio_`` and 32 random hex digits. The id the
  widget proposes is never taken on its word.
- With the id the widget gets a token: the id, the time it was issued and an HMAC-SHA256 over
  both, keyed with the server's secret. After a reload the widget sends the token; a valid token
  younger than ``TOKEN_MAX_AGE_S`` resumes that conversation, anything else starts a new one. Each
  session request gets a fresh token, so an open conversation never runs out.
- A socket is bound to one conversation; its messages go to that conversation, whatever they say.
- REST senders get the prefix ``rest_`` inside Rasa, so a REST caller never reaches a socket.io
  conversation (whose ids start with ``sio_``), and the reverse.

Secrets: ``ADVIESLIJN_SESSION_SECRET`` (at least 32 characters; every Rasa replica needs the same
one). To rotate, move the old value to ``ADVIESLIJN_SESSION_SECRET_PREVIOUS`` and set a new one:
tokens signed with either are accepted until the previous one is removed. Without a secret the
process makes a random one (tokens then do not survive a restart) and says so once in the log.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import time
from typing import Any, Callable, List, Mapping, Optional

from store.known_settings import MIN_SESSION_SECRET_CHARS, PREVIOUS_SESSION_SECRET, SESSION_SECRET

logger = logging.getLogger(__name__)

SECRET_ENV = SESSION_SECRET.name
PREVIOUS_SECRET_ENV = PREVIOUS_SESSION_SECRET.name
MIN_SECRET_CHARS = MIN_SESSION_SECRET_CHARS
TOKEN_MAX_AGE_S = 12 * 3600
SIO_PREFIX = "sio_"
REST_PREFIX = "rest_"
SESSION_ID = re.compile(r"sio_[0-9a-f]{32}")
TOKEN = re.compile(r"(sio_[0-9a-f]{32})\.([0-9]{1,12})\.([0-9a-f]{64})")


class SessionSigner:
    """Issues conversation ids and signs and checks the tokens that resume them."""

    def __init__(self, keys: List[bytes], clock: Callable[[], float] = time.time) -> None:
        if not keys:
            raise ValueError("at least one secret is needed")
        self._keys = keys
        self._clock = clock

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "SessionSigner":
        """The signer for this process's secrets (see the module docstring).

        Raises:
            ValueError: the operator error of store/known_settings.py for a secret it does not take.
        """
        keys = [value.encode() for value in (SESSION_SECRET.value(env), PREVIOUS_SESSION_SECRET.value(env)) if value]
        if not keys:
            logger.warning(
                f"{SECRET_ENV} is not set: using a random secret for this process, so a reloaded "
                f"widget cannot resume its conversation after a restart or on another replica."
            )
            keys.append(secrets.token_bytes(32))
        return cls(keys)

    @staticmethod
    def new_session_id() -> str:
        return SIO_PREFIX + secrets.token_hex(16)

    def _mac(self, key: bytes, session_id: str, issued: int) -> str:
        return hmac.new(key, f"{session_id}.{issued}".encode(), hashlib.sha256).hexdigest()

    def token_for(self, session_id: str) -> str:
        """A token for `session_id`, signed with the current secret."""
        if not SESSION_ID.fullmatch(session_id):
            raise ValueError("not a socket.io conversation id")
        issued = int(self._clock())
        return f"{session_id}.{issued}.{self._mac(self._keys[0], session_id, issued)}"

    def session_of(self, token: Any) -> Optional[str]:
        """The conversation id a valid, unexpired token names; None for anything else."""
        if not isinstance(token, str):
            return None
        match = TOKEN.fullmatch(token)
        if not match:
            return None
        session_id, issued_text, mac = match.groups()
        issued = int(issued_text)
        age = self._clock() - issued
        if age < -60 or age > TOKEN_MAX_AGE_S:  # a minute of clock skew between replicas
            return None
        if any(hmac.compare_digest(mac, self._mac(key, session_id, issued)) for key in self._keys):
            return session_id
        return None


def rest_sender(sender: str) -> str:
    """The conversation id Rasa uses for a REST sender: never one of the widget's."""
    return REST_PREFIX + sender

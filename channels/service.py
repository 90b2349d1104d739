"""Never silent: when a turn fails behind the channel, the parent gets the service message.

Both input channels (rest.py, socketio.py) hand each message to Rasa through
:func:`handle_or_apologise`. When Rasa cannot take it (no model loaded) or the turn raises
(the action server down, slow or failing, the tracker or lock store down: see
patches/turn_failure.py, which makes Rasa raise instead of carrying on silently, and which leaves
such a turn unsaved), the parent gets ``utter_service_unavailable`` (domain/service.yml) with the
advice line's phone number and contact form from content/advieslijn.yml. The text is rendered
here, in the Rasa process, by Rasa's own response templating, because the action server may be
the part that is down.

Why the channel and not only the processor: the channel is the last place that can still answer
the parent, and it sees every failure, also those outside a turn (a Redis lock store that is
down fails before the processor runs). Why the processor too: see patches/turn_failure.py.

The log line names the channel and the kind of failure; never the parent's text or sender id.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain

from actions.facts import load_facts
from actions.messages import common_values
from patches.turn_failure import TurnFailed

logger = logging.getLogger(__name__)

SERVICE_RESPONSE = "utter_service_unavailable"
DOMAIN_DIR = Path(__file__).resolve().parent.parent / "domain"


class NotReady(RuntimeError):
    """The Rasa server has no loaded model (yet)."""


def _domain(agent: Any) -> Domain:
    """The loaded model's domain; the project's domain folder while no model is loaded."""
    domain = getattr(agent, "domain", None)
    if isinstance(domain, Domain) and SERVICE_RESPONSE in domain.responses:
        return domain
    return Domain.load(str(DOMAIN_DIR))


def render_response(agent: Any, response: str, channel: str) -> str:
    """The text of a domain response with the facts' values, by Rasa's own templating."""
    domain = _domain(agent)
    values = common_values(load_facts())
    generated = TemplatedNaturalLanguageGenerator(domain.responses).generate_from_slots(response, {}, channel, **values)
    return (generated or {}).get("text") or ""


def describe(error: BaseException) -> str:
    """A log-safe description: our own TurnFailed text (names a part and an error type), else the
    error's type and where it was raised. Other exception messages may quote what a parent typed."""
    if isinstance(error, TurnFailed):
        return str(error)
    if isinstance(error, NotReady):
        return "no model is loaded"
    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return f"{type(error).__name__}{where}"


async def handle_or_apologise(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    message: UserMessage,
    agent: Any,
    before_apology: Optional[Callable[[], None]] = None,
) -> bool:
    """Let Rasa handle `message`; on failure send the service message to its output channel.

    `before_apology` runs first on failure (the REST channel drops a failed turn's partial
    replies there). Returns True when Rasa handled the message.
    """
    try:
        if agent is None or not agent.is_ready():
            raise NotReady()
        await on_new_message(message)
        return True
    except Exception as error:  # whatever failed, the parent must not be left without an answer
        logger.error(f"{message.input_channel}: the turn failed, sent the service message: {describe(error)}")
    if before_apology is not None:
        before_apology()
    try:
        text = render_response(agent, SERVICE_RESPONSE, message.output_channel.name())
        await message.output_channel.send_text_message(message.sender_id, text)
    except Exception as error:  # e.g. the socket closed meanwhile; nothing more we can do
        logger.error(f"{message.input_channel}: could not send the service message: {describe(error)}")
    return False

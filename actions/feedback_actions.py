"""Feedback on the ending: "Heeft dit je geholpen?" (issue 11, part 5; domain/feedback.yml).

The question and its two buttons ride on the ending's last message, so the ending stays at three
messages. The answer gets a short thank-you and never the ending again. After "nee" the bot asks
once why, with four fixed buttons; only a button's fixed name is counted (REASONS), never words.

Counted here, once per conversation, not by the event broker: the slot `feedback` remembers the
first answer, so a second click or a typed "dit heeft me geholpen" later is thanked for but not
counted again, also when it reaches another replica. (The broker still counts every message's
intent, as kind "intent".) Feedback before any outcome is not counted: nobody asked for it.
The pure choices come first; the rasa-sdk wrappers are at the end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, List, Mapping, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.clock import Clock, clock_from_env
from actions.intents import FEEDBACK_ANSWERS, FEEDBACK_YES_NO
from actions.rasa_helpers import latest_intent, latest_text
from actions.responses import utter
from actions.staff_store import count_once

ASK_REASON = "utter_feedback_ask_reason"
# The fixed names of the reasons (insight kind "feedback_reason"), in the order of the buttons of
# utter_feedback_ask_reason, which hold their texts (tests/actions/test_feedback_actions.py).
REASONS = ("unclear", "not_my_situation", "missing_information", "rather_not_say")
NO_OUTCOME_RESPONSES = {"yes": "utter_feedback_no_outcome_helped", "no": "utter_feedback_no_outcome_not_helped"}


@dataclass(frozen=True)
class FeedbackReply:
    """What the bot says to feedback, the slots it sets, and the (kind, name) counted, if any."""

    response: str
    events: List[EventType] = field(default_factory=list)
    counted: Optional[Tuple[str, str]] = None


def feedback_answer(intent: Optional[str]) -> Optional[str]:
    """'yes' or 'no' for an intent that answers "Heeft dit je geholpen?" (the rules decide when
    plain "ja"/"nee" do); None for any other intent."""
    return FEEDBACK_ANSWERS.get(intent or "") or FEEDBACK_YES_NO.get(intent or "")


def reply_to_feedback(answer: str, slots: Mapping[str, Any]) -> FeedbackReply:
    """The first answer after an outcome is counted; "no" also asks why, once."""
    if slots.get("advice_outcome") is None:
        return FeedbackReply(NO_OUTCOME_RESPONSES[answer])
    if slots.get("feedback") is not None:
        return FeedbackReply("utter_feedback_already_given")
    if answer == "yes":
        return FeedbackReply("utter_feedback_thanks", [SlotSet("feedback", "yes")], ("feedback", "yes"))
    return FeedbackReply(
        ASK_REASON, [SlotSet("feedback", "no"), SlotSet("feedback_reason_asked", True)], ("feedback", "no")
    )


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def reason_of(text: str, domain: Mapping[str, Any]) -> Optional[str]:
    """The fixed name of the reason button whose title or payload `text` is; None for anything
    else (typed words are never counted or kept)."""
    buttons = domain["responses"][ASK_REASON][0]["buttons"]
    typed = _plain(text)
    for name, button in zip(REASONS, buttons):
        if typed in (_plain(button["title"]), _plain(button["payload"])):
            return name
    return None


def reply_to_reason(text: str, slots: Mapping[str, Any], domain: Mapping[str, Any]) -> FeedbackReply:
    """Thanks for the answer to "why?"; counts a button's reason while the question is open."""
    reason = reason_of(text, domain) if slots.get("feedback_reason_asked") else None
    return FeedbackReply(
        "utter_feedback_reason_thanks",
        [SlotSet("feedback_reason_asked", False)],
        ("feedback_reason", reason) if reason else None,
    )


# --- rasa-sdk wrappers --------------------------------------------------------------------------


def send_reply(dispatcher: CollectingDispatcher, domain: DomainDict, reply: FeedbackReply, clock: Clock) -> List[EventType]:
    """Count what the reply counts (fails soft), send its response, return its slot events."""
    if reply.counted:
        count_once(*reply.counted, clock())
    utter(dispatcher, domain, reply.response)
    return reply.events


class ActionFeedback(Action):
    """The answer to "Heeft dit je geholpen?": a button, typed words, or "ja"/"nee" after the ending."""

    def __init__(self, clock: Optional[Clock] = None) -> None:
        self._clock = clock or clock_from_env()

    def name(self) -> Text:
        return "action_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        answer = feedback_answer(latest_intent(tracker))
        if answer is None:  # the rules call this action only with an answering intent
            utter(dispatcher, domain, "utter_how_can_i_help")
            return []
        return send_reply(dispatcher, domain, reply_to_feedback(answer, tracker.slots), self._clock)


class ActionFeedbackReason(Action):
    """The answer to "Wil je ook zeggen waarom?": a reason button, or words typed instead."""

    def __init__(self, clock: Optional[Clock] = None) -> None:
        self._clock = clock or clock_from_env()

    def name(self) -> Text:
        return "action_feedback_reason"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        reply = reply_to_reason(latest_text(tracker), tracker.slots, domain)
        return send_reply(dispatcher, domain, reply, self._clock)

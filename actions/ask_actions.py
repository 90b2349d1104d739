"""The form's questions: one `action_ask_<slot>` per triage slot, each sending `ask_<slot>`.

Rasa's form looks for `action_ask_<slot>` before `utter_ask_<slot>`; asking through actions keeps
every triage text in content/texts.yml.
"""

from __future__ import annotations

from typing import List, Text, Type

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.texts import say

ASKED_SLOTS = (
    "situation",
    "school_type",
    "weeks_at_home",
    "prospect_of_return",
    "alternative_school_found",
    "receives_education",
    "contacted_swv",
    "contacted_board",
)


class AskSlotAction(Action):
    """Asks for one slot; subclasses set `slot`."""

    slot: Text = ""

    def name(self) -> Text:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        say(dispatcher, f"ask_{self.slot}")
        return []


def _ask_action(slot: str) -> Type[AskSlotAction]:
    class_name = "Ask" + "".join(part.title() for part in slot.split("_"))
    return type(class_name, (AskSlotAction,), {"slot": slot, "__module__": __name__})


ASK_ACTIONS = [_ask_action(slot) for slot in ASKED_SLOTS]

"""`CrisisKeywordOverride`: messages about acute danger always count as `urgent_help`.

The classifier can miss a short or unusual crisis message ("sos", "geweld thuis"). A parent in
danger must get the crisis numbers at once, so after the classifier this component checks the text
against a few explicit patterns (from config.yml) and, on a match, sets the intent to
`urgent_help` with full confidence. A false alarm costs a parent one extra message with phone
numbers; a missed crisis could cost far more.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

URGENT_INTENT = "urgent_help"


def compile_patterns(patterns: List[Text]) -> re.Pattern:
    """One case-insensitive regular expression from the configured patterns.

    Raises:
        ValueError: naming the pattern that is not a valid regular expression.
    """
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as error:
            raise ValueError(f"config.yml CrisisKeywordOverride: bad pattern {pattern!r}: {error}") from error
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CrisisKeywordOverride(GraphComponent):
    """Sets `urgent_help` when the text matches a crisis pattern."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"patterns": []}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._pattern = compile_patterns(list(config.get("patterns") or []))
        self._enabled = bool(config.get("patterns"))

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CrisisKeywordOverride":
        return cls(config)

    def is_crisis(self, text: Text) -> bool:
        """True when the text matches one of the crisis patterns."""
        return self._enabled and bool(self._pattern.search(text or ""))

    def process(self, messages: List[Message]) -> List[Message]:
        """Override the intent of crisis messages; leave the others untouched."""
        for message in messages:
            if self.is_crisis(message.get(TEXT)):
                ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != URGENT_INTENT]
                message.set(INTENT, {"name": URGENT_INTENT, "confidence": 1.0}, add_to_output=True)
                message.set(
                    INTENT_RANKING_KEY,
                    [{"name": URGENT_INTENT, "confidence": 1.0}, *ranking],
                    add_to_output=True,
                )
        return messages

"""`SafeLogisticRegressionClassifier`: Rasa's classifier, safe for messages without features.

Rasa 3.6's `LogisticRegressionClassifier` raises on a message that yields no features at all (an
empty message, or one whose tokens the featurizers drop), which makes the server answer nothing.
Here such a message gets no intent with confidence 0, so the FallbackClassifier turns it into
`nlu_fallback` and the parent gets the friendly "say it differently" answer.
"""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.message import Message


def has_features(message: Message) -> bool:
    """True when the featurizers gave this message sentence-level features.

    Looks at the feature list itself: `get_sparse_features` would stack all features, which costs
    more than the classification.
    """
    return any(
        feature.attribute == TEXT and feature.type == FEATURE_TYPE_SENTENCE
        for feature in message.features
    )


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class SafeLogisticRegressionClassifier(LogisticRegressionClassifier):
    """Logistic regression over sparse features; messages without features get no intent."""

    def process(self, messages: List[Message]) -> List[Message]:
        """Classify the messages that have features; mark the others as not understood."""
        with_features = [m for m in messages if has_features(m)]
        if with_features:
            super().process(with_features)
        for message in messages:
            if not has_features(message):
                message.set("intent", {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set("intent_ranking", [], add_to_output=True)
        return messages

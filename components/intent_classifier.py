"""`SafeLogisticRegressionClassifier`: Rasa's classifier, safe for messages without features.

Rasa 3.6's `LogisticRegressionClassifier` raises on a message that yields no features at all (an
empty message, or one whose tokens the featurizers drop), which makes the server answer nothing.
Here such a message gets no intent with confidence 0, so the FallbackClassifier turns it into
`nlu_fallback` and the parent gets the friendly "say it differently" answer.

It also classifies a message without Rasa's detour through scipy: Rasa deep-copies and stacks the
sparse features into a matrix and lets scikit-learn check it, which was about 8% of a whole turn
under load (py-spy, `make bench`) for what is a sum over a few hundred non-zero counts. The fast
path computes the same multinomial probabilities (softmax of features x weights + intercept) from
the sparse sentence features directly; a test checks it agrees with scikit-learn on every example.
"""

from __future__ import annotations

from typing import List, Optional

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.utils.tensorflow.constants import RANKING_LENGTH
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

    _weights: Optional[np.ndarray] = None  # coef_ transposed: one row per feature column

    def _is_multinomial(self) -> bool:
        """As scikit-learn's predict_proba decides between softmax and one-vs-rest."""
        clf = self.clf
        return clf.multi_class == "multinomial" or (
            clf.multi_class == "auto" and clf.classes_.size > 2 and clf.solver != "liblinear"
        )

    def fast_probabilities(self, message: Message) -> Optional[np.ndarray]:
        """The intent probabilities of one message, or None where Rasa's own path must be used
        (dense features, or features that do not fit the trained weights)."""
        columns, values, width = [], [], 0
        for feature in message.features:
            if feature.attribute != TEXT or feature.type != FEATURE_TYPE_SENTENCE:
                continue
            if not feature.is_sparse():
                return None
            matrix = feature.features.tocoo()
            columns.append(matrix.col + width)
            values.append(matrix.data)
            width += matrix.shape[1]
        if self._weights is None:
            if not self._is_multinomial():
                return None
            self._weights = np.ascontiguousarray(self.clf.coef_.T)
        if width != self._weights.shape[0]:
            return None
        column = np.concatenate(columns) if columns else np.zeros(0, dtype=int)
        value = np.concatenate(values) if values else np.zeros(0)
        scores = value.astype(np.float64) @ self._weights[column] + self.clf.intercept_
        scores = np.exp(scores - scores.max())
        return scores / scores.sum()

    def _classify(self, messages: List[Message]) -> None:
        """Set intent and ranking as Rasa does, with the fast path where it applies."""
        probabilities = [self.fast_probabilities(message) for message in messages]
        if any(p is None for p in probabilities):
            super().process(messages)
            return
        intents = self.clf.classes_
        for message, probas in zip(messages, probabilities):
            ranking = sorted(
                ({"name": k, "confidence": v} for k, v in zip(intents, probas)),
                key=lambda e: -e["confidence"],
            )
            intent = ranking[0]
            if self.config[RANKING_LENGTH] > 0:
                ranking = ranking[: self.config[RANKING_LENGTH]]
            message.set("intent", intent, add_to_output=True)
            message.set("intent_ranking", ranking, add_to_output=True)

    def process(self, messages: List[Message]) -> List[Message]:
        """Classify the messages that have features; mark the others as not understood."""
        with_features = [m for m in messages if has_features(m)]
        if with_features:
            self._classify(with_features)
        for message in messages:
            if not has_features(message):
                message.set("intent", {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set("intent_ranking", [], add_to_output=True)
        return messages

"""components.intent_classifier (the previous pipeline's classifier, benchmarks/sparse_config.yml):
its fast path gives scikit-learn's probabilities, and a message without features gets no intent."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.intent_classifier import SafeLogisticRegressionClassifier


def message(counts: np.ndarray, intent: str = "") -> Message:
    m = Message(data={TEXT: "x", **({INTENT: intent} if intent else {})})
    m.add_features(Features(scipy.sparse.coo_matrix(counts[:12].reshape(1, -1)), FEATURE_TYPE_SENTENCE, TEXT, "a"))
    m.add_features(Features(scipy.sparse.coo_matrix(counts[12:].reshape(1, -1)), FEATURE_TYPE_SENTENCE, TEXT, "b"))
    return m


def test_fast_path_equals_scikit_learn_and_no_features_means_no_intent(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    intents = ["a", "b", "c"]
    training = []
    for i in range(60):
        counts = rng.poisson(0.4, 20).astype(float)
        counts[i % 3] += 2
        training.append(message(counts, intents[i % 3]))
    classifier = SafeLogisticRegressionClassifier.create(
        {**SafeLogisticRegressionClassifier.get_default_config(), "max_iter": 1000},
        LocalModelStorage(tmp_path), Resource("clf"),
        ExecutionContext(graph_schema=None, node_name="clf"),  # type: ignore[arg-type]
    )
    classifier.train(TrainingData(training_examples=training))
    for _ in range(20):
        probe = message(rng.poisson(0.6, 20).astype(float))
        fast = classifier.fast_probabilities(probe)
        slow = classifier.clf.predict_proba(classifier._create_X([probe]))[0]
        np.testing.assert_allclose(fast, slow, rtol=1e-9, atol=1e-12)
    empty = Message(data={TEXT: ""})
    classifier.process([empty])
    assert empty.get(INTENT) == {"name": None, "confidence": 0.0}

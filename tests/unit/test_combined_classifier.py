"""components.combined_classifier: stacking the words and meaning views (no trained model needed).

The data are synthetic messages with real Rasa `Features`: a sparse block (words) and a dense block
(meaning), so the tests control which view is informative.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Tuple

import numpy as np
import pytest
import scipy.sparse
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.combined_classifier import LinearModel, WordsAndMeaningClassifier, sentence_features

INTENTS = ["child_at_home", "no_school_place", "opp_problem"]


def message(words: np.ndarray, meaning: np.ndarray, intent: str = "") -> Message:
    m = Message(data={TEXT: "x", **({INTENT: intent} if intent else {})})
    m.add_features(Features(scipy.sparse.coo_matrix(words.reshape(1, -1)), FEATURE_TYPE_SENTENCE, TEXT, "words"))
    m.add_features(Features(meaning.reshape(1, -1).astype(np.float32), FEATURE_TYPE_SENTENCE, TEXT, "meaning"))
    return m


def dataset(n: int, seed: int, words_informative: bool) -> Tuple[List[Message], List[str]]:
    """Meaning always tells the intent (a noisy class centre); words do so only if `words_informative`
    (else random counts)."""
    rng = np.random.default_rng(seed)
    centres = np.eye(3, 8) * 2.0
    messages, labels = [], []
    for i in range(n):
        k = i % 3
        meaning = centres[k] + rng.normal(0, 0.6, 8)
        words = rng.poisson(0.3, 20).astype(float)
        if words_informative:
            words[k] += 3
        messages.append(message(words, meaning, INTENTS[k]))
        labels.append(INTENTS[k])
    return messages, labels


def train(tmp_path: Path, messages: List[Message], name: str = "clf", **config: object) -> WordsAndMeaningClassifier:
    (tmp_path / name).mkdir()
    storage = LocalModelStorage(tmp_path / name)
    resource = Resource(name)
    classifier = WordsAndMeaningClassifier.create(
        {**WordsAndMeaningClassifier.get_default_config(), **config}, storage, resource,
        ExecutionContext(graph_schema=None, node_name=name),  # type: ignore[arg-type]
    )
    classifier.train(TrainingData(training_examples=messages))
    return classifier


def test_linear_model_gives_scikit_learns_probabilities() -> None:
    from sklearn.linear_model import LogisticRegression

    messages, labels = dataset(90, 1, words_informative=True)
    x = np.vstack([sentence_features(m)[1] for m in messages])
    ours = LinearModel.fit(x, np.array(labels), 2.0, WordsAndMeaningClassifier.get_default_config())
    theirs = LogisticRegression(C=2.0, class_weight="balanced", random_state=42, max_iter=1000,
                                multi_class="multinomial").fit(x, labels)
    np.testing.assert_allclose(ours.probabilities(x), theirs.predict_proba(x), rtol=1e-9, atol=1e-12)


def test_same_training_gives_the_same_model_and_predictions(tmp_path: Path) -> None:
    messages, _ = dataset(60, 2, words_informative=True)
    a, b = train(tmp_path, messages, "a"), train(tmp_path, messages, "b")
    for name in ("words", "meaning", "combiner"):
        assert np.array_equal(a.models[name].weights, b.models[name].weights)
        assert np.array_equal(a.models[name].intercept, b.models[name].intercept)
    fresh, _ = dataset(15, 3, words_informative=True)
    for m in fresh:
        assert np.array_equal(a.probabilities(m), b.probabilities(m))  # type: ignore[arg-type]


def test_shapes_ranking_and_a_message_without_features(tmp_path: Path) -> None:
    messages, _ = dataset(60, 4, words_informative=True)
    classifier = train(tmp_path, messages)
    assert list(classifier.classes) == INTENTS
    assert classifier.models["words"].weights.shape == (20, 3)
    assert classifier.models["meaning"].weights.shape == (8, 3)
    assert classifier.models["combiner"].weights.shape == (6, 3)  # both views' log-probabilities
    probe = dataset(3, 5, words_informative=True)[0]
    empty = Message(data={TEXT: ""})
    classifier.process([*probe, empty])
    for m in probe:
        ranking = m.get("intent_ranking")
        assert m.get(INTENT)["name"] == ranking[0]["name"]
        assert abs(sum(r["confidence"] for r in ranking) - 1.0) < 1e-9
        assert [r["confidence"] for r in ranking] == sorted((r["confidence"] for r in ranking), reverse=True)
    assert empty.get(INTENT) == {"name": None, "confidence": 0.0}
    assert empty.get("intent_ranking") == []


def test_persisted_model_loads_with_the_same_predictions(tmp_path: Path) -> None:
    messages, _ = dataset(60, 6, words_informative=True)
    trained = train(tmp_path, messages)
    loaded = WordsAndMeaningClassifier.load(
        trained.config, trained._model_storage, trained._resource,
        ExecutionContext(graph_schema=None, node_name="clf"),  # type: ignore[arg-type]
    )
    for m in dataset(10, 7, words_informative=True)[0]:
        assert np.array_equal(trained.probabilities(m), loaded.probabilities(m))  # type: ignore[arg-type]


def test_the_combiner_learns_from_out_of_fold_predictions(tmp_path: Path) -> None:
    """Each example's combiner input comes from base models that did not see it (fitted from the
    all-data weights as a start, which changes the iterations, not the optimum): recomputed here for
    one fold with the same seeded split, and close to a fit from scratch."""
    from sklearn.model_selection import StratifiedKFold

    messages, labels = dataset(45, 8, words_informative=True)
    classifier = train(tmp_path, messages)
    rows = [sentence_features(m) for m in messages]
    words = scipy.sparse.vstack([w for w, _ in rows]).tocsr()
    meaning = np.vstack([m for _, m in rows])
    y = np.array(labels)
    full = classifier._fit_views(words, meaning, y)
    stacked = classifier.out_of_fold_input(words, meaning, y, full)
    train_idx, test_idx = next(StratifiedKFold(5, shuffle=True, random_state=42).split(meaning, y))
    views = classifier._fit_views(words[train_idx], meaning[train_idx], y[train_idx], full)
    expected = np.hstack([views["words"].log_probabilities(words[test_idx]),
                          views["meaning"].log_probabilities(meaning[test_idx])])
    np.testing.assert_allclose(stacked[test_idx], np.maximum(expected, np.log(1e-6)))
    scratch = classifier._fit_views(words[train_idx], meaning[train_idx], y[train_idx])
    np.testing.assert_allclose(np.exp(scratch["meaning"].log_probabilities(meaning[test_idx])),
                               np.exp(views["meaning"].log_probabilities(meaning[test_idx])), atol=0.02)


def test_when_the_words_mislead_the_meaning_decides(tmp_path: Path) -> None:
    """Words random, meaning informative: the combination follows the meaning, where an average
    with a fixed weight on the words would be pulled off by the words' noise."""
    messages, labels = dataset(150, 9, words_informative=False)
    classifier = train(tmp_path, messages)
    combiner = classifier.models["combiner"].weights
    assert np.abs(combiner[3:]).sum() > np.abs(combiner[:3]).sum()  # the meaning block weighs more
    fresh, truth = dataset(90, 10, words_informative=False)
    predicted = [INTENTS[int(np.argmax(classifier.probabilities(m)))] for m in fresh]  # type: ignore[arg-type]
    assert np.mean([p == t for p, t in zip(predicted, truth)]) > 0.9


def test_training_needs_the_words_view(tmp_path: Path) -> None:
    m = Message(data={TEXT: "x", INTENT: "child_at_home"})
    m.add_features(Features(np.ones((1, 8), dtype=np.float32), FEATURE_TYPE_SENTENCE, TEXT, "meaning"))
    with pytest.raises(ValueError, match="count-vector featurizers"):
        train(tmp_path, [m] * 10)

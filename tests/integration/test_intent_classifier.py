"""The classifier and the featurizers on the trained model (models/advieslijn.tar.gz).

Runs the real trained NLU pipeline up to the featurizers for training and held-out messages: the
combined classifier reports its most probable intent, embeds a message only when it can matter, and
gives unfamiliar messages (gibberish, emoji, English) a confidence under the fallback threshold; our
count vectors equal scikit-learn's. (SafeLogisticRegressionClassifier, used by benchmarks/sparse_config.yml, is checked
against scikit-learn in tests/unit/test_combined_classifier.py.)
"""

from __future__ import annotations

from typing import Any, List, Tuple

import numpy as np
import pytest
from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.loading import load_data

import patches
from components.combined_classifier import WordsAndMeaningClassifier, sentence_features
from tests.conftest import MODEL, PROJECT_ROOT

patches.apply_all()  # as `python -m patches` does before Rasa runs


@pytest.fixture(scope="module")
def agent() -> Agent:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make test does this)")
    return Agent.load(str(MODEL))


def _nodes(agent: Agent, cls: type) -> List[Tuple[str, Any]]:
    """(node name, component) of every graph node whose component is a `cls`, in graph order."""
    runner = agent.processor.graph_runner  # type: ignore[union-attr]
    return [(name, node._component) for name, node in runner._instantiated_nodes.items()
            if isinstance(node._component, cls)]


def _node(agent: Agent, cls: type) -> Tuple[str, Any]:
    found = _nodes(agent, cls)
    assert found, f"{cls.__name__} is not in the model"
    return found[0]


def _texts() -> List[str]:
    texts = []
    for path in (PROJECT_ROOT / "data" / "nlu", PROJECT_ROOT / "tests" / "nlu" / "test_nlu.yml"):
        texts += [m.get(TEXT) for m in load_data(str(path)).intent_examples]
    return texts + ["", "   ", "???", "xyzzy qwerty", "a" * 2000]


def test_the_combined_classifier_on_the_trained_model(agent: Agent) -> None:
    """Every message gets a distribution whose top is the intent set; a short familiar message the
    words model is sure of gets the words model's own probabilities (no embedding)."""
    name, classifier = _node(agent, WordsAndMeaningClassifier)
    runner = agent.processor.graph_runner  # type: ignore[union-attr]
    featurizer = runner._graph_schema.nodes[name].needs["messages"]
    texts = _texts()[::25] + ["", "???", "a" * 2000]  # a sample: an unsure message costs an e5 embedding
    answered_by_words = 0
    for text in texts:
        featurized = runner.run(inputs={"__message__": [UserMessage(text)]}, targets=[featurizer])[featurizer][0]
        words, meaning = sentence_features(featurized)
        assert meaning is None  # config.yml: the classifier embeds by itself, when needed
        if not text.strip():
            assert classifier.probabilities(featurized) is None
            continue
        probabilities = classifier.probabilities(featurized)
        assert probabilities is not None and abs(probabilities.sum() - 1.0) < 1e-9, text
        classified = classifier.process([featurized])[0]
        assert classified.get("intent")["name"] == classifier.classes[int(np.argmax(probabilities))], text
        by_words = np.exp(classifier.models["words"].log_probabilities(words)[0])
        if np.array_equal(probabilities, by_words):
            answered_by_words += 1
            assert by_words.max() >= classifier.config["words_sure"], text
    assert 0 < answered_by_words < len(texts)


@pytest.mark.parametrize("text", ["brrp zzzt wqkk", "qxz vlmpt grrk", "👍", "😀😀😀", "???",
                                  "my son has been at home for six weeks", "a" * 2000, "Lorem ipsum dolor sit amet"])
def test_unfamiliar_messages_fall_back_on_the_trained_model(agent: Agent, text: str) -> None:
    import asyncio

    result = asyncio.run(agent.parse_message(text))
    assert result["intent"]["name"] == "nlu_fallback", result["intent"]


def test_sentence_vectors_equal_scikit_learns_transform(agent: Agent) -> None:
    """components.featurizers counts n-grams itself: the vector must equal CountVectorizer's."""
    from components.featurizers import SentenceCountVectorsFeaturizer

    runner = agent.processor.graph_runner  # type: ignore[union-attr]
    featurizers = _nodes(agent, SentenceCountVectorsFeaturizer)
    assert len(featurizers) == 2
    last = featurizers[-1][0]
    compared = 0
    for text in _texts():
        message = runner.run(inputs={"__message__": [UserMessage(text)]}, targets=[last])[last][0]
        for name, featurizer in featurizers:
            ours = [f for f in message.features if f.origin == name and f.attribute == TEXT]
            tokens = featurizer._get_processed_message_tokens_by_attribute(message, TEXT)
            if not tokens:
                assert ours == []
                continue
            assert [f.type for f in ours] == ["sentence"]  # no per-token sequence matrix
            expected = featurizer.vectorizers[TEXT].transform([" ".join(tokens)])
            got = ours[0].features.tocsr()
            assert got.shape == expected.shape and got.dtype == expected.dtype
            assert (got != expected).nnz == 0, text
            compared += 1
    assert compared > 3000


def test_a_parse_reports_the_most_probable_intent(agent: Agent) -> None:
    import asyncio

    result = asyncio.run(agent.parse_message("mijn zoon zit al zes weken thuis"))
    ranking = result["intent_ranking"]
    assert result["intent"]["name"] == "child_at_home"
    assert [r["confidence"] for r in ranking] == sorted((r["confidence"] for r in ranking), reverse=True)
    assert abs(sum(r["confidence"] for r in ranking) - 1.0) < 1e-6 or len(ranking) == 10


# --- patches.graph_runner: the in-order runner gives dask's results ----------------------------

def test_the_in_order_graph_runner_gives_the_same_results_as_dask(agent: Agent) -> None:
    import asyncio

    from rasa.engine.runner.dask import DaskGraphRunner

    from patches import graph_runner

    assert graph_runner.is_applied()
    processor = agent.processor
    runner = processor.graph_runner  # type: ignore[union-attr]
    nlu_target = processor.model_metadata.nlu_target  # type: ignore[union-attr]
    for text in ["mijn zoon zit al zes weken thuis", "", "wat is jullie telefoonnummer?", "ja"]:
        ours = runner.run(inputs={"__message__": [UserMessage(text, message_id="m")]}, targets=[nlu_target])
        theirs = graph_runner._original(
            runner, inputs={"__message__": [UserMessage(text, message_id="m")]}, targets=[nlu_target]
        )
        assert list(ours) == list(theirs) == [nlu_target]
        mine, dasks = ours[nlu_target][0], theirs[nlu_target][0]
        doc = "text_spacy_doc"  # a spaCy Doc object: compared by its text
        assert {k: v for k, v in mine.as_dict_nlu().items() if k != doc} == {
            k: v for k, v in dasks.as_dict_nlu().items() if k != doc}
        assert str(mine.get(doc)) == str(dasks.get(doc))
        assert set(mine.data) == set(dasks.data)
        assert mine.get("intent") == dasks.get("intent") and mine.get("intent_ranking") == dasks.get("intent_ranking")

    # The policy graph on a real conversation: the same prediction at each step.
    # (The message is logged, not handled: this agent has no action server, and a turn whose action
    # server fails is not saved, patches/turn_failure.py.)
    message = UserMessage("mijn dochter zit al twee maanden thuis", sender_id="graph-runner-test")
    tracker = asyncio.run(processor.log_message(message, should_save_tracker=False))  # type: ignore[union-attr]
    core_target = processor.model_metadata.core_target  # type: ignore[union-attr]
    ours = runner.run(inputs={"__tracker__": tracker}, targets=[core_target])[core_target]
    theirs = graph_runner._original(runner, inputs={"__tracker__": tracker}, targets=[core_target])[core_target]
    assert ours.max_confidence_index == theirs.max_confidence_index
    assert ours.probabilities == theirs.probabilities
    assert ours.policy_name == theirs.policy_name
    assert isinstance(runner, DaskGraphRunner)


def test_a_failing_component_fails_the_run_as_with_dask() -> None:
    from patches import graph_runner

    def boom(*_: object) -> None:
        raise ValueError("kapot")

    graph = {"a": ("a", 1), "b": (boom, "a"), "c": (lambda x: ("c", x), "b")}
    with pytest.raises(ValueError, match="kapot"):
        graph_runner.evaluate(graph, ["c"])
    import dask

    with pytest.raises(ValueError, match="kapot"):
        dask.get(graph, ["c"])
    ok = {"in": ("in", 2), "double": (lambda x: ("double", x[1] * 2), "in"),
          "sum": (lambda x, y: ("sum", x[1] + y[1]), "in", "double")}
    assert graph_runner.evaluate(ok, ["sum", "double"]) == dict(zip(["sum", "double"], dask.get(ok, ["sum", "double"])))

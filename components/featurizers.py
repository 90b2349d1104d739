"""`SentenceCountVectorsFeaturizer`: Rasa's CountVectorsFeaturizer, sentence features only.

Rasa's featurizer makes two kinds of features for each message: a sequence matrix (one row per
token, for DIET and TED) and a sentence vector (the counts over the whole message). Our classifier
(components.intent_classifier) reads only the sentence vector, and RulePolicy reads no features,
so the sequence matrix was computed for nothing on every message: half of the featurizers' time,
which was about 13% of a turn under load (py-spy, `make bench`).

This subclass trains exactly as Rasa's (same vocabulary, same settings) and makes the same
sentence vector, counted straight from the vectorizer's analyzer and vocabulary instead of through
scikit-learn's `transform` (a test checks they are equal for every training and held-out message).
Sequence features are not made; don't put a component that needs them (DIET, TED) after it.
"""

from __future__ import annotations

from collections import Counter
from typing import Callable, Dict, List, Optional, Text, Tuple

import numpy as np
import scipy.sparse
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer


def count_vector(
    analyze: Callable[[Text], List[Text]], vocabulary: Dict[Text, int], text: Text, *, binary: bool = False
) -> scipy.sparse.coo_matrix:
    """The 1 x |vocabulary| count vector of `text`, as scikit-learn's CountVectorizer.transform
    makes it (known n-grams only, sorted column indices, int64 counts)."""
    counts = Counter(vocabulary[feature] for feature in analyze(text) if feature in vocabulary)
    columns = np.array(sorted(counts), dtype=np.int32)
    values = np.array([1 if binary else counts[c] for c in columns], dtype=np.int64)
    rows = np.zeros(len(columns), dtype=np.int32)
    return scipy.sparse.coo_matrix((values, (rows, columns)), shape=(1, len(vocabulary)), dtype=np.int64)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class SentenceCountVectorsFeaturizer(CountVectorsFeaturizer):
    """Bag-of-n-grams counts per message (sentence features); no per-token sequence features."""

    _analyzers: Optional[Dict[Text, Callable[[Text], List[Text]]]] = None

    def _sentence_vector(self, attribute: Text, text: Text) -> scipy.sparse.coo_matrix:
        vectorizer = self.vectorizers[attribute]
        if self._analyzers is None:
            self._analyzers = {}
        analyze = self._analyzers.get(attribute)
        if analyze is None:
            analyze = self._analyzers[attribute] = vectorizer.build_analyzer()
        return count_vector(analyze, vectorizer.vocabulary_, text, binary=bool(vectorizer.binary))

    def _create_features(
        self, attribute: Text, all_tokens: List[List[Text]]
    ) -> Tuple[List[Optional[scipy.sparse.spmatrix]], List[Optional[scipy.sparse.spmatrix]]]:
        """As Rasa's, without the sequence matrix: (all None, sentence vectors)."""
        if not self.vectorizers.get(attribute):
            return [None], [None]
        sequence: List[Optional[scipy.sparse.spmatrix]] = []
        sentence: List[Optional[scipy.sparse.spmatrix]] = []
        for tokens in all_tokens:
            sequence.append(None)
            if tokens and attribute in DENSE_FEATURIZABLE_ATTRIBUTES:
                sentence.append(self._sentence_vector(attribute, " ".join(tokens)))
            else:
                sentence.append(None)
        return sequence, sentence

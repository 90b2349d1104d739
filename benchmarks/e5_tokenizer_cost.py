"""Memory and CPU of the e5 tokenizer (components.e5_model_file) against an earlier revision's.

    python -m benchmarks.e5_tokenizer_cost [--base REV] [--repeat N]

The baseline is the same file at REV (default 69c81a6: the vocabulary as 250k Python strings and a
dict), read with `git show` and run in the same run. Memory: a fresh process per measurement
(alternating, N each) reads the model file, builds the tokenizer and tokenises one long message;
it prints the RSS that added (VmRSS, and RssAnon: not the model file's shared pages) and, in
another fresh process, what tracemalloc sees held. CPU: in one process, the
median per long held-out message (tests/nlu/test_nlu_long.yml) of tokenising "query: " + text and
looking up its embedding rows, with an empty word cache ("cold", every word new) and a full one.
Numbers only; nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from types import ModuleType
from typing import Dict, List

import yaml

REPO = Path(__file__).resolve().parents[1]
FILE = "components/e5_model_file.py"


def long_messages() -> List[str]:
    items = yaml.safe_load((REPO / "tests/nlu/test_nlu_long.yml").read_text(encoding="utf-8"))["nlu"]
    return [line.strip()[2:] for item in items for line in item.get("examples", "").splitlines()
            if line.strip().startswith("- ")]


def module_at(base: str) -> ModuleType:
    """components/e5_model_file.py as it was at `base` (a revision) or as it is now ("now")."""
    path = REPO / FILE
    if base != "now":
        source = subprocess.run(["git", "show", f"{base}:{FILE}"], cwd=REPO, check=True, capture_output=True).stdout
        path = Path(tempfile.mkdtemp()) / "e5_model_file_base.py"
        path.write_bytes(source)
    spec = importlib.util.spec_from_file_location(f"e5_model_file_{base}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def memory_mb() -> Dict[str, float]:
    """VmRSS and its anonymous part (RssAnon; the rest is the model file's pages, shared)."""
    lines = Path("/proc/self/status").read_text().splitlines()
    return {line.split(":")[0]: int(line.split()[1]) / 1024 for line in lines if line.startswith(("VmRSS", "RssAnon"))}


def child(base: str, traced: bool) -> None:
    """One fresh process: what reading the model file, building the tokenizer and tokenising one long
    message add: RSS (VmRSS, RssAnon) or, with `traced`, the memory tracemalloc sees still held."""
    module = module_at(base)
    text = max(long_messages(), key=len)
    if traced:
        tracemalloc.start()
    before = memory_mb()
    model = module.ModelFile()
    tokenizer = module.Tokenizer(model)
    tokenizer.content_ids("query: " + text)
    model.word_vectors([0, 5, 7])
    after = memory_mb()
    if traced:
        print(f"traced {tracemalloc.get_traced_memory()[0] / 2**20:.1f} MB")
    else:
        print(f"RSS +{after['VmRSS'] - before['VmRSS']:.1f} MB (anonymous +{after['RssAnon'] - before['RssAnon']:.1f} MB)")


def cpu_per_message(module: ModuleType, texts: List[str], cold: bool) -> float:
    model = module.ModelFile()
    tokenizer = module.Tokenizer(model)
    if not cold:
        for text in texts:
            tokenizer.content_ids("query: " + text)
    times = []
    for text in texts:
        if cold:
            tokenizer._word.cache_clear()
        start = time.process_time()
        ids = [tokenizer.bos, *tokenizer.content_ids("query: " + text), tokenizer.eos]
        model.word_vectors(ids)
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="69c81a6")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.traced)
        return
    print(f"e5 tokenizer: base {args.base} against now, {args.repeat} fresh processes each")
    for _ in range(args.repeat):
        for base in (args.base, "now"):
            out = [subprocess.run([sys.executable, "-m", "benchmarks.e5_tokenizer_cost", "--child", base, *traced],
                                  cwd=REPO, check=True, capture_output=True, text=True).stdout.strip()
                   for traced in ([], ["--traced"])]
            print(f"  {base:>8}: model file + tokenizer + one long message: {out[0]}; {out[1]}")
    texts, modules = long_messages(), {base: module_at(base) for base in (args.base, "now")}
    for _ in range(args.repeat):
        for cold in (True, False):
            base, now = (cpu_per_message(modules[b], texts, cold) for b in (args.base, "now"))
            print(f"  CPU per long message (tokenise + embedding rows), {'cold' if cold else 'warm'} word cache: "
                  f"base {base:.3f} ms, now {now:.3f} ms, now/base {now / base:.2f}x")


if __name__ == "__main__":
    main()

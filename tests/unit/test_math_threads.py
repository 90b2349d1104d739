"""`python -m patches run` gives numpy's OpenBLAS one thread (patches/__main__.py): its idle threads
spin and take a core from the action server or a second replica. Checked in fresh processes, as the
entry point does it (before numpy is imported), with threadpoolctl reading the loaded library."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest

from patches.__main__ import MATH_THREAD_SETTINGS, one_math_thread_when_serving

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, sys
from patches.__main__ import one_math_thread_when_serving
import os
one_math_thread_when_serving(sys.argv, os.environ)
import numpy
from threadpoolctl import threadpool_info
print(json.dumps({pool["internal_api"]: pool["num_threads"] for pool in threadpool_info()}))
"""


def pools(command: List[str], extra: Dict[str, str]) -> Dict[str, int]:
    env = {key: value for key, value in os.environ.items() if key not in MATH_THREAD_SETTINGS}
    done = subprocess.run([sys.executable, "-c", PROBE, *command], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          env={**env, "PYTHONPATH": str(PROJECT_ROOT), **extra}, timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_serving_uses_one_math_thread_and_training_keeps_the_pool() -> None:
    serving = pools(["run"], {})
    assert serving.get("openblas") == 1, serving
    training = pools(["train"], {})
    if (os.cpu_count() or 1) > 1:
        assert training["openblas"] > 1, training


def test_an_operators_value_is_kept() -> None:
    assert pools(["run"], {"OPENBLAS_NUM_THREADS": "2"})["openblas"] == 2
    environ = {"OMP_NUM_THREADS": "4"}
    one_math_thread_when_serving(["patches", "shell"], environ)
    assert environ == {"OMP_NUM_THREADS": "4", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


@pytest.mark.parametrize("argv", [["patches"], ["patches", "train"], ["patches", "test", "nlu"]])
def test_other_commands_are_left_alone(argv: List[str]) -> None:
    environ: Dict[str, str] = {}
    one_math_thread_when_serving(argv, environ)
    assert environ == {}

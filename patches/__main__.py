"""`python -m patches ARGS`: Rasa's own command line (`rasa ARGS`) with the project's patches.

The one way we start Rasa: `make run`, `make train`, `make validate`, the test harness, `rasa test`
in the tests and the benchmarks all call this, so every Rasa process runs the code we test. Before
Rasa is imported, every setting a Rasa process reads (store/known_settings.py, RASA_SERVER) is
checked; a bad one stops it with exit code 2 and the operator error.
"""

from __future__ import annotations

import os
import sys
from typing import List, MutableMapping

import patches
from store import known_settings
from store.settings import refuse_bad_settings

# The math libraries' own thread pools (numpy's OpenBLAS; MKL and OpenMP where present).
MATH_THREAD_SETTINGS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
SERVING_COMMANDS = ("run", "shell")


def one_math_thread_when_serving(argv: List[str], environ: MutableMapping[str, str]) -> None:
    """A Rasa server does its math on one thread. Measured 1 Dec 2026 (2 cores, our model, parsing
    messages in a loop): with OpenBLAS's default pool the parse used 1.99 cores for 24% more parses
    (11.1 ms of CPU per parse instead of 6.9): its idle threads spin, and take the core that the
    action server, nginx or a second replica needs. Must run before numpy is imported; a value the
    operator set is kept. Training (`train`, `test`) keeps the pool: there it shortens the fits."""
    if len(argv) > 1 and argv[1] in SERVING_COMMANDS:
        for name in MATH_THREAD_SETTINGS:
            environ.setdefault(name, "1")


def main() -> None:
    refuse_bad_settings("Rasa (python -m patches)", known_settings.RASA_SERVER)
    one_math_thread_when_serving(sys.argv, os.environ)
    patches.apply_all()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()

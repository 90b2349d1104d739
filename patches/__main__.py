"""`python -m patches ARGS`: Rasa's own command line (`rasa ARGS`) with the project's patches.

The one way we start Rasa: `make run`, `make train`, `make validate`, the test harness, `rasa test`
in the tests and the benchmarks all call this, so every Rasa process runs the code we test. Before
Rasa is imported, every setting a Rasa process reads (store/known_settings.py, RASA_SERVER) is
checked; a bad one stops it with exit code 2 and the operator error.
"""

from __future__ import annotations

import sys

import patches
from store import known_settings
from store.settings import refuse_bad_settings


def main() -> None:
    refuse_bad_settings("Rasa (python -m patches)", known_settings.RASA_SERVER)
    patches.apply_all()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()

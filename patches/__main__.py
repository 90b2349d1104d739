"""`python -m patches ARGS`: Rasa's own command line (`rasa ARGS`) with the project's patches.

The one way we start Rasa: `make run`, `make train`, `make validate`, the test harness, `rasa test`
in the tests and the benchmarks all call this, so every Rasa process runs the code we test.
"""

from __future__ import annotations

import sys

import patches


def main() -> None:
    patches.apply_all()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()

"""Run the `rasa` command line with fixed random seeds: `python -m benchmarks.seeded_rasa test nlu ...`.

Why: `rasa test nlu --cross-validation` splits the folds with sklearn's
`StratifiedKFold(shuffle=True)` without a random_state, i.e. from numpy's global random state. With
the same seed here, ours and the baseline are cross-validated on exactly the same five folds, and
a re-run gives the same folds. If BENCH_FOLDS_FILE is set, a sha256 of each fold's test texts is
written there, so the report can show that both pipelines saw the same folds. With BENCH_PATCHED=1
the project's patches/ are applied first, as `python -m patches` does (ours; the baseline runs stock).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sys
from typing import Any, Iterator, List, Tuple

SEED = 20261201


def _seed_folds(record_path: str) -> None:
    """Re-seed numpy right before the folds are drawn; optionally record a hash of each fold."""
    import numpy as np
    import rasa.nlu.test as nlu_test

    original = nlu_test.generate_folds
    hashes: List[str] = []

    def generate_folds(n: int, training_data: Any) -> Iterator[Tuple[Any, Any]]:
        np.random.seed(SEED)
        for train, test in original(n, training_data):
            texts = sorted(example.get("text") or "" for example in test.intent_examples)
            hashes.append(hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16])
            if record_path:
                with open(record_path, "w", encoding="utf-8") as handle:
                    json.dump({"seed": SEED, "test_fold_sha256": hashes}, handle, indent=2)
            yield train, test

    nlu_test.generate_folds = generate_folds


def main() -> None:
    import numpy as np

    random.seed(SEED)
    np.random.seed(SEED)
    _seed_folds(os.environ.get("BENCH_FOLDS_FILE", ""))
    if os.environ.get("BENCH_PATCHED") == "1":
        import patches

        patches.apply_all()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()

"""Rasa's own checks: data validation, the test stories, and the held-out NLU floor."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from harness.servers import PROJECT_ROOT, RASA_CLI

MODEL = PROJECT_ROOT / "models" / "advieslijn.tar.gz"
# Held-out intent accuracy must stay at or above these floors (the measured accuracy minus a small
# margin). Raise them as the data improves; never lower them to make a run pass. The margin must hold
# the model's own spread: the same data trained with another seed of the stacking folds moves each set
# by one or two messages (1 Dec 2026, random_state 42 / 1 / 2: test_nlu 0.947 / 0.954 / 0.947, long
# 0.93 / 0.91 / 0.93, ending 0.750 / 0.708 / 0.708), so a floor inside that spread fails by chance.
HELD_OUT_FLOORS = {
    # config.yml (counts and e5 meaning, stacked) measured 0.954 on 2026-11-30 (the counts-only
    # benchmarks/sparse_config.yml 0.944)
    "test_nlu.yml": 0.93,
    # 100 long parent messages, three sentences or more (issue 12); measured 0.940 (counts only 0.900).
    # The floor is the target: 0.92 was inside the seed spread above (random_state 1: 0.91).
    "test_nlu_long.yml": 0.90,
    # 48 answers at the end of a conversation (feedback, "meer uitleg"; issue 12); measured 0.729 on
    # 2026-11-30 (35 of 48; one answer is 0.021). Plain ja/nee after the ending are read by the rules.
    "test_nlu_ending.yml": 0.68,
}

pytestmark = pytest.mark.rasa_cli


def rasa(*args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    return subprocess.run(
        [*RASA_CLI, *args],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=timeout,
    )


def test_data_validates_without_warnings() -> None:
    result = rasa("data", "validate", "--domain", "domain", "--fail-on-warnings")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert "UserWarning" not in output, output[-4000:]


def test_test_stories_pass_without_prediction_errors(tmp_path: Path) -> None:
    result = rasa(
        "test", "core", "--stories", "tests/stories", "--model", str(MODEL),
        "--out", str(tmp_path), "--fail-on-prediction-errors",
    )
    failed = tmp_path / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:] + details
    assert "None of the test stories failed" in details


@pytest.mark.parametrize("held_out", sorted(HELD_OUT_FLOORS))
def test_held_out_intent_accuracy_floor(held_out: str, tmp_path: Path) -> None:
    path = PROJECT_ROOT / "tests" / "nlu" / held_out
    result = rasa("test", "nlu", "--nlu", str(path), "--model", str(MODEL), "--out", str(tmp_path))
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    report = json.loads((tmp_path / "intent_report.json").read_text())
    accuracy = report["accuracy"]
    floor = HELD_OUT_FLOORS[held_out]
    print(f"{held_out}: held-out intent accuracy {accuracy:.3f} (floor {floor})")
    assert accuracy >= floor

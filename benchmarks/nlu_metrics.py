"""What `make eval` computes from `rasa test nlu` output: the predictions, accuracy, macro-F1,
per-intent F1, the most confused pairs, the determinism check and the confusion-matrix pictures."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Sequence, Tuple

import yaml

from benchmarks.common import BenchError

Prediction = Tuple[str, str, str, float]  # text, true intent, predicted intent, confidence


def read_predictions(result_dir: Path) -> List[Prediction]:
    """All predictions of a `rasa test nlu` run (its successes and errors files), sorted by text."""
    rows: List[Prediction] = []
    for name in ("intent_successes.json", "intent_errors.json"):
        path = result_dir / name
        if path.exists():
            for item in json.loads(path.read_text(encoding="utf-8")):
                predicted = item["intent_prediction"]
                rows.append((item["text"], item["intent"], str(predicted.get("name")),
                             float(predicted.get("confidence") or 0.0)))
    if not rows:
        raise BenchError(f"no predictions in {result_dir}; see the log next to it")
    return sorted(rows)


def metrics(predictions: Sequence[Prediction], fallback_threshold: float, top: int = 3) -> Dict[str, Any]:
    """Accuracy, macro-F1 over the true intents, per-intent F1 and the `top` most confused pairs."""
    from sklearn.metrics import precision_recall_fscore_support

    truth = [p[1] for p in predictions]
    guess = [p[2] for p in predictions]
    labels = sorted(set(truth))
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, guess, labels=labels, zero_division=0
    )
    confused = Counter((t, g) for t, g in zip(truth, guess) if t != g)
    return {
        "examples": len(predictions),
        "accuracy": sum(t == g for t, g in zip(truth, guess)) / len(predictions),
        "macro_f1": float(sum(f1) / len(f1)),
        "below_fallback_threshold": sum(p[3] < fallback_threshold for p in predictions) / len(predictions),
        "fallback_threshold": fallback_threshold,
        "per_intent": {
            label: {"f1": float(f), "precision": float(p), "recall": float(r), "support": int(s)}
            for label, p, r, f, s in zip(labels, precision, recall, f1, support)
        },
        "most_confused": [
            {"true": t, "predicted": g, "count": n} for (t, g), n in confused.most_common(top)
        ],
    }


def fallback_threshold(config: Path) -> float:
    for component in yaml.safe_load(config.read_text(encoding="utf-8")).get("pipeline") or []:
        if component.get("name") == "FallbackClassifier":
            return float(component.get("threshold", 0.3))
    return 0.0


def plot_confusion(predictions: Sequence[Prediction], title: str, path: Path) -> None:
    """Confusion matrix: rows the true intent, columns the prediction; colour = share of the row."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    labels = sorted({p[1] for p in predictions} | {p[2] for p in predictions})
    index = {label: i for i, label in enumerate(labels)}
    counts = np.zeros((len(labels), len(labels)), dtype=int)
    for _, truth, guess, _ in predictions:
        counts[index[truth], index[guess]] += 1
    shares = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    fig, ax = plt.subplots(figsize=(11, 10))
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    for i in range(len(labels)):
        for j in range(len(labels)):
            if counts[i, j]:
                colour = "white" if shares[i, j] > 0.6 else ("darkred" if i != j else "black")
                ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize=8, color=colour)
    ax.set_xticks(range(len(labels)))
    ax.set_yticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=60, ha="right", fontsize=8)
    ax.set_yticklabels(labels, fontsize=8)
    ax.set_xlabel("predicted intent")
    ax.set_ylabel("true intent")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def cv_fold_scores(log_path: Path) -> Dict[str, str]:
    """Rasa's per-fold mean (std) lines for the test folds, e.g. {'Accuracy': '0.950 (0.010)'}."""
    found = re.findall(r" - test (Accuracy|F1-score|Precision): ([\d.]+ \([\d.]+\))",
                       log_path.read_text(errors="replace"))
    return dict(found)


def determinism(a: Sequence[Prediction], b: Sequence[Prediction]) -> Dict[str, Any]:
    """Are the two trainings' held-out predictions identical (intent and confidence)?"""
    different_intent = sum(x[2] != y[2] for x, y in zip(a, b))
    max_diff = max(abs(x[3] - y[3]) for x, y in zip(a, b))
    return {
        "examples": len(a),
        "same_texts": [x[0] for x in a] == [y[0] for y in b],
        "different_intents": different_intent,
        "max_confidence_difference": max_diff,
        "identical": different_intent == 0 and max_diff == 0.0 and len(a) == len(b),
    }

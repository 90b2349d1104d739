"""`make eval`: NLU quality of our pipeline beside Rasa's default pipeline, on the same data.

For each pipeline (config.yml and benchmarks/baseline_config.yml):

1. `rasa train nlu` on data/ (into a temporary folder; Rasa's training cache off),
2. `rasa test nlu` on the held-out set tests/nlu/test_nlu.yml (never used for training),
3. `rasa test nlu --cross-validation --folds 5` on the training data, with the fold split seeded
   (benchmarks/seeded_rasa.py) so that both pipelines see the same five folds.

Every step reads a copy of config.yml, data/, components/, benchmarks/ and the held-out set taken
at the start, and runs from that copy (so our custom components import from it): edits to the repo
during the run cannot mix versions. Ours is trained twice, and the two models' held-out predictions
are compared (determinism check).
Accuracy, macro-F1, per-intent F1, the most confused intent pairs and a confusion matrix (PNG)
per pipeline go to reports/eval/, the comparison to reports/eval_summary.md. As in `rasa test nlu`,
a FallbackClassifier prediction is undone, so a prediction is always the classifier's top intent;
the share of held-out messages under the fallback threshold is reported separately.

The baseline's DIET takes most of the time (tens of minutes on 2 cores for the 5 folds). Its
results are reused from reports/eval/baseline/ when every input is identical (baseline config,
data/, held-out set, Rasa version, seed): the summary then says so and gives the original date.
`--fresh` retrains it anyway.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import yaml

from benchmarks import common, targets
from benchmarks.common import BenchError, md_table, ratio, say

TOOL = "eval"
OUT = common.REPORTS / "eval"
SUMMARY = common.REPORTS / "eval_summary.md"
FOLDS = 5
HELD_OUT = "tests/nlu/test_nlu.yml"
CONFIGS = {"ours": "config.yml", "baseline": "benchmarks/baseline_config.yml"}  # relative to the repo

Prediction = Tuple[str, str, str, float]  # text, true intent, predicted intent, confidence


def log(message: str) -> None:
    say(TOOL, message)


# ---------------------------------------------------------------------------------------------
# Steps


class Steps:
    """Runs and times the steps; keeps what each one did for the report."""

    def __init__(self) -> None:
        self.done: List[Dict[str, Any]] = []

    def add(self, name: str, seconds: float, reused_from: Optional[str] = None) -> None:
        self.done.append({"step": name, "seconds": round(seconds, 1), "reused_from": reused_from})
        note = f" (reused from {reused_from})" if reused_from else ""
        log(f"{name}: {seconds:.1f} s{note}")


def held_out_test(root: Path, model: Path, out_dir: Path) -> float:
    """`rasa test nlu` of `model` on root's held-out set, run from `root`."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    return common.run_logged(
        f"held-out test of {model.name}",
        [common.RASA, "test", "nlu", "--nlu", root / HELD_OUT, "--model", model, "--out", out_dir,
         "--successes", "--no-plot"],
        out_dir.parent / f"{out_dir.name}.log", cwd=root,
    )


def cross_validate(root: Path, config: Path, out_dir: Path) -> float:
    """Seeded `rasa test nlu --cross-validation` of `config` on root's data/, run from `root`."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    return common.run_logged(
        f"{FOLDS}-fold cross-validation of {config.name}",
        [common.PYTHON, "-m", "benchmarks.seeded_rasa", "test", "nlu", "--nlu", root / "data",
         "--cross-validation", "--folds", str(FOLDS), "--config", config, "--out", out_dir,
         "--successes", "--no-plot"],
        out_dir.parent / f"{out_dir.name}.log", cwd=root,
        env=common.rasa_env(BENCH_FOLDS_FILE=str(out_dir / "folds.json")),
    )


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


# ---------------------------------------------------------------------------------------------
# Metrics and pictures


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


# ---------------------------------------------------------------------------------------------
# The pipelines


def evaluate_ours(root: Path, work: Path, steps: Steps) -> Dict[str, Any]:
    """Train ours twice, test both on the held-out set, cross-validate once (all from `root`)."""
    out = OUT / "ours"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    config = root / CONFIGS["ours"]
    result: Dict[str, Any] = {"config": CONFIGS["ours"]}
    models = []
    for run in ("a", "b"):
        model, seconds = common.train(config, work, f"ours_{run}", out / f"train_{run}.log", nlu_only=True, root=root)
        steps.add(f"ours: train NLU (run {run})", seconds)
        result[f"train_seconds_{run}"] = round(seconds, 1)
        models.append(model)
    result["spacy_pipeline_in_training_log"] = common.spacy_pipeline_from_log(out / "train_a.log")
    for run, model in zip(("a", "b"), models):
        steps.add(f"ours: held-out test (run {run})", held_out_test(root, model, out / f"heldout_{run}"))
    steps.add(f"ours: {FOLDS}-fold cross-validation", cross_validate(root, config, out / "cv"))
    return result


def evaluate_baseline(root: Path, work: Path, steps: Steps, fresh: bool) -> Dict[str, Any]:
    """Train the baseline once, test it on the held-out set, cross-validate; or reuse all that when
    every input is the same as in the run that produced reports/eval/baseline/."""
    out = OUT / "baseline"
    stamp_path = out / "inputs.json"
    config = root / CONFIGS["baseline"]
    key = common.fingerprint(
        [config, root / "data", root / HELD_OUT, root / "benchmarks" / "seeded_rasa.py"],
        common.package_version("rasa"), str(FOLDS), root=root,
    )
    if not fresh and stamp_path.exists():
        stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
        complete = all((out / d).exists() for d in ("heldout_a", "cv"))
        if stamp.get("fingerprint") == key and complete:
            for step in stamp["steps"]:
                steps.add(step["step"], step["seconds"], reused_from=stamp["date"])
            return {**stamp["result"], "reused_from": stamp["date"]}
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    before = len(steps.done)
    model, seconds = common.train(config, work, "baseline", out / "train_a.log", nlu_only=True, root=root)
    steps.add("baseline: train NLU", seconds)
    steps.add("baseline: held-out test", held_out_test(root, model, out / "heldout_a"))
    steps.add(f"baseline: {FOLDS}-fold cross-validation", cross_validate(root, config, out / "cv"))
    result = {"config": CONFIGS["baseline"], "train_seconds_a": round(seconds, 1), "reused_from": None}
    common.write_json(stamp_path, {
        "fingerprint": key, "date": common.machine_info()["date"], "result": result,
        "steps": [s for s in steps.done[before:]],
    })
    return result


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


# ---------------------------------------------------------------------------------------------
# The report


def pct(value: float) -> str:
    return f"{value:.3f}"


def fold_text(scores: Dict[str, str]) -> str:
    return ", ".join(f"{k} {v.replace(' (', ' ± ').rstrip(')')}" for k, v in scores.items()) or "not logged"


def limits(report: Dict[str, Any]) -> List[str]:
    """Where ours loses accuracy: the weakest intents and the confusions, by intent only (the held-out
    texts are not repeated here: tests/nlu/README.md asks not to tune the training data against them)."""
    ours, base = report["pipelines"]["ours"], report["pipelines"]["baseline"]
    oh, bh, oc = ours["heldout"], base["heldout"], ours["cv"]
    weakest = sorted(oh["per_intent"].items(), key=lambda kv: kv[1]["f1"])[:4]
    lines = []
    accuracy = targets.HELD_OUT_ACCURACY
    gap = oh["accuracy"] - bh["accuracy"]
    if accuracy.missed_by(oh["accuracy"]) > 0:
        errors = round((1 - oh["accuracy"]) * oh["examples"])
        needed = errors - int((1 - accuracy.value) * oh["examples"])
        lines.append(f"- Held-out accuracy {oh['accuracy']:.3f} misses {accuracy} by "
                     f"{accuracy.missed_by(oh['accuracy']):.3f}: "
                     f"{errors} of {oh['examples']} messages wrong; {needed} fewer errors would reach the target.")
    if gap < targets.POINTS_ABOVE_BASELINE:
        lines.append(f"- Ours is {gap * 100:+.1f} points against the baseline; the target is "
                     f"+{targets.POINTS_ABOVE_BASELINE * 100:g} points.")
    lines.append("- Weakest intents on the held-out set (F1, precision, recall): " + "; ".join(
        f"{name} {m['f1']:.2f} (P {m['precision']:.2f}, R {m['recall']:.2f})" for name, m in weakest) + ".")
    lines.append("- The same intents in cross-validation (training data): " + "; ".join(
        f"{name} {oc['per_intent'][name]['f1']:.2f}" for name, _ in weakest if name in oc["per_intent"]) +
        f". CV is lower than held-out overall ({oc['accuracy']:.3f}): many training examples are one or two words "
        "(yes/no, greetings, 'stop') that are hard to classify when held out of their fold.")
    lines.append("- Errors by message text: reports/eval/ours/cv/intent_errors.json (training data, fine to study) "
                 "and reports/eval/ours/heldout_a/intent_errors.json (held-out: do not add or paraphrase these in data/).")
    return lines


def summary_markdown(report: Dict[str, Any]) -> str:
    ours, base = report["pipelines"]["ours"], report["pipelines"]["baseline"]
    oh, bh, oc, bc = ours["heldout"], base["heldout"], ours["cv"], base["cv"]
    acc_gap = oh["accuracy"] - bh["accuracy"]

    def row(name: str, o: float, b: float, fmt: str = "{:.3f}", target: str = "") -> List[str]:
        return [name, fmt.format(o), fmt.format(b), f"{o - b:+.3f}" if fmt == "{:.3f}" else f"{o - b:+.1f}",
                ratio(o, b), target]

    gap_note = ("met" if acc_gap >= targets.POINTS_ABOVE_BASELINE
                else f"missed by {(targets.POINTS_ABOVE_BASELINE - acc_gap) * 100:.1f} points")
    rows = [
        row("held-out intent accuracy", oh["accuracy"], bh["accuracy"],
            target=f"{targets.HELD_OUT_ACCURACY.verdict(oh['accuracy'])}; ≥ {targets.POINTS_ABOVE_BASELINE_TEXT} "
                   f"({gap_note})"),
        row("held-out macro-F1", oh["macro_f1"], bh["macro_f1"]),
        row("held-out share under the fallback threshold", oh["below_fallback_threshold"],
            bh["below_fallback_threshold"], target=f"ours {oh['fallback_threshold']}, baseline {bh['fallback_threshold']}"),
        row(f"{FOLDS}-fold CV intent accuracy (pooled)", oc["accuracy"], bc["accuracy"]),
        row(f"{FOLDS}-fold CV macro-F1 (pooled)", oc["macro_f1"], bc["macro_f1"]),
        row("NLU training time (s)", ours["train_seconds_a"], base["train_seconds_a"], fmt="{:.1f}",
            target=f"full training {targets.TRAIN_S.text}: see bench_summary.md"),
    ]
    intents = sorted(set(oh["per_intent"]) | set(oc["per_intent"]))
    per_intent = []
    for intent in intents:
        def f1(m: Dict[str, Any]) -> str:
            return f"{m['per_intent'][intent]['f1']:.2f}" if intent in m["per_intent"] else "-"
        support = oh["per_intent"].get(intent, {}).get("support", 0)
        delta = (oh["per_intent"][intent]["f1"] - bh["per_intent"][intent]["f1"]) if intent in oh["per_intent"] else None
        per_intent.append([intent, support, f1(oh), f1(bh), "-" if delta is None else f"{delta:+.2f}",
                           oc["per_intent"].get(intent, {}).get("support", 0), f1(oc), f1(bc)])

    def confused(m: Dict[str, Any]) -> str:
        return "; ".join(f"{c['true']} → {c['predicted']} ({c['count']})" for c in m["most_confused"]) or "none"

    det = report["determinism"]
    folds = report["same_cv_folds"]
    reused = base.get("reused_from")
    lines = [
        "# NLU evaluation: ours vs Rasa's default pipeline",
        "",
        f"Generated by `make eval` (benchmarks/nlu_eval.py) on {report['machine']['date']}.",
        f"Machine: {common.machine_line(report['machine'])}.",
        f"spaCy pipeline: `{report['spacy_pipeline']['which']}` (scripts/spacy_pipeline.py which); training log: "
        f"\"{ours.get('spacy_pipeline_in_training_log') or 'no spaCy line logged'}\".",
        f"Ours: `{ours['config']}`. Baseline: `{base['config']}` (Rasa 3.6's default, `language: nl`). Both trained "
        f"on `data/` ({oc['examples']} examples); held-out set `tests/nlu/test_nlu.yml` ({oh['examples']} examples, "
        "never trained on)." + (f" **Baseline figures reused from the run of {reused}** (identical baseline config, "
                                "data, held-out set and Rasa version; `--fresh` retrains)." if reused else
                                " Both trained in this run."),
        "As in `rasa test nlu`, the FallbackClassifier is undone: the prediction is the top intent.",
        f"Bot version: {report.get('bot_version', 'unknown')} (git); every step read a copy of config.yml, data/, "
        "components/, benchmarks/ and the held-out set taken at the start of the run.",
        "",
        md_table(["metric", "ours", "baseline", "difference", "ours/baseline", "target"], rows),
        "",
        f"Determinism (ours trained twice, held-out predictions compared): "
        f"**{'identical' if det['identical'] else 'NOT identical'}** ({det['different_intents']} of {det['examples']} "
        f"intents differ, largest confidence difference {det['max_confidence_difference']:.2g}).",
        f"Cross-validation folds: {'the same five folds for both pipelines' if folds else 'folds differ between pipelines!'} "
        f"(seeded split; fold hashes in reports/eval/*/cv/folds.json). Rasa's per-fold test figures, mean ± std over "
        f"the folds: ours {fold_text(ours['cv_fold_scores'])}; baseline {fold_text(base['cv_fold_scores'])}.",
        "",
        "## What limits the accuracy",
        "",
    ] + limits(report) + [
        "",
        "## Most confused intent pairs (true → predicted, count)",
        "",
        md_table(["set", "ours", "baseline"], [
            ["held-out", confused(oh), confused(bh)],
            [f"{FOLDS}-fold CV", confused(oc), confused(bc)],
        ]),
        "",
        "Confusion matrices: reports/eval/confusion_ours_heldout.png, reports/eval/confusion_baseline_heldout.png "
        "(and `_cv` for the cross-validation).",
        "",
        "## Per-intent F1",
        "",
        md_table(["intent", "held-out n", "ours", "baseline", "difference", "CV n", "ours CV", "baseline CV"], per_intent),
        "",
        "## Steps and their run time",
        "",
        md_table(["step", "seconds", "note"], [
            [s["step"], f"{s['seconds']:.1f}", f"reused from {s['reused_from']}" if s["reused_from"] else ""]
            for s in report["steps"]
        ]),
        "",
        f"Total wall time of this `make eval`: {report['total_seconds']:.0f} s.",
        "",
    ]
    return "\n".join(lines)


def cv_only(config: Path) -> None:
    """Cross-validate one config on data/ and print accuracy, macro-F1 and the most confused pairs.

    The held-out set is not touched, so this is the loop to tune data and config against; the
    errors (training data, fine to study) go to reports/eval/cv_only/<config name>/intent_errors.json.
    """
    config = config.resolve()
    if not config.exists():
        raise BenchError(f"{config} is missing")
    out = OUT / "cv_only" / config.stem  # one folder per config: several can run at once
    with tempfile.TemporaryDirectory(prefix="advieslijn-cv-") as tmp:
        root = common.snapshot(Path(tmp) / "project")
        seconds = cross_validate(root, config, out)
    result = metrics(read_predictions(out), fallback_threshold(config), top=8)
    log(f"{FOLDS}-fold CV of {config.name} in {seconds:.0f} s: accuracy {result['accuracy']:.3f}, "
        f"macro-F1 {result['macro_f1']:.3f} ({result['examples']} examples)")
    for pair in result["most_confused"]:
        log(f"  {pair['true']} -> {pair['predicted']}: {pair['count']}")
    weakest = sorted(result["per_intent"].items(), key=lambda kv: kv[1]["f1"])[:6]
    log("  weakest F1: " + ", ".join(f"{name} {m['f1']:.2f}" for name, m in weakest))
    log(f"  errors: {out / 'intent_errors.json'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fresh", action="store_true", help="retrain the baseline even if its inputs are unchanged")
    parser.add_argument("--report-only", action="store_true", help="only rewrite eval_summary.md from reports/eval/eval.json")
    parser.add_argument("--cv-only", metavar="CONFIG", type=Path,
                        help="only the seeded 5-fold cross-validation of CONFIG on data/ (never the held-out "
                             "set), into reports/eval/cv_only/<config name>/: for tuning data and config")
    args = parser.parse_args()
    if args.cv_only:
        cv_only(args.cv_only)
        return
    if args.report_only:
        if not (OUT / "eval.json").exists():
            raise BenchError("reports/eval/eval.json is missing; run `make eval`")
        SUMMARY.write_text(summary_markdown(json.loads((OUT / "eval.json").read_text(encoding="utf-8"))), encoding="utf-8")
        return
    for path in (common.OUR_CONFIG, common.BASELINE_CONFIG, common.HELD_OUT, common.RASA):
        if not path.exists():
            raise BenchError(f"{path} is missing; run `make install` (and check the repo is complete)")
    started = time.monotonic()
    machine = common.machine_info()
    version = common.git_version()
    OUT.mkdir(parents=True, exist_ok=True)
    steps = Steps()
    which = common.spacy_pipeline_which()
    log(f"spaCy pipeline: {which}; bot version {version}")
    with tempfile.TemporaryDirectory(prefix="advieslijn-eval-") as tmp:
        # Every step reads this copy, taken now: edits to the repo during the run cannot mix versions.
        root = common.snapshot(Path(tmp) / "project")
        work = Path(tmp) / "models"
        ours = evaluate_ours(root, work, steps)
        base = evaluate_baseline(root, work, steps, args.fresh)
        thresholds = {name: fallback_threshold(root / CONFIGS[name]) for name in CONFIGS}

    pipelines: Dict[str, Dict[str, Any]] = {"ours": ours, "baseline": base}
    for name, info in pipelines.items():
        threshold = thresholds[name]
        held = read_predictions(OUT / name / "heldout_a")
        cv = read_predictions(OUT / name / "cv")
        info["heldout"] = metrics(held, threshold)
        info["cv"] = metrics(cv, threshold)
        info["cv_fold_scores"] = cv_fold_scores(OUT / name / "cv.log")
        label = "ours (config.yml)" if name == "ours" else "baseline (Rasa default pipeline)"
        for kind, rows, m in (("heldout", held, info["heldout"]), ("cv", cv, info["cv"])):
            plot_confusion(rows, f"{label}, {'held-out set' if kind == 'heldout' else f'{FOLDS}-fold CV'}: "
                           f"accuracy {m['accuracy']:.3f}, macro-F1 {m['macro_f1']:.3f}",
                           OUT / f"confusion_{name}_{kind}.png")
    folds = [json.loads((OUT / n / "cv" / "folds.json").read_text())["test_fold_sha256"] for n in pipelines]
    report = {
        "machine": machine,
        "bot_version": version,
        "spacy_pipeline": {"which": which, "training_log": ours.get("spacy_pipeline_in_training_log")},
        "pipelines": pipelines,
        "determinism": determinism(read_predictions(OUT / "ours" / "heldout_a"),
                                   read_predictions(OUT / "ours" / "heldout_b")),
        "same_cv_folds": folds[0] == folds[1],
        "steps": steps.done,
        "total_seconds": round(time.monotonic() - started, 1),
        "targets": targets.eval_targets(),
    }
    common.write_json(OUT / "eval.json", report)
    SUMMARY.write_text(summary_markdown(report), encoding="utf-8")
    oh, bh = ours["heldout"], base["heldout"]
    log(f"held-out accuracy: ours {oh['accuracy']:.3f}, baseline {bh['accuracy']:.3f} "
        f"({(oh['accuracy'] - bh['accuracy']) * 100:+.1f} points, {ratio(oh['accuracy'], bh['accuracy'])}); "
        f"target {targets.HELD_OUT_ACCURACY.text} and ≥ {targets.POINTS_ABOVE_BASELINE_TEXT}")
    log(f"held-out macro-F1: ours {oh['macro_f1']:.3f}, baseline {bh['macro_f1']:.3f} ({ratio(oh['macro_f1'], bh['macro_f1'])})")
    log(f"{FOLDS}-fold CV accuracy: ours {ours['cv']['accuracy']:.3f}, baseline {base['cv']['accuracy']:.3f}; "
        f"macro-F1 ours {ours['cv']['macro_f1']:.3f}, baseline {base['cv']['macro_f1']:.3f}")
    log(f"determinism: {'identical' if report['determinism']['identical'] else 'NOT identical'} held-out predictions "
        f"from two trainings of ours")
    log(f"wrote {SUMMARY.relative_to(common.PROJECT_ROOT)} and reports/eval/ in {report['total_seconds']:.0f} s")


if __name__ == "__main__":
    common.run_main(TOOL, main)

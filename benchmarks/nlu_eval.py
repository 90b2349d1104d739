"""`make eval`: NLU quality of our pipeline beside Rasa's default pipeline, on the same data.

For each pipeline (config.yml, the previous counts-only pipeline benchmarks/sparse_config.yml, and
Rasa's default benchmarks/baseline_config.yml):

1. `rasa train nlu` on data/ (into a temporary folder; Rasa's training cache off),
2. `rasa test nlu` on the three held-out sets (never used for training): tests/nlu/test_nlu.yml,
   the long parent messages tests/nlu/test_nlu_long.yml and the answers at the end of a
   conversation tests/nlu/test_nlu_ending.yml,
3. `rasa test nlu --cross-validation --folds 5` on the training data, with the fold split seeded
   (benchmarks/seeded_rasa.py) so that both pipelines see the same five folds.

Every step reads a copy of the inputs (common.SNAPSHOT_ITEMS: config.yml, domain/, data/,
components/, patches/, benchmarks/ and the held-out sets) taken at the start, and runs from that copy
(so our custom components import from it, and ours runs with its patches/ through `python -m
patches`, the baseline on stock Rasa): edits to the repo during the run cannot mix versions. Ours is
trained twice, and the two models' held-out predictions are compared (determinism check).
Accuracy, macro-F1, per-intent F1, the most confused intent pairs and a confusion matrix (PNG)
per pipeline go to reports/eval/, the comparison to reports/eval_summary.md. As in `rasa test nlu`,
a FallbackClassifier prediction is undone, so a prediction is always the classifier's top intent;
the share of held-out messages under the fallback threshold is reported separately.

The baseline's DIET takes most of the time (tens of minutes on 2 cores for the 5 folds). Its
results are reused from reports/eval/baseline/ when every input is identical (baseline config,
data/, held-out sets, Rasa version, seed): the summary then says so and gives the original date.
`--fresh` retrains it anyway.

The metrics are in benchmarks.nlu_metrics, the summary in benchmarks.nlu_report, the targets in
benchmarks.targets.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

from benchmarks import common, nlu_turn_cpu, rasa_code, targets
from benchmarks.common import BenchError, ratio, say
from benchmarks.nlu_metrics import (
    cv_fold_scores, determinism, fallback_threshold, metrics, plot_confusion, read_predictions,
)
from benchmarks.nlu_report import FOLDS, summary_markdown

TOOL = "eval"
OUT = common.REPORTS / "eval"
SUMMARY = common.REPORTS / "eval_summary.md"
# relative to the repo (every step runs from a copy of it)
HELD_OUT_SETS = {kind: str(path.relative_to(common.PROJECT_ROOT))
                 for kind, path in (("heldout", common.HELD_OUT), ("heldout_long", common.HELD_OUT_LONG),
                                    ("heldout_ending", common.HELD_OUT_ENDING))}
CONFIGS = {name: str(path.relative_to(common.PROJECT_ROOT))
           for name, path in {**common.PIPELINES, "previous": common.PREVIOUS_CONFIG}.items()}


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


def fresh_dir(out: Path) -> Path:
    """`out`, emptied of an earlier run's files."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    return out


def held_out_test(root: Path, model: Path, out_dir: Path, *, patched: bool, kind: str = "heldout") -> float:
    """`rasa test nlu` of `model` on root's held-out set `kind` (HELD_OUT_SETS), run from `root` (with
    our patches/ or stock)."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    return common.run_logged(
        f"{kind} test of {model.name}",
        [*rasa_code.rasa_command(patched=patched), "test", "nlu", "--nlu", root / HELD_OUT_SETS[kind], "--model", model,
         "--out", out_dir, "--successes", "--no-plot"],
        out_dir.parent / f"{out_dir.name}.log", cwd=root,
    )


def held_out_tests(root: Path, model: Path, out: Path, run: str, name: str, steps: Steps, *, patched: bool) -> None:
    """Every held-out set, into out/<kind>_<run> (heldout_a, heldout_long_a, heldout_ending_a, ...)."""
    for kind in HELD_OUT_SETS:
        steps.add(f"{name}: {kind.replace('_', ' ')} test (run {run})",
                  held_out_test(root, model, out / f"{kind}_{run}", patched=patched, kind=kind))


def cross_validate(root: Path, config: Path, out_dir: Path, *, patched: bool) -> float:
    """Seeded `rasa test nlu --cross-validation` of `config` on root's data/, run from `root` (with our
    patches/ or stock)."""
    fresh_dir(out_dir)
    return common.run_logged(
        f"{FOLDS}-fold cross-validation of {config.name}",
        [common.PYTHON, "-m", "benchmarks.seeded_rasa", "test", "nlu", "--nlu", root / "data",
         "--cross-validation", "--folds", str(FOLDS), "--config", config, "--out", out_dir,
         "--successes", "--no-plot"],
        out_dir.parent / f"{out_dir.name}.log", cwd=root,
        env=common.rasa_env(BENCH_FOLDS_FILE=str(out_dir / "folds.json"), BENCH_PATCHED="1" if patched else ""),
    )


# ---------------------------------------------------------------------------------------------
# The pipelines


def evaluate_ours(root: Path, work: Path, steps: Steps) -> Dict[str, Any]:
    """Train ours twice, test both on the held-out sets, cross-validate once (all from `root`)."""
    out = fresh_dir(OUT / "ours")
    config = root / CONFIGS["ours"]
    result: Dict[str, Any] = {"config": CONFIGS["ours"]}
    models = []
    for run in ("a", "b"):
        model, seconds = common.train(config, work, f"ours_{run}", out / f"train_{run}.log", nlu_only=True,
                                      patched=True, root=root)
        steps.add(f"ours: train NLU (run {run})", seconds)
        result[f"train_seconds_{run}"] = round(seconds, 1)
        models.append(model)
    result["spacy_pipeline_in_training_log"] = common.spacy_pipeline_from_log(out / "train_a.log")
    for run, model in zip(("a", "b"), models):
        held_out_tests(root, model, out, run, "ours", steps, patched=True)
    steps.add(f"ours: {FOLDS}-fold cross-validation", cross_validate(root, config, out / "cv", patched=True))
    return result


def evaluate_previous(root: Path, work: Path, steps: Steps) -> Dict[str, Any]:
    """The counts-only pipeline config.yml replaced: train once, every held-out set, cross-validate."""
    out = fresh_dir(OUT / "previous")
    config = root / CONFIGS["previous"]
    model, seconds = common.train(config, work, "previous", out / "train_a.log", nlu_only=True, patched=True, root=root)
    steps.add("previous: train NLU", seconds)
    held_out_tests(root, model, out, "a", "previous", steps, patched=True)
    steps.add(f"previous: {FOLDS}-fold cross-validation", cross_validate(root, config, out / "cv", patched=True))
    return {"config": CONFIGS["previous"], "train_seconds_a": round(seconds, 1)}


def evaluate_baseline(root: Path, work: Path, steps: Steps, fresh: bool) -> Dict[str, Any]:
    """Train the baseline once, test it on the held-out sets, cross-validate; or reuse all that when
    every input is the same as in the run that produced reports/eval/baseline/."""
    out = OUT / "baseline"
    stamp_path = out / "inputs.json"
    config = root / CONFIGS["baseline"]
    key = common.fingerprint(
        [config, root / "data", *(root / p for p in HELD_OUT_SETS.values()), root / "benchmarks" / "seeded_rasa.py"],
        common.package_version("rasa"), str(FOLDS), root=root,
    )
    if not fresh and stamp_path.exists():
        stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
        complete = all((out / d).exists() for d in (*(f"{kind}_a" for kind in HELD_OUT_SETS), "cv"))
        if stamp.get("fingerprint") == key and complete:
            for step in stamp["steps"]:
                steps.add(step["step"], step["seconds"], reused_from=stamp["date"])
            return {**stamp["result"], "reused_from": stamp["date"]}
    fresh_dir(out)
    before = len(steps.done)
    model, seconds = common.train(config, work, "baseline", out / "train_a.log", nlu_only=True, patched=False,
                                  root=root)
    steps.add("baseline: train NLU", seconds)
    held_out_tests(root, model, out, "a", "baseline", steps, patched=False)
    steps.add(f"baseline: {FOLDS}-fold cross-validation", cross_validate(root, config, out / "cv", patched=False))
    result = {"config": CONFIGS["baseline"], "train_seconds_a": round(seconds, 1), "reused_from": None}
    common.write_json(stamp_path, {
        "fingerprint": key, "date": common.machine_info()["date"], "result": result,
        "steps": [s for s in steps.done[before:]],
    })
    return result


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
        seconds = cross_validate(root, config, out, patched=True)
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
    for path in (common.OUR_CONFIG, common.BASELINE_CONFIG, common.PREVIOUS_CONFIG, common.HELD_OUT,
                 common.HELD_OUT_LONG, common.HELD_OUT_ENDING, common.RASA):
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
        previous = evaluate_previous(root, work, steps)
        base = evaluate_baseline(root, work, steps, args.fresh)
        cpu_rows, seconds = nlu_turn_cpu.for_eval(root, [work / "ours_a.tar.gz", work / "previous.tar.gz"], OUT)
        steps.add("NLU CPU per message (ours with both e5 engines, previous)", seconds)
        thresholds = {name: fallback_threshold(root / CONFIGS[name]) for name in CONFIGS}

    pipelines: Dict[str, Dict[str, Any]] = {"ours": ours, "previous": previous, "baseline": base}
    labels = {"ours": "ours (config.yml)", "previous": "previous (counts only)", "baseline": "baseline (Rasa default)"}
    titles = {"heldout": "held-out set", "heldout_long": "long held-out set",
              "heldout_ending": "held-out ending answers", "cv": f"{FOLDS}-fold CV"}
    for name, info in pipelines.items():
        for kind in titles:
            rows = read_predictions(OUT / name / (kind if kind == "cv" else f"{kind}_a"))
            m = info[kind] = metrics(rows, thresholds[name])
            plot_confusion(rows, f"{labels[name]}, {titles[kind]}: accuracy {m['accuracy']:.3f}, "
                           f"macro-F1 {m['macro_f1']:.3f}", OUT / f"confusion_{name}_{kind}.png")
        info["cv_fold_scores"] = cv_fold_scores(OUT / name / "cv.log")
    folds = [json.loads((OUT / n / "cv" / "folds.json").read_text())["test_fold_sha256"] for n in pipelines]
    report = {
        "machine": machine,
        "bot_version": version,
        "spacy_pipeline": {"which": which, "training_log": ours.get("spacy_pipeline_in_training_log")},
        "pipelines": pipelines,
        "determinism": determinism(
            [p for kind in HELD_OUT_SETS for p in read_predictions(OUT / "ours" / f"{kind}_a")],
            [p for kind in HELD_OUT_SETS for p in read_predictions(OUT / "ours" / f"{kind}_b")]),
        "same_cv_folds": len(set(map(tuple, folds))) == 1,
        "nlu_cpu": cpu_rows,
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
    for name in pipelines:
        log(f"{name}: held-out {pipelines[name]['heldout']['accuracy']:.3f}, long held-out "
            f"{pipelines[name]['heldout_long']['accuracy']:.3f}, ending held-out "
            f"{pipelines[name]['heldout_ending']['accuracy']:.3f} (macro-F1 {pipelines[name]['heldout_ending']['macro_f1']:.3f}), "
            f"{FOLDS}-fold CV {pipelines[name]['cv']['accuracy']:.3f}")
    log(f"held-out macro-F1: ours {oh['macro_f1']:.3f}, baseline {bh['macro_f1']:.3f} ({ratio(oh['macro_f1'], bh['macro_f1'])})")
    log(f"{FOLDS}-fold CV accuracy: ours {ours['cv']['accuracy']:.3f}, baseline {base['cv']['accuracy']:.3f}; "
        f"macro-F1 ours {ours['cv']['macro_f1']:.3f}, baseline {base['cv']['macro_f1']:.3f}")
    log(f"determinism: {'identical' if report['determinism']['identical'] else 'NOT identical'} held-out predictions "
        f"from two trainings of ours")
    log(f"wrote {SUMMARY.relative_to(common.PROJECT_ROOT)} and reports/eval/ in {report['total_seconds']:.0f} s")


if __name__ == "__main__":
    common.run_main(TOOL, main)

"""reports/eval_summary.md: the NLU evaluation of ours beside the baseline, against the targets in
benchmarks.targets."""

from __future__ import annotations

from typing import Any, Dict, List

from benchmarks import common, targets
from benchmarks.common import md_table, ratio

FOLDS = 5  # the cross-validation folds of `make eval`


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
                 "and reports/eval/ours/heldout*_a/intent_errors.json (held-out: do not add or paraphrase these in data/).")
    return lines


ENDING = "heldout_ending"  # the answers at the end of a conversation (tests/nlu/test_nlu_ending.yml)


def ending_rows(p: Dict[str, Any], names: List[str]) -> List[List[Any]]:
    """Accuracy and macro-F1 on the held-out ending answers, when every pipeline has them (an
    eval.json from before that set has none: `--report-only` still works). No target: issue 12 sets none."""
    if not all(ENDING in p[n] for n in names):
        return []
    examples = p["ours"][ENDING]["examples"]
    return [[f"ending held-out accuracy (tests/nlu/test_nlu_ending.yml, {examples} answers)",
             *[f"{p[n][ENDING]['accuracy']:.3f}" for n in names], "none set"],
            ["ending held-out macro-F1", *[f"{p[n][ENDING]['macro_f1']:.3f}" for n in names], ""]]


def three_pipelines(report: Dict[str, Any]) -> List[str]:
    """Ours beside the previous counts-only pipeline and the baseline, on the held-out sets and in CV,
    with the per-intent F1 on the long messages (issue 12)."""
    p = report["pipelines"]
    names = [n for n in ("ours", "previous", "baseline") if n in p and "heldout_long" in p[n]]
    if len(names) < 3:
        return []
    ours, base = p["ours"], p["baseline"]
    cv_gap = ours["cv"]["accuracy"] - base["cv"]["accuracy"]

    def cells(kind: str, key: str) -> List[str]:
        return [f"{p[n][kind][key]:.3f}" for n in names]

    rows = [
        ["held-out accuracy (tests/nlu/test_nlu.yml)", *cells("heldout", "accuracy"),
         targets.HELD_OUT_ACCURACY.verdict(ours["heldout"]["accuracy"])],
        [f"long held-out accuracy (tests/nlu/test_nlu_long.yml, {ours['heldout_long']['examples']} messages)",
         *cells("heldout_long", "accuracy"), targets.LONG_ACCURACY.verdict(ours["heldout_long"]["accuracy"])],
        ["long held-out macro-F1", *cells("heldout_long", "macro_f1"), ""],
        *ending_rows(p, names),
        [f"{FOLDS}-fold CV accuracy", *cells("cv", "accuracy"),
         f"≥ {targets.CV_POINTS_ABOVE_BASELINE_TEXT} (ours {cv_gap * 100:+.1f} points: "
         + ("met)" if cv_gap >= targets.CV_POINTS_ABOVE_BASELINE else "missed)")],
        [f"{FOLDS}-fold CV macro-F1", *cells("cv", "macro_f1"), ""],
        ["NLU training time (s)", *[f"{p[n]['train_seconds_a']:.1f}" for n in names], ""],
    ]
    long_rows = [[intent, ours["heldout_long"]["per_intent"][intent]["support"],
                  *[f"{p[n]['heldout_long']['per_intent'].get(intent, {}).get('f1', 0.0):.2f}" for n in names]]
                 for intent in sorted(ours["heldout_long"]["per_intent"])]
    return [
        "## Long messages, and the previous pipeline",
        "",
        "Ours is config.yml (count features and the e5 sentence vector, combined by stacking: "
        "components.combined_classifier); previous is benchmarks/sparse_config.yml (counts only, the pipeline "
        "before issue 12); baseline is Rasa's default.",
        "",
        md_table(["metric", *names, "target (ours)"], rows),
        "",
        "Per-intent F1 on the long held-out messages:",
        "",
        md_table(["intent", "n", *names], long_rows),
        "",
    ]


def nlu_cpu(report: Dict[str, Any]) -> List[str]:
    """The CPU per message section (absent from an eval.json written before it was measured)."""
    rows = report.get("nlu_cpu")
    if not rows:
        return []
    return [
        "## NLU CPU per message (`benchmarks/nlu_turn_cpu.py`, process CPU time, not wall time)",
        "",
        md_table(["model", "e5 engine", "set", "messages", "median", "p95", "max", "target"], [
            [r["model"], r["engine"] or "-", r["set"], r["messages"], f"{r['median_ms']:.1f} ms", f"{r['p95_ms']:.1f} ms",
             f"{r['max_ms']:.1f} ms", targets.NLU_CPU_MS.verdict(r["median_ms"], f"median {targets.NLU_CPU_MS.text}")]
            for r in rows
        ]),
        "",
    ]


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
        f"Bot version: {report.get('bot_version', 'unknown')} (git); every step read a copy of "
        f"{common.snapshot_items_text()} taken at the start of the run.",
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
    ] + three_pipelines(report) + nlu_cpu(report) + [
        "## What limits the accuracy",
        "",
    ] + limits(report) + [
        "",
        "## Most confused intent pairs (true → predicted, count)",
        "",
        md_table(["set", "ours", "baseline"], [
            ["held-out", confused(oh), confused(bh)],
            *([["ending held-out", confused(ours[ENDING]), confused(base[ENDING])]]
              if ENDING in ours and ENDING in base else []),
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

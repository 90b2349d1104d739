"""reports/bench.png: latency percentiles and throughput per concurrency level, ours vs the
baseline, and where a turn's time goes."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict

from benchmarks import targets
from benchmarks.bench_report import level_of


def plot(report: Dict[str, Any], path: Path) -> None:
    """Latency percentiles and throughput per concurrency, ours vs baseline; plus the time split."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    levels = report["levels"]
    colours = {"ours": "#1f77b4", "baseline": "#ff7f0e"}
    fig, axes = plt.subplots(1, 3, figsize=(17, 5.2))
    x = np.arange(len(levels))
    width = 0.13
    ax = axes[0]
    for m_index, name in enumerate(("ours", "baseline")):
        for q_index, (q, alpha) in enumerate((("p50", 1.0), ("p95", 0.65), ("p99", 0.35))):
            values = [level_of(report["models"][name], c).get(f"{q}_ms") or 0 for c in levels]
            offset = (m_index * 3 + q_index - 2.5) * width
            ax.bar(x + offset, values, width, color=colours[name], alpha=alpha, label=f"{name} {q}")
    ax.axhline(targets.P95_MS.value, color="red", linestyle="--", linewidth=1,
               label=f"target p95 at {targets.P95_CONCURRENCY}: {targets.P95_MS}")
    ax.set_yscale("log")
    ax.set_xticks(x)
    ax.set_xticklabels([f"{c} concurrent" for c in levels])
    ax.set_ylabel("turn latency (ms, log scale)")
    ax.set_title("Turn latency percentiles")
    ax.legend(fontsize=7, ncol=2)
    ax = axes[1]
    for m_index, name in enumerate(("ours", "baseline")):
        values = [level_of(report["models"][name], c).get("throughput_turns_per_s") or 0 for c in levels]
        bars = ax.bar(x + (m_index - 0.5) * 0.35, values, 0.35, color=colours[name], label=name)
        ax.bar_label(bars, fmt="%.1f", fontsize=8)
    ax.set_xticks(x)
    ax.set_xticklabels([f"{c} concurrent" for c in levels])
    ax.set_ylim(0, ax.get_ylim()[1] * 1.25)
    ax.set_ylabel("completed turns per second")
    ax.set_title("Throughput (closed loop)")
    ax.legend(fontsize=8, loc="upper left", ncol=2)
    ax = axes[2]
    parts = (("nlu_ms", "NLU"), ("policy_ms", "policies"), ("remote_actions_ms", "remote actions"),
             ("response_validation_ms", "action response validation"), ("other_ms", "other"))
    bottom = np.zeros(2)
    for key, label in parts:
        values = np.array([report["models"][n]["profile"]["mean_per_turn"][key] for n in ("ours", "baseline")])
        ax.bar(["ours", "baseline"], values, 0.5, bottom=bottom, label=label)
        bottom += values
    ax.set_ylabel("ms per turn (serial, mean)")
    ax.set_title("Where a turn's time goes (no load)")
    ax.legend(fontsize=8)
    fig.suptitle(f"make bench, {report['machine']['date']}: {report['machine']['cpu_model']}, "
                 f"{report['machine']['cores']} cores (shared)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)

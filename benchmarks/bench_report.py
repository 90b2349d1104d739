"""The load benchmark's report: the comparison table (ours, baseline, ratio, target), reports/
bench_summary.md and the lines printed at the end of a run. Targets come from benchmarks.targets."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from benchmarks import common, targets
from benchmarks.common import md_table, ratio, say
from benchmarks.cprofile_load import CONCURRENCY as CPROFILE_CONCURRENCY
from benchmarks.cprofile_load import CPROFILE_PARTS
from benchmarks.turn_breakdown import BREAKDOWN_KEYS

P95_AT = targets.P95_CONCURRENCY


def fmt_ms(value: Optional[float]) -> str:
    return "-" if value is None else f"{value:.1f} ms"


def shown(value: Optional[float], unit: str) -> str:
    return "-" if value is None else f"{value:.1f}{unit}"


def share_of_turn(mean: Dict[str, float], key: str) -> str:
    """A part's mean ms and its share of the whole turn, e.g. '12.3 (40%)'."""
    return f"{mean[key]:.1f} ({mean[key] / mean['total_ms'] * 100:.0f}%)" if mean["total_ms"] else "-"


def level_of(result: Dict[str, Any], concurrency: int) -> Dict[str, Any]:
    return next((lv for lv in result["levels"] if lv["concurrency"] == concurrency), {})


def comparison_rows(report: Dict[str, Any]) -> List[List[str]]:
    """The main table: figure, ours, baseline, ours/baseline, target (and whether it is met)."""
    ours, base = report["models"]["ours"], report["models"]["baseline"]
    rows: List[List[str]] = []

    def add(figure: str, o: Optional[float], b: Optional[float], unit: str, target: str = "") -> None:
        rows.append([figure, shown(o, unit), shown(b, unit), ratio(o, b), target])

    for concurrency in report["levels"]:
        lo, lb = level_of(ours, concurrency), level_of(base, concurrency)
        for q in ("p50", "p95", "p99"):
            target = ""
            if q == "p95" and concurrency == P95_AT:
                target = targets.P95_MS.verdict(lo.get("p95_ms"))
            add(f"{q} turn latency, {concurrency} concurrent", lo.get(f"{q}_ms"), lb.get(f"{q}_ms"), " ms", target)
        o_tp, b_tp = lo.get("throughput_turns_per_s"), lb.get("throughput_turns_per_s")
        target = "≥ baseline (" + ("met" if (o_tp or 0) >= (b_tp or 0) else f"missed by {b_tp - o_tp:.1f} turns/s") + ")"
        add(f"throughput, {concurrency} concurrent (turns/s)", o_tp, b_tp, "", target)
        rows.append([f"errors, {concurrency} concurrent", str(lo.get("errors")), str(lb.get("errors")), "-", ""])
    peak_o, peak_b = ours["peak_rss_mb_whole_run"], base["peak_rss_mb_whole_run"]
    add("peak RSS, Rasa server (MB)", peak_o["rasa"], peak_b["rasa"], "", targets.RASA_RSS_MB.verdict(peak_o["rasa"]))
    add("peak RSS, action server (MB)", peak_o["actions"], peak_b["actions"], "")
    t_o, t_b = report["training"]["ours"], report["training"]["baseline"]
    add("full training time (s)" + (" (baseline reused)" if t_b["reused"] else ""), t_o["train_seconds"],
        t_b["train_seconds"], "", targets.TRAIN_S.verdict(t_o["train_seconds"]))
    c_o, c_b = ours["cold_start"], base["cold_start"]
    add("cold start, both servers to first reply (s)", c_o["both_servers_to_first_reply_s"],
        c_b["both_servers_to_first_reply_s"], "", targets.COLD_START_S.verdict(c_o["both_servers_to_first_reply_s"]))
    add("cold start, Rasa process to first reply (s)", c_o["rasa_process_start_to_first_reply_s"],
        c_b["rasa_process_start_to_first_reply_s"], "")
    return rows


def summary_markdown(report: Dict[str, Any]) -> str:
    machine = report["machine"]
    ours, base = report["models"]["ours"], report["models"]["baseline"]
    level_rows = []
    for name, result in (("ours", ours), ("baseline", base)):
        for lv in result["levels"]:
            level_rows.append([name, lv["concurrency"], lv["turns_measured"], lv["errors"], fmt_ms(lv["p50_ms"]),
                               fmt_ms(lv["p95_ms"]), fmt_ms(lv["p99_ms"]), fmt_ms(lv["max_ms"]),
                               f"{lv['throughput_turns_per_s']:.1f}", lv["conversations_completed"],
                               lv["cpu_cores_used"]["rasa"], lv["cpu_cores_used"]["actions"],
                               lv["cpu_cores_used"]["loadgen"], lv["load_average_after"][0]])
    breakdown_rows = []
    for name, result in (("ours", ours), ("baseline", base)):
        p = result["profile"]
        m = p["mean_per_turn"]
        breakdown_rows.append([name, f"{m['total_ms']:.1f}", *(share_of_turn(m, k) for k in BREAKDOWN_KEYS[1:]),
                               f"{p['actions_per_turn']:.1f}",
                               f"{p['remote_calls_per_turn']:.1f}", p["max_tracker_json_bytes"],
                               p["max_action_request_bytes"]])
    turn_rows = [[t["script"], t["turn"], t["text"], t["intent"], ", ".join(str(c) for c in t["remote_calls"]) or "-",
                  f"{t['total_ms']:.1f}", f"{t['nlu_ms']:.1f}", f"{t['policy_ms']:.1f}", f"{t['remote_actions_ms']:.1f}",
                  f"{t['response_validation_ms']:.1f}", f"{t['other_ms']:.1f}"] for t in ours["profile"]["per_turn_median"]]
    validation = ", ".join(f"{k} {v:.1f}" for k, v in sorted(ours["profile"]["response_validation_median_ms"].items()))
    direct = ", ".join(f"{k} {v:.1f}" for k, v in sorted(ours["profile"]["action_server_direct_median_ms"].items()))
    sanity_o = sum(t["as_expected"] for t in ours["sanity"])
    sanity_b = sum(t["as_expected"] for t in base["sanity"])
    same_replies = sum(a["reply"] == b["reply"] for a, b in zip(ours["sanity"], base["sanity"]))
    training = report["training"]
    reused = training["baseline"]["reused"]
    lines = [
        "# Load benchmark: ours vs Rasa's default pipeline",
        "",
        f"Generated by `make bench` (benchmarks/load_bench.py) on {machine['date']}.",
        f"Machine: {common.machine_line(machine)}. Load average at the end: {report['load_average_at_end']}.",
        "The machine is shared: other jobs' CPU use shows in the load averages and makes the figures noisy.",
        "",
        f"Setup: real action server + Rasa server (harness.servers.BotServers) on loopback, in-memory tracker store, "
        f"action clock fixed at {report['fixed_now']}. Closed loop over the REST channel: each simulated parent sends a turn, "
        f"waits for the reply, sends the next; a fresh sender per conversation; conversations rotate over "
        f"{len(report['scripts'])} scripts ({', '.join(s['name'] for s in report['scripts'])}). Per level "
        f"{report['warmup_s']:.0f} s warm-up, then {report['duration_s']:.0f} s measured. The load generator runs on "
        f"the same {machine['cores']} cores. Baseline = `benchmarks/baseline_config.yml` (Rasa 3.6's default pipeline and policies) "
        f"served by stock Rasa (its own REST channel, none of our `patches/`; ours runs with them), "
        f"trained on the same data and domain "
        + (f"(**model reused from {training['baseline']['date']}**: identical inputs; `--fresh` retrains)." if reused
           else "in this run."),
        ("**WARNING: config, data, domain, actions, content, patches or channels changed during this run; "
         "run again for figures of one version of the bot.**" if report.get("inputs_changed_during_run") else ""),
        ("**WARNING: not every scripted turn got its expected reply (see bench.json, sanity); the load did not "
         "exercise the real dialogue everywhere.**" if sanity_o < len(ours["sanity"]) else ""),
        f"Sanity (each script once, expected text in the reply): ours {sanity_o}/{len(ours['sanity'])}, "
        f"baseline {sanity_b}/{len(base['sanity'])}; baseline replies identical to ours on {same_replies}/"
        f"{len(ours['sanity'])} turns.",
        "",
        md_table(["figure", "ours", "baseline", "ours/baseline", "target"], comparison_rows(report)),
        "",
        "## Per level",
        "",
        md_table(["model", "concurrent", "turns", "errors", "p50", "p95", "p99", "max", "turns/s", "conversations",
                  "CPU cores: Rasa", "CPU: actions", "CPU: load generator", "load avg (1 min)"], level_rows),
        "",
        "## Where a turn's time goes (serial replay, no load; mean per turn in ms)",
        "",
        "NLU = /model/parse minus the HTTP floor (GET /); policies = POST /conversations/<id>/predict minus "
        "GET /conversations/<id>/tracker (both fetch the tracker), times the actions predicted in the turn; remote actions = Rasa's calls to "
        "the action server as a recording proxy saw them (HTTP round trip + action server); action response "
        "validation = Rasa's jsonschema check of each action server response (RemoteAction._validate_action_result, "
        "timed on the captured responses); other = the rest (building the action requests, tracker store, lock, "
        "NLG, REST channel, the proxy hop).",
        "",
        md_table(["model", "turn total", "NLU", "policies", "remote actions", "action response validation", "other",
                  "actions/turn",
                  "remote calls/turn", "max tracker JSON (bytes)", "max action request (bytes)"], breakdown_rows),
        "",
        f"Action server alone (captured requests replayed straight to its /webhook, median ms): {direct}.",
        f"Rasa's validation of each action's response (median ms; function from "
        f"`{ours['profile'].get('response_validation_function_module', '?')}`): {validation}.",
        "",
        "### Ours, per turn (median over the repetitions, ms)",
        "",
        md_table(["script", "turn", "message", "intent", "remote calls", "total", "NLU", "policies",
                  "remote actions", "response validation", "other"], turn_rows),
        "",
    ] + cprofile_markdown(report) + limits_markdown(report) + [
        f"Total wall time of this `make bench`: {report['total_seconds']:.0f} s "
        f"(training ours {training['ours']['train_seconds']:.0f} s"
        + (", baseline reused" if reused else f", baseline {training['baseline']['train_seconds']:.0f} s") + ").",
        "",
    ]
    return "\n".join(lines)


def limits_markdown(report: Dict[str, Any]) -> List[str]:
    """For each missed target: by how much, and what the measurements say limits it."""
    ours, base = report["models"]["ours"], report["models"]["baseline"]
    lines: List[str] = []
    at10, base10 = level_of(ours, P95_AT), level_of(base, P95_AT)
    mean = ours["profile"]["mean_per_turn"]
    parts = {"NLU": mean["nlu_ms"], "policies": mean["policy_ms"], "remote actions (round trips)": mean["remote_actions_ms"],
             "Rasa's jsonschema check of action responses": mean["response_validation_ms"], "other": mean["other_ms"]}
    biggest = max(parts, key=lambda k: parts[k])
    heaviest = max(ours["profile"]["per_turn_median"], key=lambda t: t["total_ms"])
    p95 = targets.P95_MS
    if at10 and p95.missed_by(at10.get("p95_ms") or 0) > 0:
        throughput = at10["throughput_turns_per_s"] or 1e-9
        needed = P95_AT * 1000 / p95.value  # turns/s for a mean latency at the target
        lines.append(
            f"- **p95 at {P95_AT} concurrent: {at10['p95_ms']:.0f} ms, target {p95} (missed by "
            f"{p95.missed_by(at10['p95_ms']):.0f}{p95.unit}).** "
            f"The Rasa server used {at10['cpu_cores_used']['rasa']} CPU cores at that level: its single asyncio "
            f"loop is saturated, so the turns queue. Served {throughput:.1f} turns/s, i.e. about "
            f"{1000 * at10['cpu_cores_used']['rasa'] / throughput:.0f} ms of Rasa CPU per turn; in a closed loop "
            f"with no think time, {P95_AT} conversations then wait about {P95_AT}/{throughput:.1f} = "
            f"{P95_AT * 1000 / throughput:.0f} ms per turn on average (Little's law). Even a mean of {p95} at "
            f"{P95_AT} concurrent needs ≥ {needed:g} turns/s, i.e. ≤ {1000 / needed:g} ms of Rasa CPU per turn on "
            f"one core; the p95 needs less still, as the heaviest turn costs "
            f"{heaviest['total_ms'] / max(mean['total_ms'], 1e-9):.1f}x the mean turn serially "
            f"(\"{heaviest['text']}\": {heaviest['total_ms']:.0f} ms). Serial time per turn (no load): {mean['total_ms']:.0f} ms, of which "
            + ", ".join(f"{k} {v:.0f} ms" for k, v in parts.items()) + f"; the largest part is {biggest}.")
    if at10 and base10 and at10["throughput_turns_per_s"] < base10["throughput_turns_per_s"]:
        lines.append(
            f"- **Throughput at {P95_AT} concurrent below the baseline's** by {base10['throughput_turns_per_s'] - at10['throughput_turns_per_s']:.1f} "
            f"turns/s ({ratio(at10['throughput_turns_per_s'], base10['throughput_turns_per_s'])}). The two differ in NLU "
            f"and in our patches/ to Rasa (the baseline runs stock Rasa); NLU costs ours {mean['nlu_ms']:.1f} ms and the baseline "
            f"{base['profile']['mean_per_turn']['nlu_ms']:.1f} ms per turn (see the breakdown above).")
    peak = ours["peak_rss_mb_whole_run"]["rasa"]
    rss = targets.RASA_RSS_MB
    if rss.missed_by(peak) > 0:
        lines.append(f"- **Rasa server RSS {peak:.0f} MB, target {rss} (missed by {rss.missed_by(peak):.0f}{rss.unit}).** "
                     f"Idle after start: {ours['rss_mb_idle']['rasa']:.0f} MB; the rest is the in-memory trackers of "
                     f"the load's conversations (max tracker {ours['profile']['max_tracker_json_bytes']} bytes of JSON).")
    train_s = report["training"]["ours"]["train_seconds"]
    train = targets.TRAIN_S
    if train.missed_by(train_s) > 0:
        lines.append(f"- **Training {train_s:.0f} s, target {train} (missed by {train.missed_by(train_s):.0f}{train.unit})**: see "
                     "reports/bench/models/ours-train.log for the time per component.")
    cold = ours["cold_start"]["both_servers_to_first_reply_s"]
    cold_target = targets.COLD_START_S
    if cold_target.missed_by(cold) > 0:
        lines.append(f"- **Cold start {cold:.0f} s, target {cold_target} (missed by {cold_target.missed_by(cold):.0f}"
                     f"{cold_target.unit})**: action server ready "
                     f"after {ours['cold_start']['action_server_ready_s']:.0f} s, Rasa process to first reply "
                     f"{ours['cold_start']['rasa_process_start_to_first_reply_s']:.0f} s (imports and model loading).")
    if not lines:
        lines.append("- All targets met in this run.")
    return ["## Targets missed and what limits them", ""] + lines + [""]


def cprofile_markdown(report: Dict[str, Any]) -> List[str]:
    """The cProfile section (only with --cprofile)."""
    models = [(n, r["cprofile"]) for n, r in report["models"].items() if r.get("cprofile")]
    if not models:
        return ["(cProfile of the Rasa server skipped: --no-cprofile.)", ""]
    labels = [label for label, _, _ in CPROFILE_PARTS]
    rows = [[label] + [f"{c['parts'][label]['ms_per_turn']:.1f} ms ({c['parts'][label]['share_of_turn'] * 100:.0f}%)"
                       for _, c in models] for label in labels]
    return [
        f"## Rasa server under cProfile ({CPROFILE_CONCURRENCY} concurrent)",
        "",
        "Main-thread time per turn in each part, and its share of MessageProcessor.handle_message. cProfile slows "
        "Python code down (by about 2x here), so compare the shares, not the milliseconds; parts nest.",
        "",
        md_table(["part"] + [f"{n} ({c['turns']} turns)" for n, c in models], rows),
        "",
        "Top functions by own time: " + ", ".join(c["top_functions"] for _, c in models) + ".",
        "",
    ]


def print_comparison(report: Dict[str, Any]) -> None:
    for row in comparison_rows(report):
        figure, o, b, r, target = row
        say("bench", f"{figure}: ours {o}, baseline {b}, ours/baseline {r}" + (f"; target {target}" if target else ""))


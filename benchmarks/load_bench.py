"""`make bench`: turn latency, throughput, memory, training and cold-start time; ours vs the baseline.

For each model (ours: config.yml; baseline: benchmarks/baseline_config.yml, Rasa's default pipeline
and policies), trained on the same data in this run with `rasa train` (Rasa's cache off). Ours is
served as `make run` serves it (`python -m patches run`: our patches/ to Rasa, our channels); the
baseline by stock Rasa (the `rasa` script and Rasa's own REST channel, so none of our code), i.e. what
a team gets from Rasa's defaults:

1. start the real action server and Rasa server (harness.servers.BotServers, loopback, clock fixed
   at ADVIESLIJN_FIXED_NOW so the dialogue is deterministic) and time the cold start: from the
   first process start to the first successful reply;
2. run each scripted conversation once and keep the replies (sanity: the expected texts appear);
3. closed-loop load over the REST channel at 1, 10 and 50 concurrent conversations: every simulated
   parent sends a turn, waits for the answer, sends the next; each conversation has a fresh sender.
   Per level: a warm-up (not measured), then a fixed measured window; p50/p95/p99 turn latency,
   turns per second, errors, CPU used by each server and by this load generator;
4. restart Rasa with its HTTP API on and the action calls routed through a recording proxy, replay
   the conversations one turn at a time and split each turn's time into NLU (/model/parse),
   policy prediction (/conversations/<id>/predict minus /tracker, times the actions in the turn),
   the remote actions (as the proxy saw them), Rasa's jsonschema check of each action response,
   and the rest (tracker store, NLG, channel, HTTP);
5. (unless --no-cprofile) restart Rasa under cProfile, repeat the 10-concurrent load, and report
   the share of each part of Rasa's turn handling (reports/bench/cprofile-*-top.txt: top functions).

The peak RSS of both servers (process trees) is sampled throughout. Results: reports/bench.json,
reports/bench.png and reports/bench_summary.md, with the project's targets beside the figures.

The baseline's training (DIET, TED, UnexpecTED: tens of minutes on 2 cores) is reused from
reports/bench/models/ when all its inputs (baseline config, data/, domain.yml, Rasa version) are
unchanged; the summary then says so. `--fresh` retrains it. Ours is always trained in the run.

The parts: benchmarks.conversations (the scripts), benchmarks.server_control (servers, RasaMode,
process trees), benchmarks.rasa_code (ours patched or stock Rasa), benchmarks.load (scenarios and the
closed loop), benchmarks.turn_breakdown (4), benchmarks.cprofile_load (5), benchmarks.bench_report and
benchmarks.bench_plot (the report); targets in benchmarks.targets, machine facts in benchmarks.common.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any, Dict, List

from actions.clock import FIXED_NOW_ENV
from benchmarks import common, targets
from benchmarks.bench_plot import plot
from benchmarks.bench_report import fmt_ms, print_comparison, summary_markdown
from benchmarks.common import BenchError, say
from benchmarks.conversations import FIXED_NOW, Script, sanity, scripts
from benchmarks.cprofile_load import cprofile_under_load
from benchmarks.load import Window, closed_loop, measure
from benchmarks.server_control import BenchServers, MemorySampler, first_reply, tree_rss_mb
from benchmarks.turn_breakdown import turn_breakdown
from harness.servers import ServerError

TOOL = "bench"
OUT = common.REPORTS / "bench"


def log(message: str) -> None:
    say(TOOL, message)


# ---------------------------------------------------------------------------------------------
# Training


def train_models(fresh: bool) -> Dict[str, Dict[str, Any]]:
    """Train ours (always) and the baseline (unless its inputs are unchanged) with `rasa train`."""
    models_dir = OUT / "models"
    models_dir.mkdir(parents=True, exist_ok=True)
    result: Dict[str, Dict[str, Any]] = {}
    for name in ("ours", "baseline"):
        config = common.PIPELINES[name]
        key = common.fingerprint([config, common.DATA, common.DOMAIN], common.package_version("rasa"))
        stamp_path = models_dir / f"{name}.json"
        model = models_dir / f"{name}.tar.gz"
        if name == "baseline" and not fresh and stamp_path.exists() and model.exists():
            stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
            if stamp.get("fingerprint") == key:
                log(f"{name}: reusing the model trained {stamp['date']} in {stamp['train_seconds']:.0f} s "
                    "(inputs unchanged; --fresh retrains)")
                result[name] = {**stamp, "model": model, "reused": True}
                continue
        log(f"{name}: training ({config.relative_to(common.PROJECT_ROOT)}) ...")
        model, seconds = common.train(config, models_dir, name, models_dir / f"{name}-train.log", nlu_only=False,
                                      patched=(name == "ours"))
        if common.fingerprint([config, common.DATA, common.DOMAIN], common.package_version("rasa")) != key:
            raise BenchError(f"{config.name}, data/ or domain.yml changed while {name} was training; run again")
        stamp = {"fingerprint": key, "date": common.machine_info()["date"], "train_seconds": round(seconds, 1)}
        common.write_json(stamp_path, stamp)
        log(f"{name}: trained in {seconds:.1f} s")
        result[name] = {**stamp, "model": model, "reused": False}
    return result


# ---------------------------------------------------------------------------------------------
# One model, start to finish


def bench_model(name: str, model: Path, args: argparse.Namespace, convs: List[Script]) -> Dict[str, Any]:
    """Cold start, sanity, the load levels, the turn breakdown and (with --cprofile) the profile, for one model."""
    workdir = OUT / f"servers-{name}"
    if workdir.exists():
        shutil.rmtree(workdir)
    try:
        # The baseline is what a team gets from Rasa as shipped: its default config AND its own code.
        servers = BenchServers(model, workdir=workdir, extra_env={FIXED_NOW_ENV: FIXED_NOW}, startup_timeout_s=300,
                               stock_rasa=(name == "baseline"))
    except ServerError as error:
        raise BenchError(str(error)) from None
    result: Dict[str, Any] = {"model": str(model)}
    window = Window(warmup_s=args.warmup, duration_s=args.duration)
    sampler = MemorySampler(servers.pids())
    try:
        with sampler:
            started = time.monotonic()
            servers.start_actions()
            rasa_started = time.monotonic()
            servers.start_rasa()
            first_reply(servers)
            done = time.monotonic()
            result["cold_start"] = {
                "both_servers_to_first_reply_s": round(done - started, 2),
                "rasa_process_start_to_first_reply_s": round(done - rasa_started, 2),
                "action_server_ready_s": round(rasa_started - started, 2),
            }
            result["rss_mb_idle"] = {"rasa": round(tree_rss_mb(servers.rasa_server.pid), 1),
                                     "actions": round(tree_rss_mb(servers.action_server.pid), 1)}
            log(f"{name}: cold start {done - started:.1f} s (Rasa process to first reply {done - rasa_started:.1f} s)")
            result["sanity"] = sanity(servers.rest_url, convs)
            unexpected = [t for t in result["sanity"] if not t["as_expected"]]
            log(f"{name}: sanity {len(result['sanity']) - len(unexpected)}/{len(result['sanity'])} turns as expected"
                + (f"; WARNING, not as expected: {[t['text'] for t in unexpected]} (model and actions/ out of step? "
                   f"see {workdir}/action-server.log; the figures do not show the real dialogue)" if unexpected else ""))
            result["levels"] = []
            for concurrency in args.levels:
                level = measure(servers.pids(), servers.rest_url, closed_loop(concurrency, window, convs))
                result["levels"].append(level)
                log(f"{name}: {concurrency:>2} concurrent: p50 {fmt_ms(level['p50_ms'])}, p95 {fmt_ms(level['p95_ms'])}, "
                    f"p99 {fmt_ms(level['p99_ms'])}, {level['throughput_turns_per_s']:.1f} turns/s, "
                    f"{level['errors']} errors, CPU cores used: {level['cpu_cores_used']}")
            result["peak_rss_mb_under_load"] = {k: round(v, 1) for k, v in sampler.peak_mb.items()}
            result["peak_rss_mb_under_load"]["both"] = round(sampler.peak_total_mb, 1)
            result["profile"] = turn_breakdown(servers, convs, args.profile_reps)
            if args.cprofile:
                result["cprofile"] = cprofile_under_load(name, servers, window, convs, OUT)
            mean = result["profile"]["mean_per_turn"]
            log(f"{name}: profile, mean per turn (serial): total {mean['total_ms']:.1f} ms = NLU {mean['nlu_ms']:.1f} + "
                f"policies {mean['policy_ms']:.1f} + remote actions {mean['remote_actions_ms']:.1f} + action response "
                f"validation {mean['response_validation_ms']:.1f} + other {mean['other_ms']:.1f}")
        result["peak_rss_mb_whole_run"] = {k: round(v, 1) for k, v in sampler.peak_mb.items()}
    except ServerError as error:
        raise BenchError(str(error)) from None
    finally:
        servers.stop()
    return result


def write_report(report: Dict[str, Any]) -> None:
    plot(report, common.REPORTS / "bench.png")
    (common.REPORTS / "bench_summary.md").write_text(summary_markdown(report), encoding="utf-8")
    print_comparison(report)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 10, 50], help="concurrent conversations")
    parser.add_argument("--duration", type=float, default=25.0, help="measured seconds per level")
    parser.add_argument("--warmup", type=float, default=5.0, help="unmeasured seconds before each level")
    parser.add_argument("--profile-reps", type=int, default=3, help="serial replays of the scripts for the profile")
    parser.add_argument("--no-cprofile", dest="cprofile", action="store_false",
                        help=f"skip the extra {targets.P95_CONCURRENCY}-concurrent run with the Rasa server under cProfile")
    parser.add_argument("--fresh", action="store_true", help="retrain the baseline even if its inputs are unchanged")
    parser.add_argument("--report-only", action="store_true",
                        help="only redraw reports/bench.png and bench_summary.md from reports/bench.json")
    args = parser.parse_args()
    if args.report_only:
        if not (common.REPORTS / "bench.json").exists():
            raise BenchError("reports/bench.json is missing; run `make bench`")
        write_report(json.loads((common.REPORTS / "bench.json").read_text(encoding="utf-8")))
        return
    for path in (common.OUR_CONFIG, common.BASELINE_CONFIG, common.RASA):
        if not path.exists():
            raise BenchError(f"{path} is missing; run `make install`")
    started = time.monotonic()
    machine = common.machine_info()
    convs = scripts()
    bot_inputs = [common.OUR_CONFIG, common.DATA, common.DOMAIN, common.PROJECT_ROOT / "actions",
                  common.PROJECT_ROOT / "content", common.PROJECT_ROOT / "patches", common.PROJECT_ROOT / "channels"]
    inputs_at_start = common.fingerprint([p for p in bot_inputs if p.exists()])
    training = train_models(args.fresh)
    models = {name: bench_model(name, Path(training[name]["model"]), args, convs) for name in ("ours", "baseline")}
    report = {
        "machine": machine,
        "fixed_now": FIXED_NOW,
        "levels": args.levels,
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "scripts": [{"name": s.name, "turns": [t for t, _ in s.turns]} for s in convs],
        "training": {k: {kk: vv for kk, vv in v.items() if kk != "model"} for k, v in training.items()},
        "models": models,
        "targets": targets.bench_targets(),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "inputs_changed_during_run": common.fingerprint([p for p in bot_inputs if p.exists()]) != inputs_at_start,
    }
    report["total_seconds"] = round(time.monotonic() - started, 1)
    common.write_json(common.REPORTS / "bench.json", report)
    write_report(report)
    if report["inputs_changed_during_run"]:
        log("WARNING: the bot's files changed during this run; run again for figures of one version")
    log(f"wrote reports/bench.json, reports/bench.png, reports/bench_summary.md in {report['total_seconds']:.0f} s")


if __name__ == "__main__":
    common.run_main(TOOL, main)

"""`make bench`: turn latency, throughput, memory, training and cold-start time; ours vs the baseline.

For each model (ours: config.yml; baseline: benchmarks/baseline_config.yml, Rasa's default pipeline
and policies), trained on the same data in this run with `rasa train` (Rasa's cache off). Ours is
served as `make run` serves it (our channels, which load our patches/ to Rasa); the baseline by
stock Rasa (Rasa's own REST channel, so none of our patches), i.e. what a team gets from Rasa's
defaults:

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
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import shutil
import statistics
import threading
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import psutil
import requests
import yaml

from benchmarks import common
from benchmarks.common import BenchError, md_table, ratio, say
from harness.servers import LOOPBACK, BotServers, ServerError, free_port

TOOL = "bench"
OUT = common.REPORTS / "bench"
FIXED_NOW = "2026-12-01T10:30:00+01:00"  # a Tuesday, 10:30: the advice line is open
FIXED_NOW_ENV = "ADVIESLIJN_FIXED_NOW"
REQUEST_TIMEOUT_S = 120.0


def log(message: str) -> None:
    say(TOOL, message)


# ---------------------------------------------------------------------------------------------
# The conversations: realistic Dutch turns, each with a text the reply should contain (sanity).


@dataclass(frozen=True)
class Script:
    name: str
    turns: Tuple[Tuple[str, str], ...]  # (parent's message, expected part of the reply, '' = any)


def scripts() -> List[Script]:
    from actions.facts import load_facts

    phone = load_facts().text("advieslijn.phone")
    return [
        Script("full triage: basisschool, six weeks at home", (
            ("mijn zoon zit al zes weken thuis, hij zit op de basisschool", "terug kan naar de school"),
            ("nee", "andere passende school"),
            ("nee helaas niet", "onderwijs"),
            ("nee, hij krijgt helemaal niks", "Waarschijnlijk kun je een onderwijsconsulent inschakelen."),
        )),
        Script("questions: greeting, consultant, phone number, thanks", (
            ("hallo", "assistent"),
            ("wat is een onderwijsconsulent?", "onafhankelijk"),
            ("wat is jullie telefoonnummer?", phone),
            ("dank je wel, doei", ""),
        )),
        Script("triage: no secondary school place", (
            ("geen enkele middelbare school wil mijn dochter aannemen", "samenwerkingsverband"),
            ("ja hoor, met het swv hebben we gebeld", "bestuur"),
            ("nee nog niet", "Neem eerst contact op met het bestuur van de school."),
        )),
        Script("question during a triage, then stop", (
            ("goedemorgen", ""),
            ("we hebben ruzie met school over het opp", ""),
            ("wat doet een onderwijsconsulent eigenlijk?", "onafhankelijk"),
            ("stop", "ik stop met de vragen"),
        )),
    ]


def reply_text(messages: Any) -> str:
    if not isinstance(messages, list):
        return ""
    return "\n".join(str(m.get("text", "")) for m in messages if isinstance(m, dict))


# ---------------------------------------------------------------------------------------------
# Servers, memory sampling and the recording proxy


class BenchServers(BotServers):
    """BotServers with bench-only switches: Rasa's HTTP API (for /model/parse and /predict), routing
    the action calls through another URL (the recording proxy), and stock Rasa for the baseline:
    Rasa's own REST channel instead of ours, so none of our patches/ is loaded in that server."""

    enable_api = False
    cprofile_path: Optional[Path] = None

    def __init__(self, *args: Any, stock_rasa: bool = False, **kwargs: Any) -> None:
        self.stock_rasa = stock_rasa
        super().__init__(*args, **kwargs)

    def _write_config(self) -> None:
        super()._write_config()
        if self.stock_rasa:  # Rasa's RestInput (same URL); our channels package is never imported
            self.credentials_path.write_text(yaml.safe_dump({"rest": None}), encoding="utf-8")

    def _rasa_process(self):  # type: ignore[no-untyped-def]
        process = super()._rasa_process()
        if self.enable_api:
            process.command.append("--enable-api")
        if self.cprofile_path:
            process.command[:1] = [str(common.PYTHON), "-m", "cProfile", "-o", str(self.cprofile_path),
                                   str(common.RASA)]
        return process

    def route_actions_via(self, url: str) -> None:
        endpoints = yaml.safe_load(self.endpoints_path.read_text(encoding="utf-8"))
        endpoints["action_endpoint"]["url"] = url
        self.endpoints_path.write_text(yaml.safe_dump(endpoints), encoding="utf-8")


def tree(pid: Optional[int]) -> List[psutil.Process]:
    """The process and all its children (empty if it is gone)."""
    if not pid:
        return []
    try:
        root = psutil.Process(pid)
        return [root] + root.children(recursive=True)
    except psutil.Error:
        return []


def tree_rss_mb(pid: Optional[int]) -> float:
    total = 0
    for process in tree(pid):
        try:
            total += process.memory_info().rss
        except psutil.Error:
            pass
    return total / 2**20


def tree_cpu_s(pid: Optional[int]) -> float:
    total = 0.0
    for process in tree(pid):
        try:
            times = process.cpu_times()
            total += times.user + times.system + times.children_user + times.children_system
        except psutil.Error:
            pass
    return total


class MemorySampler:
    """Samples the RSS of both server trees every 0.2 s in a thread; keeps the peaks."""

    def __init__(self, pids: Dict[str, Callable[[], Optional[int]]]) -> None:
        self.pids = pids
        self.peak_mb: Dict[str, float] = {name: 0.0 for name in pids}
        self.peak_total_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            now = {name: tree_rss_mb(pid()) for name, pid in self.pids.items()}
            for name, mb in now.items():
                self.peak_mb[name] = max(self.peak_mb[name], mb)
            self.peak_total_mb = max(self.peak_total_mb, sum(now.values()))
            self._stop.wait(0.2)

    def __enter__(self) -> "MemorySampler":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


class RecordingProxy:
    """Forwards Rasa's action calls to the action server and records each call's time and payload."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.calls: List[Dict[str, Any]] = []
        self.port = free_port()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                started = time.perf_counter()
                answer = requests.post(proxy.target, data=body, headers={"Content-Type": "application/json"},
                                       timeout=REQUEST_TIMEOUT_S)
                elapsed_ms = (time.perf_counter() - started) * 1000
                payload = json.loads(body or b"{}")
                try:
                    reply = answer.json()
                except ValueError:
                    reply = None
                proxy.calls.append({"action": payload.get("next_action"), "ms": elapsed_ms,
                                    "request_bytes": len(body), "payload": payload, "response": reply})
                self.send_response(answer.status_code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer((LOOPBACK, self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/webhook"

    def take(self) -> List[Dict[str, Any]]:
        calls, self.calls = self.calls, []
        return calls

    def __enter__(self) -> "RecordingProxy":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


# ---------------------------------------------------------------------------------------------
# Closed-loop load


def percentile(values: Sequence[float], q: float) -> Optional[float]:
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = int(position), min(int(position) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


async def closed_loop(
    url: str, concurrency: int, warmup_s: float, duration_s: float, convs: List[Script],
    on_window_start: Callable[[], None],
) -> Dict[str, Any]:
    """`concurrency` simulated parents, each running conversation after conversation (fresh
    sender each) until the window ends; turns that start in the measured window count for latency,
    turns that end in it for throughput."""
    import aiohttp

    counter = itertools.count()
    turns: List[Tuple[float, float, bool]] = []
    conversations_done = 0
    started = time.monotonic()
    window_start, window_end = started + warmup_s, started + warmup_s + duration_s

    async def parent(session: "aiohttp.ClientSession") -> None:
        nonlocal conversations_done
        while time.monotonic() < window_end:
            script = convs[next(counter) % len(convs)]
            sender = f"bench-{uuid.uuid4().hex}"
            for text, _ in script.turns:
                if time.monotonic() >= window_end:
                    return
                t0 = time.monotonic()
                try:
                    async with session.post(url, json={"sender": sender, "message": text}) as response:
                        body = await response.json(content_type=None)
                        ok = response.status == 200 and bool(body)
                except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                    ok = False
                turns.append((t0, time.monotonic(), ok))
            conversations_done += 1

    async def mark_window() -> None:
        await asyncio.sleep(max(0.0, window_start - time.monotonic()))
        on_window_start()

    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as session:
        await asyncio.gather(mark_window(), *(parent(session) for _ in range(concurrency)))
    measured = [(t0, t1, ok) for t0, t1, ok in turns if window_start <= t0 < window_end]
    latencies = [(t1 - t0) * 1000 for t0, t1, ok in measured if ok]
    finished_in_window = [1 for _, t1, ok in turns if window_start <= t1 <= window_end and ok]
    return {
        "concurrency": concurrency,
        "measured_seconds": duration_s,
        "turns_measured": len(measured),
        "errors": sum(not ok for _, _, ok in measured),
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
        "mean_ms": statistics.fmean(latencies) if latencies else None,
        "max_ms": max(latencies) if latencies else None,
        "throughput_turns_per_s": len(finished_in_window) / duration_s,
        "conversations_completed": conversations_done,
    }


def run_level(servers: BenchServers, sampler: MemorySampler, concurrency: int, warmup_s: float,
              duration_s: float, convs: List[Script]) -> Dict[str, Any]:
    """One concurrency level, with the CPU each server and this load generator used in the window."""
    me = psutil.Process()
    marks: Dict[str, float] = {}

    def snapshot() -> Dict[str, float]:
        own = me.cpu_times()
        return {"rasa": tree_cpu_s(servers.rasa_server.pid), "actions": tree_cpu_s(servers.action_server.pid),
                "loadgen": own.user + own.system, "wall": time.monotonic()}

    def on_window_start() -> None:
        marks.update(snapshot())

    result = asyncio.run(closed_loop(servers.rest_url, concurrency, warmup_s, duration_s, convs, on_window_start))
    end = snapshot()
    wall = end["wall"] - marks["wall"]
    result["cpu_cores_used"] = {k: round((end[k] - marks[k]) / wall, 2) for k in ("rasa", "actions", "loadgen")}
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    result["rss_mb_after"] = {"rasa": round(tree_rss_mb(servers.rasa_server.pid), 1),
                              "actions": round(tree_rss_mb(servers.action_server.pid), 1)}
    return result


# ---------------------------------------------------------------------------------------------
# Profile: where a turn's time goes


def timed(call: Callable[[], requests.Response]) -> Tuple[float, requests.Response]:
    started = time.perf_counter()
    response = call()
    return (time.perf_counter() - started) * 1000, response


def profile(servers: BenchServers, proxy: RecordingProxy, convs: List[Script], reps: int) -> Dict[str, Any]:
    """Serial replay with the API on: per turn the REST time, NLU, policy, remote actions, rest."""
    base = servers.rasa_url
    session = requests.Session()
    rows: List[Dict[str, Any]] = []
    payloads: Dict[str, Dict[str, Any]] = {}
    responses: Dict[str, Any] = {}
    for rep in range(reps):
        for script in convs:
            sender = f"profile-{uuid.uuid4().hex}"
            for index, (text, _) in enumerate(script.turns):
                proxy.take()
                total_ms, answer = timed(lambda: session.post(
                    servers.rest_url, json={"sender": sender, "message": text}, timeout=REQUEST_TIMEOUT_S))
                calls = proxy.take()
                parse_ms, parsed = timed(lambda: session.post(f"{base}/model/parse", json={"text": text}, timeout=60))
                tracker_ms, tracker_response = timed(lambda: session.get(f"{base}/conversations/{sender}/tracker",
                                                                         timeout=60))
                predict_ms, _ = timed(lambda: session.post(f"{base}/conversations/{sender}/predict", timeout=60))
                floor_ms, _ = timed(lambda: session.get(f"{base}/", timeout=60))
                events = tracker_response.json().get("events", [])
                last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=-1)
                actions = [e.get("name") for e in events[last_user + 1:] if e.get("event") == "action"]
                for call in calls:
                    payloads.setdefault(str(call["action"]), call["payload"])
                    responses.setdefault(str(call["action"]), call["response"])
                nlu = max(parse_ms - floor_ms, 0.0)
                # /predict = fetch the tracker + run the policies + answer with scores and the tracker;
                # GET /tracker = fetch the tracker + answer with it. The difference is the policies.
                policy_each = max(predict_ms - tracker_ms, 0.0)
                policy = policy_each * len(actions)
                remote = sum(c["ms"] for c in calls)
                rows.append({
                    "rep": rep, "script": script.name, "turn": index + 1, "text": text,
                    "intent": (parsed.json().get("intent") or {}).get("name"),
                    "ok": answer.status_code == 200, "total_ms": total_ms, "nlu_ms": nlu,
                    "policy_ms": policy, "remote_actions_ms": remote,
                    "actions": actions, "remote_calls": [c["action"] for c in calls],
                    "events_in_tracker": len(events), "tracker_json_bytes": len(tracker_response.content),
                    "action_request_bytes": [c["request_bytes"] for c in calls],
                    "policy_ms_each": policy_each, "predict_ms": predict_ms, "tracker_get_ms": tracker_ms,
                    "http_floor_ms": floor_ms,
                })
    # The action server alone (no proxy, no Rasa): each action's captured request, replayed.
    direct: Dict[str, float] = {}
    for name, payload in payloads.items():
        times = [timed(lambda: session.post(f"{servers.action_url}/webhook", json=payload, timeout=60))[0]
                 for _ in range(10)]
        direct[name] = statistics.median(times)
    validation = validation_ms(responses, patched=not servers.stock_rasa)
    for row in rows:
        row["response_validation_ms"] = sum(validation.get(str(c), 0.0) for c in row["remote_calls"])
        row["other_ms"] = max(row["total_ms"] - row["nlu_ms"] - row["policy_ms"] - row["remote_actions_ms"]
                              - row["response_validation_ms"], 0.0)
    keys = ("total_ms", "nlu_ms", "policy_ms", "remote_actions_ms", "response_validation_ms", "other_ms")
    mean = {k: statistics.fmean(r[k] for r in rows) for k in keys}
    last_rep = [r for r in rows if r["rep"] == reps - 1]
    return {
        "turns": len(rows),
        "mean_per_turn": mean,
        "remote_calls_per_turn": statistics.fmean(len(r["remote_calls"]) for r in rows),
        "actions_per_turn": statistics.fmean(len(r["actions"]) for r in rows),
        "action_server_direct_median_ms": direct,
        "response_validation_median_ms": validation,
        "response_validation_function_module": validation_function(not servers.stock_rasa).__module__,
        "per_turn": [
            {**r, **{k: round(r[k], 1) for k in keys}}
            for r in last_rep
        ],
        "per_turn_median": median_by_turn(rows, keys),
        "max_tracker_json_bytes": max(r["tracker_json_bytes"] for r in rows),
        "max_action_request_bytes": max((max(r["action_request_bytes"] or [0]) for r in rows), default=0),
    }


def server_patches() -> str:
    """Import `channels` as the Rasa server does (it applies the project's patches/ to Rasa), so that
    timings and profile keys here refer to the code the server runs. Returns the module that
    provides RemoteAction._validate_action_result there."""
    import importlib

    try:
        importlib.import_module("channels")
    except Exception as error:  # noqa: BLE001 - measure Rasa unpatched, and say so
        log(f"could not import channels ({error}); timing Rasa's unpatched code")
    from rasa.core.actions.action import RemoteAction

    return str(RemoteAction._validate_action_result.__module__)


def unpatched(function: Any) -> Any:
    """Rasa's own function where one of our patches/ replaced it (each keeps it as `_original`)."""
    import sys

    module = getattr(function, "__module__", "") or ""
    if module.startswith("patches."):
        return getattr(sys.modules[module], "_original")
    return function


def validation_function(patched: bool) -> Callable[..., Any]:
    """RemoteAction._validate_action_result as the server runs it: ours (patched) or Rasa's."""
    from rasa.core.actions.action import RemoteAction

    server_patches()
    function = RemoteAction._validate_action_result
    return function if patched else unpatched(function)


def validation_ms(responses: Dict[str, Any], *, patched: bool) -> Dict[str, float]:
    """What the server's check of an action server response costs (RemoteAction._validate_action_result,
    jsonschema; ours or Rasa's, as in that server), timed on each captured response: median of 5, in ms."""
    from rasa.core.actions.action import RemoteAction

    validate = validation_function(patched)
    result = {}
    for name, response in responses.items():
        if isinstance(response, dict):
            action = RemoteAction(name, None)
            times = []
            for _ in range(5):
                started = time.perf_counter()
                validate(action, response)
                times.append((time.perf_counter() - started) * 1000)
            result[name] = statistics.median(times)
    return result


def median_by_turn(rows: List[Dict[str, Any]], keys: Sequence[str]) -> List[Dict[str, Any]]:
    grouped: Dict[Tuple[str, int], List[Dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault((row["script"], row["turn"]), []).append(row)
    result = []
    for (script, turn), group in grouped.items():
        first = group[0]
        result.append({"script": script, "turn": turn, "text": first["text"], "intent": first["intent"],
                       "remote_calls": first["remote_calls"], "actions": first["actions"],
                       **{k: round(statistics.median(g[k] for g in group), 1) for k in keys}})
    return result


# ---------------------------------------------------------------------------------------------
# One model, start to finish


def first_reply(servers: BenchServers, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    sender = f"coldstart-{uuid.uuid4().hex}"
    while time.monotonic() < deadline:
        try:
            response = requests.post(servers.rest_url, json={"sender": sender, "message": "hallo"}, timeout=60)
            if response.status_code == 200 and response.json():
                return
        except (requests.RequestException, ValueError):
            pass
        time.sleep(0.1)
    raise BenchError(f"no reply from the Rasa server within {timeout_s:.0f} s; see {servers.workdir}")


def sanity(servers: BenchServers, convs: List[Script]) -> List[Dict[str, Any]]:
    """Each conversation once: the replies and whether the expected text is in them."""
    turns = []
    for script in convs:
        sender = f"sanity-{uuid.uuid4().hex}"
        for text, expected in script.turns:
            response = requests.post(servers.rest_url, json={"sender": sender, "message": text}, timeout=REQUEST_TIMEOUT_S)
            reply = reply_text(response.json()) if response.status_code == 200 else f"HTTP {response.status_code}"
            turns.append({"script": script.name, "text": text, "reply": reply,
                          "expected": expected, "as_expected": expected.lower() in reply.lower()})
    return turns


def bench_model(name: str, model: Path, args: argparse.Namespace, convs: List[Script]) -> Dict[str, Any]:
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
    sampler = MemorySampler({"rasa": lambda: servers.rasa_server.pid, "actions": lambda: servers.action_server.pid})
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
            result["sanity"] = sanity(servers, convs)
            unexpected = [t for t in result["sanity"] if not t["as_expected"]]
            log(f"{name}: sanity {len(result['sanity']) - len(unexpected)}/{len(result['sanity'])} turns as expected"
                + (f"; WARNING, not as expected: {[t['text'] for t in unexpected]} (model and actions/ out of step? "
                   f"see {workdir}/action-server.log; the figures do not show the real dialogue)" if unexpected else ""))
            result["levels"] = []
            for concurrency in args.levels:
                level = run_level(servers, sampler, concurrency, args.warmup, args.duration, convs)
                result["levels"].append(level)
                log(f"{name}: {concurrency:>2} concurrent: p50 {fmt_ms(level['p50_ms'])}, p95 {fmt_ms(level['p95_ms'])}, "
                    f"p99 {fmt_ms(level['p99_ms'])}, {level['throughput_turns_per_s']:.1f} turns/s, "
                    f"{level['errors']} errors, CPU cores used: {level['cpu_cores_used']}")
            result["peak_rss_mb_under_load"] = {k: round(v, 1) for k, v in sampler.peak_mb.items()}
            result["peak_rss_mb_under_load"]["both"] = round(sampler.peak_total_mb, 1)
            # Profile: restart Rasa with the API on and the action calls through the recording proxy.
            servers.stop_rasa()
            with RecordingProxy(f"{servers.action_url}/webhook") as proxy:
                servers.enable_api = True
                servers.route_actions_via(proxy.url)
                servers.start_rasa()
                first_reply(servers)
                result["profile"] = profile(servers, proxy, convs, args.profile_reps)
                servers.stop_rasa()
            if args.cprofile:
                result["cprofile"] = cprofile_under_load(name, servers, args, convs)
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


# Where the Rasa server's main thread spends its time under load: (label, module, qualified name).
# Parts nest (e.g. the tracker's current_state is built inside RemoteAction.run), so shares overlap.
CPROFILE_PARTS = (
    ("whole turn: MessageProcessor.handle_message", "rasa.core.processor", "MessageProcessor.handle_message"),
    ("NLU: MessageProcessor.parse_message", "rasa.core.processor", "MessageProcessor.parse_message"),
    ("policies: MessageProcessor._predict_next_with_tracker", "rasa.core.processor",
     "MessageProcessor._predict_next_with_tracker"),
    ("remote actions: RemoteAction.run", "rasa.core.actions.action", "RemoteAction.run"),
    ("- in it, response validation: RemoteAction._validate_action_result", "rasa.core.actions.action",
     "RemoteAction._validate_action_result"),
    ("- in it, action request: DialogueStateTracker.current_state", "rasa.shared.core.trackers",
     "DialogueStateTracker.current_state"),
    ("- in it, action request: Domain.as_dict", "rasa.shared.core.domain", "Domain.as_dict"),
    ("form: LoopAction.run", "rasa.core.actions.loops", "LoopAction.run"),
    ("tracker store: InMemoryTrackerStore.retrieve", "rasa.core.tracker_store", "InMemoryTrackerStore.retrieve"),
    ("tracker store: InMemoryTrackerStore.save", "rasa.core.tracker_store", "InMemoryTrackerStore.save"),
    ("tracker store: deserialise_tracker", "rasa.core.tracker_store", "TrackerStore.deserialise_tracker"),
    ("tracker store: serialise_tracker", "rasa.core.tracker_store", "SerializedTrackerAsText.serialise_tracker"),
)


def code_key(module: str, qualname: str, *, patched: bool = True) -> Tuple[str, int, str]:
    """(file, first line, name) of a function, as cProfile keys it: our patched version or Rasa's."""
    import importlib
    import inspect

    server_patches()
    target: Any = importlib.import_module(module)
    for part in qualname.split("."):
        target = getattr(target, part)
    if not patched:
        target = unpatched(target)
    code = inspect.unwrap(target).__code__
    return code.co_filename, code.co_firstlineno, code.co_name


def cprofile_under_load(name: str, servers: BenchServers, args: argparse.Namespace, convs: List[Script]) -> Dict[str, Any]:
    """Restart Rasa under cProfile, run the 10-concurrent load, and attribute its main-thread time.

    cProfile slows Python code down, so only the shares matter, not the absolute times."""
    import io
    import pstats

    servers.stop_rasa()
    servers.enable_api = False
    servers.route_actions_via(f"{servers.action_url}/webhook")
    servers.cprofile_path = OUT / f"cprofile-{name}.prof"
    servers.start_rasa()
    first_reply(servers)
    asyncio.run(closed_loop(servers.rest_url, 10, args.warmup, args.duration, convs, lambda: None))
    servers.stop_rasa()
    servers.cprofile_path = None
    stats = pstats.Stats(str(OUT / f"cprofile-{name}.prof"))
    raw = stats.stats  # type: ignore[attr-defined]
    # One call of this (synchronous) function per user message: the turns the profile saw.
    patched = not servers.stock_rasa
    turns = raw.get(code_key("rasa.core.processor", "MessageProcessor._parse_message_with_graph", patched=patched),
                    (1, 1))[1] or 1
    whole = raw.get(code_key(*CPROFILE_PARTS[0][1:], patched=patched), (0, 0, 0, 1.0))[3] or 1.0
    parts = {}
    for label, module, qualname in CPROFILE_PARTS:
        cumulative = raw.get(code_key(module, qualname, patched=patched), (0, 0, 0, 0.0))[3]
        parts[label] = {"ms_per_turn": round(cumulative / turns * 1000, 2), "share_of_turn": round(cumulative / whole, 3)}
    text = io.StringIO()
    pstats.Stats(str(OUT / f"cprofile-{name}.prof"), stream=text).sort_stats("tottime").print_stats(30)
    (OUT / f"cprofile-{name}-top.txt").write_text(text.getvalue(), encoding="utf-8")
    log(f"{name}: cProfile under 10 concurrent ({turns} turns), share of handle_message: " + ", ".join(
        f"{k.split(': ')[-1]} {v['share_of_turn'] * 100:.0f}%" for k, v in list(parts.items())[1:]))
    return {"turns": turns, "parts": parts,
            "top_functions": f"reports/bench/cprofile-{name}-top.txt"}


def fmt_ms(value: Optional[float]) -> str:
    return "-" if value is None else f"{value:.1f} ms"


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
        model, seconds = common.train(config, models_dir, name, models_dir / f"{name}-train.log", nlu_only=False)
        if common.fingerprint([config, common.DATA, common.DOMAIN], common.package_version("rasa")) != key:
            raise BenchError(f"{config.name}, data/ or domain.yml changed while {name} was training; run again")
        stamp = {"fingerprint": key, "date": common.machine_info()["date"], "train_seconds": round(seconds, 1)}
        common.write_json(stamp_path, stamp)
        log(f"{name}: trained in {seconds:.1f} s")
        result[name] = {**stamp, "model": model, "reused": False}
    return result


# ---------------------------------------------------------------------------------------------
# Report


def level_of(result: Dict[str, Any], concurrency: int) -> Dict[str, Any]:
    return next((lv for lv in result["levels"] if lv["concurrency"] == concurrency), {})


def comparison_rows(report: Dict[str, Any]) -> List[List[str]]:
    """The main table: figure, ours, baseline, ours/baseline, target (and whether it is met)."""
    ours, base = report["models"]["ours"], report["models"]["baseline"]
    rows: List[List[str]] = []

    def add(figure: str, o: Optional[float], b: Optional[float], unit: str, target: str = "") -> None:
        def shown(v: Optional[float]) -> str:
            return "-" if v is None else f"{v:.1f}{unit}"
        rows.append([figure, shown(o), shown(b), ratio(o, b), target])

    for concurrency in report["levels"]:
        lo, lb = level_of(ours, concurrency), level_of(base, concurrency)
        for q in ("p50", "p95", "p99"):
            target = ""
            if q == "p95" and concurrency == 10:
                target = met(lo.get("p95_ms"), common.TARGET_P95_MS_AT_10, "≤ 100 ms", unit=" ms")
            add(f"{q} turn latency, {concurrency} concurrent", lo.get(f"{q}_ms"), lb.get(f"{q}_ms"), " ms", target)
        o_tp, b_tp = lo.get("throughput_turns_per_s"), lb.get("throughput_turns_per_s")
        target = "≥ baseline (" + ("met" if (o_tp or 0) >= (b_tp or 0) else f"missed by {b_tp - o_tp:.1f} turns/s") + ")"
        add(f"throughput, {concurrency} concurrent (turns/s)", o_tp, b_tp, "", target)
        rows.append([f"errors, {concurrency} concurrent", str(lo.get("errors")), str(lb.get("errors")), "-", ""])
    peak_o, peak_b = ours["peak_rss_mb_whole_run"], base["peak_rss_mb_whole_run"]
    add("peak RSS, Rasa server (MB)", peak_o["rasa"], peak_b["rasa"], "",
        met(peak_o["rasa"], common.TARGET_RASA_RSS_MB, "≤ 1200 MB", unit=" MB"))
    add("peak RSS, action server (MB)", peak_o["actions"], peak_b["actions"], "")
    t_o, t_b = report["training"]["ours"], report["training"]["baseline"]
    add("full training time (s)" + (" (baseline reused)" if t_b["reused"] else ""), t_o["train_seconds"],
        t_b["train_seconds"], "", met(t_o["train_seconds"], common.TARGET_TRAIN_S, "≤ 180 s", unit=" s"))
    c_o, c_b = ours["cold_start"], base["cold_start"]
    add("cold start, both servers to first reply (s)", c_o["both_servers_to_first_reply_s"],
        c_b["both_servers_to_first_reply_s"], "", met(c_o["both_servers_to_first_reply_s"], common.TARGET_COLD_START_S,
                                                       "≤ 30 s", unit=" s"))
    add("cold start, Rasa process to first reply (s)", c_o["rasa_process_start_to_first_reply_s"],
        c_b["rasa_process_start_to_first_reply_s"], "")
    return rows


def met(value: Optional[float], limit: float, text: str, *, unit: str) -> str:
    if value is None:
        return text + " (no figure)"
    return f"{text} (" + ("met" if value <= limit else f"missed by {value - limit:.1f}{unit}") + ")"


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
        def share(k: str, m: Dict[str, float] = m) -> str:
            return f"{m[k]:.1f} ({m[k] / m['total_ms'] * 100:.0f}%)" if m["total_ms"] else "-"
        breakdown_rows.append([name, f"{m['total_ms']:.1f}", share("nlu_ms"), share("policy_ms"),
                               share("remote_actions_ms"), share("response_validation_ms"), share("other_ms"),
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
        f"action clock fixed at {FIXED_NOW}. Closed loop over the REST channel: each simulated parent sends a turn, "
        f"waits for the reply, sends the next; a fresh sender per conversation; conversations rotate over "
        f"{len(report['scripts'])} scripts ({', '.join(s['name'] for s in report['scripts'])}). Per level "
        f"{report['warmup_s']:.0f} s warm-up, then {report['duration_s']:.0f} s measured. The load generator runs on "
        f"the same 2 cores. Baseline = `benchmarks/baseline_config.yml` (Rasa 3.6's default pipeline and policies) "
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
    at10, base10 = level_of(ours, 10), level_of(base, 10)
    mean = ours["profile"]["mean_per_turn"]
    parts = {"NLU": mean["nlu_ms"], "policies": mean["policy_ms"], "remote actions (round trips)": mean["remote_actions_ms"],
             "Rasa's jsonschema check of action responses": mean["response_validation_ms"], "other": mean["other_ms"]}
    biggest = max(parts, key=lambda k: parts[k])
    heaviest = max(ours["profile"]["per_turn_median"], key=lambda t: t["total_ms"])
    if at10 and (at10.get("p95_ms") or 0) > common.TARGET_P95_MS_AT_10:
        throughput = at10["throughput_turns_per_s"] or 1e-9
        lines.append(
            f"- **p95 at 10 concurrent: {at10['p95_ms']:.0f} ms, target 100 ms (missed by {at10['p95_ms'] - 100:.0f} ms).** "
            f"The Rasa server used {at10['cpu_cores_used']['rasa']} CPU cores at that level: its single asyncio "
            f"loop is saturated, so the turns queue. Served {throughput:.1f} turns/s, i.e. about "
            f"{1000 * at10['cpu_cores_used']['rasa'] / throughput:.0f} ms of Rasa CPU per turn; in a closed loop "
            f"with no think time, 10 conversations then wait about 10/{throughput:.1f} = {10000 / throughput:.0f} ms "
            f"per turn on average (Little's law). Even a mean of 100 ms at 10 concurrent needs ≥ 100 turns/s, i.e. "
            f"≤ 10 ms of Rasa CPU per turn on one core; the p95 needs less still, as the heaviest turn costs "
            f"{heaviest['total_ms'] / max(mean['total_ms'], 1e-9):.1f}x the mean turn serially "
            f"(\"{heaviest['text']}\": {heaviest['total_ms']:.0f} ms). Serial time per turn (no load): {mean['total_ms']:.0f} ms, of which "
            + ", ".join(f"{k} {v:.0f} ms" for k, v in parts.items()) + f"; the largest part is {biggest}.")
    if at10 and base10 and at10["throughput_turns_per_s"] < base10["throughput_turns_per_s"]:
        lines.append(
            f"- **Throughput at 10 concurrent below the baseline's** by {base10['throughput_turns_per_s'] - at10['throughput_turns_per_s']:.1f} "
            f"turns/s ({ratio(at10['throughput_turns_per_s'], base10['throughput_turns_per_s'])}). The two differ in NLU "
            f"and in our patches/ to Rasa (the baseline runs stock Rasa); NLU costs ours {mean['nlu_ms']:.1f} ms and the baseline "
            f"{base['profile']['mean_per_turn']['nlu_ms']:.1f} ms per turn (see the breakdown above).")
    peak = ours["peak_rss_mb_whole_run"]["rasa"]
    if peak > common.TARGET_RASA_RSS_MB:
        lines.append(f"- **Rasa server RSS {peak:.0f} MB, target 1200 MB (missed by {peak - 1200:.0f} MB).** "
                     f"Idle after start: {ours['rss_mb_idle']['rasa']:.0f} MB; the rest is the in-memory trackers of "
                     f"the load's conversations (max tracker {ours['profile']['max_tracker_json_bytes']} bytes of JSON).")
    train_s = report["training"]["ours"]["train_seconds"]
    if train_s > common.TARGET_TRAIN_S:
        lines.append(f"- **Training {train_s:.0f} s, target 180 s (missed by {train_s - 180:.0f} s)**: see "
                     "reports/bench/models/ours-train.log for the time per component.")
    cold = ours["cold_start"]["both_servers_to_first_reply_s"]
    if cold > common.TARGET_COLD_START_S:
        lines.append(f"- **Cold start {cold:.0f} s, target 30 s (missed by {cold - 30:.0f} s)**: action server ready "
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
        "## Rasa server under cProfile (10 concurrent)",
        "",
        "Main-thread time per turn in each part, and its share of MessageProcessor.handle_message. cProfile slows "
        "Python code down (by about 2x here), so compare the shares, not the milliseconds; parts nest.",
        "",
        md_table(["part"] + [f"{n} ({c['turns']} turns)" for n, c in models], rows),
        "",
        "Top functions by own time: " + ", ".join(c["top_functions"] for _, c in models) + ".",
        "",
    ]


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
    ax.axhline(common.TARGET_P95_MS_AT_10, color="red", linestyle="--", linewidth=1, label="target p95 at 10: 100 ms")
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


def print_comparison(report: Dict[str, Any]) -> None:
    for row in comparison_rows(report):
        figure, o, b, r, target = row
        log(f"{figure}: ours {o}, baseline {b}, ours/baseline {r}" + (f"; target {target}" if target else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 10, 50], help="concurrent conversations")
    parser.add_argument("--duration", type=float, default=25.0, help="measured seconds per level")
    parser.add_argument("--warmup", type=float, default=5.0, help="unmeasured seconds before each level")
    parser.add_argument("--profile-reps", type=int, default=3, help="serial replays of the scripts for the profile")
    parser.add_argument("--no-cprofile", dest="cprofile", action="store_false",
                        help="skip the extra 10-concurrent run with the Rasa server under cProfile")
    parser.add_argument("--fresh", action="store_true", help="retrain the baseline even if its inputs are unchanged")
    parser.add_argument("--report-only", action="store_true",
                        help="only redraw reports/bench.png and bench_summary.md from reports/bench.json")
    args = parser.parse_args()
    if args.report_only:
        if not (common.REPORTS / "bench.json").exists():
            raise BenchError("reports/bench.json is missing; run `make bench`")
        report = json.loads((common.REPORTS / "bench.json").read_text(encoding="utf-8"))
        plot(report, common.REPORTS / "bench.png")
        (common.REPORTS / "bench_summary.md").write_text(summary_markdown(report), encoding="utf-8")
        print_comparison(report)
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
        "targets": {"p95_ms_at_10": common.TARGET_P95_MS_AT_10, "rasa_rss_mb": common.TARGET_RASA_RSS_MB,
                    "train_s": common.TARGET_TRAIN_S, "cold_start_s": common.TARGET_COLD_START_S,
                    "throughput": "at least the baseline's"},
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "inputs_changed_during_run": common.fingerprint([p for p in bot_inputs if p.exists()]) != inputs_at_start,
    }
    report["total_seconds"] = round(time.monotonic() - started, 1)
    common.write_json(common.REPORTS / "bench.json", report)
    plot(report, common.REPORTS / "bench.png")
    (common.REPORTS / "bench_summary.md").write_text(summary_markdown(report), encoding="utf-8")
    print_comparison(report)
    if report["inputs_changed_during_run"]:
        log("WARNING: the bot's files changed during this run; run again for figures of one version")
    log(f"wrote reports/bench.json, reports/bench.png, reports/bench_summary.md in {report['total_seconds']:.0f} s")


if __name__ == "__main__":
    common.run_main(TOOL, main)

"""Where a turn's time goes: a serial replay of the conversations with Rasa's HTTP API on and the
action calls routed through a recording proxy, each turn split into NLU (/model/parse), policy
prediction (/predict minus /tracker, times the actions in the turn), the remote actions (as the proxy
saw them), Rasa's jsonschema check of each action response, and the rest."""

from __future__ import annotations

import json
import statistics
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Sequence, Tuple

import requests

from benchmarks import rasa_code
from benchmarks.conversations import REQUEST_TIMEOUT_S, Script
from benchmarks.server_control import BenchServers, RasaMode, first_reply
from harness.servers import LOOPBACK, free_port

BREAKDOWN_KEYS = ("total_ms", "nlu_ms", "policy_ms", "remote_actions_ms", "response_validation_ms", "other_ms")


def turn_breakdown(servers: BenchServers, convs: Sequence[Script], reps: int) -> Dict[str, Any]:
    """Restart Rasa with the API on and the action calls through a RecordingProxy, replay `convs`
    `reps` times one turn at a time, and leave Rasa stopped."""
    servers.stop_rasa()
    with RecordingProxy(f"{servers.action_url}/webhook") as proxy:
        servers.start_rasa(RasaMode(api=True, actions_via=proxy.url))
        first_reply(servers)
        result = replay(servers, proxy, convs, reps)
        servers.stop_rasa()
    return result


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
                headers = {"Content-Type": "application/json"}
                if self.headers.get("Authorization"):  # the action server's token (actions/server.py)
                    headers["Authorization"] = self.headers["Authorization"]
                answer = requests.post(proxy.target, data=body, headers=headers, timeout=REQUEST_TIMEOUT_S)
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


def timed(call: Callable[[], requests.Response]) -> Tuple[float, requests.Response]:
    started = time.perf_counter()
    response = call()
    return (time.perf_counter() - started) * 1000, response


def replay(servers: BenchServers, proxy: "RecordingProxy", convs: Sequence[Script], reps: int) -> Dict[str, Any]:
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
        times = [timed(lambda: session.post(f"{servers.action_url}/webhook", json=payload,
                                            headers=servers.action_headers(), timeout=60))[0]
                 for _ in range(10)]
        direct[name] = statistics.median(times)
    validation = validation_ms(responses, patched=not servers.stock_rasa)
    for row in rows:
        row["response_validation_ms"] = sum(validation.get(str(c), 0.0) for c in row["remote_calls"])
        row["other_ms"] = max(row["total_ms"] - row["nlu_ms"] - row["policy_ms"] - row["remote_actions_ms"]
                              - row["response_validation_ms"], 0.0)
    keys = BREAKDOWN_KEYS
    mean = {k: statistics.fmean(r[k] for r in rows) for k in keys}
    last_rep = [r for r in rows if r["rep"] == reps - 1]
    return {
        "turns": len(rows),
        "mean_per_turn": mean,
        "remote_calls_per_turn": statistics.fmean(len(r["remote_calls"]) for r in rows),
        "actions_per_turn": statistics.fmean(len(r["actions"]) for r in rows),
        "action_server_direct_median_ms": direct,
        "response_validation_median_ms": validation,
        "response_validation_function_module": rasa_code.validation_function(not servers.stock_rasa).__module__,
        "per_turn": [
            {**r, **{k: round(r[k], 1) for k in keys}}
            for r in last_rep
        ],
        "per_turn_median": median_by_turn(rows, keys),
        "max_tracker_json_bytes": max(r["tracker_json_bytes"] for r in rows),
        "max_action_request_bytes": max((max(r["action_request_bytes"] or [0]) for r in rows), default=0),
    }


def validation_ms(responses: Dict[str, Any], *, patched: bool) -> Dict[str, float]:
    """What the server's check of an action server response costs (RemoteAction._validate_action_result,
    jsonschema; ours or Rasa's, as in that server), timed on each captured response: median of 5, in ms."""
    from rasa.core.actions.action import RemoteAction

    validate = rasa_code.validation_function(patched)
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

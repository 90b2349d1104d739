"""The Rasa server under cProfile during the closed-loop load at the target's concurrency: the share
of its main-thread time in each part of Rasa's turn handling (only the shares matter: cProfile slows
Python code down)."""

from __future__ import annotations

import io
import pstats
from pathlib import Path
from typing import Any, Dict, Sequence

from benchmarks import common, targets
from benchmarks.conversations import Script
from benchmarks.load import Window, closed_loop
from benchmarks.rasa_code import code_key
from benchmarks.server_control import BenchServers, RasaMode, first_reply

CONCURRENCY = targets.P95_CONCURRENCY

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


def cprofile_under_load(name: str, servers: BenchServers, window: Window, convs: Sequence[Script],
                        out: Path) -> Dict[str, Any]:
    """Restart Rasa under cProfile, run the closed loop at CONCURRENCY, and attribute its main-thread
    time; the profile and its top functions go to `out`. Leaves Rasa stopped."""
    profile_path = out / f"cprofile-{name}.prof"
    top_path = out / f"cprofile-{name}-top.txt"
    servers.stop_rasa()
    servers.start_rasa(RasaMode(cprofile_to=profile_path))
    first_reply(servers)
    closed_loop(CONCURRENCY, window, convs)(servers.rest_url)
    servers.stop_rasa()
    stats = pstats.Stats(str(profile_path))
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
    pstats.Stats(str(profile_path), stream=text).sort_stats("tottime").print_stats(30)
    top_path.write_text(text.getvalue(), encoding="utf-8")
    common.say("bench", f"{name}: cProfile under {CONCURRENCY} concurrent ({turns} turns), share of handle_message: "
               + ", ".join(f"{k.split(': ')[-1]} {v['share_of_turn'] * 100:.0f}%" for k, v in list(parts.items())[1:]))
    return {"turns": turns, "parts": parts, "top_functions": str(top_path.relative_to(common.PROJECT_ROOT))}

"""Reading conversations back from Redis, as the scaled topology stores them (Rasa's tracker store
format: `tracker:<sender>` holds the JSON dialogue). For tests and benchmarks that check what was
stored: no turn lost, none handled twice, turns never interleaved."""

from __future__ import annotations

import json
from typing import Dict, List, Optional

import redis


def stored_events(client: redis.Redis, sender: str) -> List[Dict]:
    stored = client.get(f"tracker:{sender}")
    return json.loads(stored)["events"] if stored else []


def user_texts(events: List[Dict]) -> List[str]:
    return [e["text"] for e in events if e["event"] == "user"]


def slots(events: List[Dict]) -> Dict[str, object]:
    values: Dict[str, object] = {}
    for event in events:
        if event["event"] == "slot":
            values[event["name"]] = event["value"]
    return values


def turns_never_interleave(events: List[Dict]) -> bool:
    """Each user message is taken only after the previous turn ended with action_listen."""
    last_action: Optional[str] = "action_listen"
    seen_user = False
    for event in events:
        if event["event"] == "user":
            if seen_user and last_action != "action_listen":
                return False
            seen_user, last_action = True, None
        elif event["event"] == "action":
            last_action = event["name"]
    return True

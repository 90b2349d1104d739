"""Validate action server responses with a compiled JSON-schema validator, once per process.

Rasa 3.6.21 checks every response of the action server with ``jsonschema.validate(result,
schema)`` (``RemoteAction._validate_action_result``). That call first validates the large events
schema itself against the JSON-schema meta-schema and builds a new validator, every time: about
20 ms of CPU per custom action call, 50-80% of a whole turn of this bot (measured by `make bench`).
The schema never changes, so we build the validator once and validate each response with it. The
same errors are raised with the same message; only the repeated schema check is skipped.

Even compiled, the check of each event against Rasa's ``oneOf`` of 23 event schemas cost about 7%
of a turn under load (py-spy, 10 concurrent): every alternative is tried for every event. The
alternatives differ by the constant in their ``event`` property, so exactly one of them can match
an event whose ``event`` is a known name. The fast path checks each event against that one
alternative (plus the common part of the event schema); whenever anything does not pass, the full
validator runs, so an invalid response raises exactly the error Rasa would raise.
"""

from __future__ import annotations

import functools
from typing import Any, Dict, Text

from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

from patches import install

_original = RemoteAction._validate_action_result


@functools.lru_cache(maxsize=1)
def _response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, as jsonschema.validate would do on every call
    return cls(schema)


@functools.lru_cache(maxsize=1)
def _event_validators() -> Dict[Text, Any]:
    """One compiled validator per event name: the common event schema plus its own alternative."""
    from rasa.shared.utils.schemas.events import EVENT_SCHEMA

    common = {key: value for key, value in EVENT_SCHEMA.items() if key != "oneOf"}
    validators = {}
    for alternative in EVENT_SCHEMA["oneOf"]:
        name = alternative["properties"]["event"]["const"]
        schema = {**common, "allOf": [alternative]}
        cls = validator_for(schema)
        cls.check_schema(schema)
        validators[name] = cls(schema)
    return validators


def is_valid_fast(result: Any) -> bool:
    """True only when `result` is certainly valid under Rasa's response schema.

    False means "not shown valid here": the caller then runs the full validator.
    """
    if not isinstance(result, dict):
        return False
    responses = result.get("responses", [])
    if "responses" in result and not (
        isinstance(responses, list) and all(isinstance(item, dict) for item in responses)
    ):
        return False
    events = result.get("events", [])
    if not isinstance(events, list):
        return False
    validators = _event_validators()
    for event in events:
        if not isinstance(event, dict):
            return False
        name = event.get("event")
        validator = validators.get(name) if isinstance(name, str) else None
        if validator is None or not validator.is_valid(event):
            return False
    return True


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    """Drop-in for `RemoteAction._validate_action_result`: fast path, else the cached validator."""
    if is_valid_fast(result):
        return True
    # As jsonschema.validate does: of all errors, raise the best match (not simply the first).
    error = best_match(_response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        f". Failed to validate Action server response from API, "
        f"make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def apply() -> None:
    """Install the cached validator (idempotent; only on the Rasa version the patches target)."""
    install(RemoteAction, "_validate_action_result", validate_action_result, __name__)


def is_applied() -> bool:
    return RemoteAction._validate_action_result is validate_action_result

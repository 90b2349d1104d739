"""Send a response of the domain from an action, with the values its {placeholders} need.

Every bot text is a response in domain/ (Rasa's own place for texts); an action sends one with
`dispatcher.utter_message(response=name, **values)` and Rasa fills the {placeholders} in
(rasa/core/nlg/generator.py). `utter` checks first that the response exists and that every
placeholder gets a value, so a typo fails in the action (and its tests) instead of reaching a
parent as "{phone}". It passes only the values the response uses: Rasa keeps the values of a
message in the conversation's events.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Optional, Set

from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

# The placeholder pattern of Rasa's interpolator (rasa/core/nlg/interpolator.py).
PLACEHOLDER = re.compile(r"{([^\n{}]+?)}")


class ResponseError(KeyError):
    """The domain has no such response, or a placeholder has no value."""


def placeholders(domain: Mapping[str, Any], name: str) -> Set[str]:
    """The names of the {placeholders} in every variant of response `name`."""
    variants = domain.get("responses", {}).get(name)
    if not variants:
        raise ResponseError(f"the domain has no response '{name}'")
    return {found for variant in variants for found in PLACEHOLDER.findall(variant.get("text") or "")}


def utter(
    dispatcher: CollectingDispatcher,
    domain: DomainDict,
    name: str,
    values: Optional[Mapping[str, Any]] = None,
) -> None:
    """Send response `name`, filled with the `values` it needs."""
    values = values or {}
    needed = placeholders(domain, name)
    missing = sorted(needed - set(values))
    if missing:
        raise ResponseError(f"response '{name}' needs values for {missing}")
    dispatcher.utter_message(response=name, **{key: values[key] for key in sorted(needed)})


def render(domain: Mapping[str, Any], name: str, values: Mapping[str, Any]) -> str:
    """The text of response `name` (its first variant) filled with `values`, for a response that
    is sent inside another one (the hand-off inside the closing summary). Same check as `utter`."""
    missing = sorted(placeholders(domain, name) - set(values))
    if missing:
        raise ResponseError(f"response '{name}' needs values for {missing}")
    text = domain["responses"][name][0].get("text") or ""
    return PLACEHOLDER.sub(lambda match: str(values[match.group(1)]), text)

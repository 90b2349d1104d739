"""Look up Rasa event classes by type name in a dict instead of a class-tree walk.

Rasa 3.6.21's ``Event.resolve_by_type`` walks every subclass of ``Event`` (recursively, with an
``inspect.isabstract`` check each) for each event it deserialises. The in-memory tracker store
deserialises the whole conversation on every message, so this walk was about a fifth of a turn's
CPU in our profile. The mapping from type name to class only changes when a new Event subclass is
imported, so it is cached and rebuilt on a miss; the first match wins, as in Rasa's loop.
"""

from __future__ import annotations

from typing import Dict, Optional, Text, Type

import rasa.shared.utils.common
from rasa.shared.core.events import Event

from patches import install

_original = Event.resolve_by_type
_by_type: Dict[Text, Type[Event]] = {}


def _rebuild() -> None:
    _by_type.clear()
    for cls in rasa.shared.utils.common.all_subclasses(Event):
        _by_type.setdefault(cls.type_name, cls)


def resolve_by_type(type_name: Text, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
    """Drop-in for `Event.resolve_by_type`: the event class for `type_name`."""
    cls = _by_type.get(type_name)
    if cls is None:
        _rebuild()
        cls = _by_type.get(type_name)
    if cls is not None:
        return cls
    if type_name == "topic":
        return None  # as Rasa: old TopicSet events are ignored
    if default is not None:
        return default
    raise ValueError(f"Unknown event name '{type_name}'.")


def apply() -> None:
    """Install the cached lookup (idempotent; only on the Rasa version the patches target)."""
    install(Event, "resolve_by_type", staticmethod(resolve_by_type), __name__)


def is_applied() -> bool:
    return Event.resolve_by_type is resolve_by_type

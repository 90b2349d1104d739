"""Load the facts file (`content/advieslijn.yml`): the one place for numbers, URLs and hours.

Everything the bot tells a parent that could change (phone numbers, opening hours, links) is read
from that file, so the association can correct a fact without touching code.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Mapping

import yaml

from store.known_settings import FACTS

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FACTS_PATH = PROJECT_ROOT / "content" / "advieslijn.yml"
FACTS_PATH_ENV = FACTS.name


class FactsError(ValueError):
    """The facts file is missing a value or has a value of the wrong kind."""


# What reading the facts (and building the schedule and texts from them) raises when the file cannot
# be used: the start-up check (actions/__init__.py) and /health/ready (actions/server.py) catch these.
UNUSABLE_FACTS = (FactsError, ValueError, KeyError, TypeError)


@dataclass(frozen=True)
class Facts:
    """The parsed facts file. `raw` keeps the nested mapping for sections read elsewhere."""

    raw: Mapping[str, Any]

    def get(self, dotted_key: str) -> Any:
        """Return the value at a dotted key such as ``"advieslijn.phone"``.

        Raises:
            FactsError: when a part of the key does not exist.
        """
        node: Any = self.raw
        for part in dotted_key.split("."):
            if not isinstance(node, Mapping) or part not in node:
                raise FactsError(f"facts file has no value for '{dotted_key}'")
            node = node[part]
        return node

    def text(self, dotted_key: str) -> str:
        """Return a string value ('' for an empty value)."""
        value = self.get(dotted_key)
        if value is None:
            return ""
        if not isinstance(value, (str, int)):
            raise FactsError(f"facts value '{dotted_key}' must be text, got {type(value).__name__}")
        return str(value)

    def section(self, key: str) -> Dict[str, Any]:
        """Return a top-level section as a plain dict."""
        value = self.get(key)
        if not isinstance(value, Mapping):
            raise FactsError(f"facts section '{key}' must be a mapping")
        return dict(value)


def facts_path() -> Path:
    """The facts file in use: ``$ADVIESLIJN_FACTS`` if set, else ``content/advieslijn.yml``."""
    return FACTS.value() or Path(DEFAULT_FACTS_PATH)


def parse_facts(text: str) -> Facts:
    """Parse the YAML text of a facts file."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise FactsError(f"not valid YAML{where}: {getattr(error, 'problem', None) or error}") from error
    if not isinstance(data, Mapping):
        raise FactsError("facts file must hold a YAML mapping at the top level")
    return Facts(raw=data)


@functools.lru_cache(maxsize=4)
def _load(path: str) -> Facts:
    try:
        content = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise FactsError(f"cannot read facts file {path}: {error.strerror}") from error
    return parse_facts(content)


def load_facts(path: Path | None = None) -> Facts:
    """Load (and cache) the facts file."""
    return _load(str(path or facts_path()))

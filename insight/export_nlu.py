"""`make export-nlu`: labelled fallback messages as Rasa NLU YAML, into a review file.

Written to reports/review/nlu_review.yml, never into data/: a person reads it and moves the good
examples into the training data. The messages were redacted before they were stored; placeholders
such as [PERSOON-1] stay in the examples and are to be replaced by hand.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path
from typing import Dict, List

import yaml

from store import known_settings
from store.db import open_store
from store.settings import refuse_bad_settings
from store.fallbacks import labelled

OUT = Path(__file__).resolve().parent.parent / "reports" / "review" / "nlu_review.yml"


class _Literal(str):
    pass


yaml.SafeDumper.add_representer(_Literal, lambda dumper, value: dumper.represent_scalar(
    "tag:yaml.org,2002:str", value, style="|"))


def nlu_yaml(examples: Dict[str, List[str]]) -> str:
    """Rasa 3.x NLU YAML: one block of `- example` lines per intent."""
    nlu = [{"intent": intent, "examples": _Literal("".join(f"- {' '.join(t.split())}\n" for t in texts))}
           for intent, texts in sorted(examples.items())]
    header = "# Labelled fallback messages for review (make export-nlu). Do not train on this file as is.\n"
    return header + yaml.safe_dump({"version": "3.1", "nlu": nlu}, allow_unicode=True, sort_keys=False)


def export(out: Path = OUT) -> int:
    examples: Dict[str, List[str]] = defaultdict(list)
    for message in labelled(open_store()):
        if message.label and message.redacted_text not in examples[message.label]:
            examples[message.label].append(message.redacted_text)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(nlu_yaml(examples), encoding="utf-8")
    return sum(len(texts) for texts in examples.values())


def main() -> int:
    refuse_bad_settings("export-nlu", known_settings.STORE_COMMANDS)
    count = export()
    print(f"export-nlu: {count} labelled messages in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

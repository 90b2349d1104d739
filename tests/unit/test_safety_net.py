"""The crisis safety net: explicit crisis words always mean urgent_help."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.shared.nlu.training_data.message import Message

from components.safety_net import CrisisKeywordOverride, compile_patterns

CONFIG = yaml.safe_load((Path(__file__).resolve().parents[2] / "config.yml").read_text(encoding="utf-8"))
PATTERNS = next(c for c in CONFIG["pipeline"] if c["name"].endswith("CrisisKeywordOverride"))["patterns"]
NET = CrisisKeywordOverride({"patterns": PATTERNS})

CRISIS = [
    "sos",
    "112!",
    "er is nu politie nodig",
    "geweld thuis",
    "sinds ze thuiszit krast ze in haar armen",
    "hij wil niet meer leven",
    "ze zei dat ze liever dood is dan naar school",
    "mijn dochter praat over zelfmoord",
    "hij heeft pillen geslikt",
    "ik ben bang dat hij zichzelf iets aandoet als hij weer naar die school moet",
    "mijn man slaat me",
    "hij zit al 8 weken thuis en vannacht zei hij dat hij niet meer wakker wil worden",
    "ze zegt dat ze niet meer wakker hoeft te worden",
    "ons kind is sinds gisteren vermist",
    "mijn dochter is vermist",
    "mijn kind is weg en ik kan hem nergens vinden",
    "hij is na school weggelopen en we weten niet waar hij is",
    "ik weet niet waar mijn zoon nu is, hij neemt niet op",
]
NOT_CRISIS = [
    "mijn kind zit thuis",
    "hij zit al 8 weken thuis en ik ben wanhopig",
    "de school wil hem niet meer hebben",
    "ik ben doodmoe van al die gesprekken",
    "wat is het telefoonnummer",
    "de school is niet veilig voor hem vanwege pesten",
    "hij vermist zijn vrienden van school",
    "ze vermist de juf heel erg",
    "ik kan nergens een school voor haar vinden",
    "we kunnen hem nergens plaatsen",
    "ik weet niet waar ik moet beginnen",
    "ik weet niet waar hij nu ingeschreven is",
]


@pytest.mark.parametrize("text", CRISIS)
def test_crisis_messages_are_recognised(text: str) -> None:
    assert NET.is_crisis(text)


@pytest.mark.parametrize("text", NOT_CRISIS)
def test_ordinary_distress_is_left_to_the_classifier(text: str) -> None:
    assert not NET.is_crisis(text)


def test_process_overrides_the_intent_and_keeps_the_ranking() -> None:
    message = Message(data={"text": "geweld thuis"})
    message.set("intent", {"name": "child_at_home", "confidence": 0.6})
    message.set("intent_ranking", [{"name": "child_at_home", "confidence": 0.6}, {"name": "urgent_help", "confidence": 0.3}])
    NET.process([message])
    assert message.get("intent") == {"name": "urgent_help", "confidence": 1.0}
    assert [r["name"] for r in message.get("intent_ranking")] == ["urgent_help", "child_at_home"]


def test_other_messages_are_untouched() -> None:
    message = Message(data={"text": "hallo"})
    message.set("intent", {"name": "greet", "confidence": 0.9})
    NET.process([message])
    assert message.get("intent") == {"name": "greet", "confidence": 0.9}


def test_a_bad_pattern_is_named() -> None:
    with pytest.raises(ValueError, match="bad pattern"):
        compile_patterns(["(unclosed"])

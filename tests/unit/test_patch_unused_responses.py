"""patches.unused_responses: only the 'not used in any story or rule' warning is dropped."""

from __future__ import annotations

import warnings
from pathlib import Path

from rasa.shared.importers.importer import TrainingDataImporter
from rasa.validator import Validator

import patches
from patches import unused_responses

patches.apply_all()

DOMAIN = """
version: "3.1"
intents: [greet]
responses:
  utter_greet:
    - text: "Hoi"
  utter_sent_by_an_action:
    - text: "Alleen een actie stuurt dit"
"""
RULES = """
version: "3.1"
rules:
  - rule: greet
    steps:
      - intent: greet
      - action: {action}
"""


def validator_for(tmp_path: Path, action: str) -> Validator:
    (tmp_path / "domain.yml").write_text(DOMAIN, encoding="utf-8")
    (tmp_path / "rules.yml").write_text(RULES.format(action=action), encoding="utf-8")
    (tmp_path / "config.yml").write_text('recipe: default.v1\nlanguage: nl\n', encoding="utf-8")
    importer = TrainingDataImporter.load_from_config(
        str(tmp_path / "config.yml"), str(tmp_path / "domain.yml"), [str(tmp_path / "rules.yml")]
    )
    return Validator.from_importer(importer)


def test_the_patch_is_applied_by_apply_all() -> None:
    assert unused_responses.is_applied()


def test_a_response_only_an_action_sends_passes_without_a_warning(tmp_path: Path) -> None:
    validator = validator_for(tmp_path, "utter_greet")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert unused_responses._original(validator, ignore_warnings=False) is True  # Rasa's own
        rasa_warnings = [str(w.message) for w in caught]
        caught.clear()
        assert validator.verify_utterances_in_stories(ignore_warnings=False) is True
    assert "The utterance 'utter_sent_by_an_action' is not used in any story or rule." in rasa_warnings
    assert not caught


def test_other_warnings_of_the_same_check_still_fail(tmp_path: Path) -> None:
    validator = validator_for(tmp_path, "utter_not_in_the_domain")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert validator.verify_utterances_in_stories(ignore_warnings=False) is False
        assert validator.verify_utterances_in_stories(ignore_warnings=True) is True
    messages = [str(w.message) for w in caught]
    assert any("'utter_not_in_the_domain' is used in the stories" in m for m in messages)
    assert not any("is not used in any story or rule" in m for m in messages)

"""`rasa data validate`: no warning for a response that only a custom action sends.

Rasa 3.6.21's ``Validator.verify_utterances_in_stories``
(https://github.com/RasaHQ/rasa/blob/3.6.21/rasa/validator.py) warns "The utterance '…' is not used
in any story or rule." for every response that no story or rule names (a warning only: the check
still passes). Our custom actions send most responses (`dispatcher.utter_message(response=...)`),
which Rasa's validator cannot see, and our test of `make validate` allows no warning at all. Here
exactly that message is dropped; every other warning of the check is raised again, and the check's
result is Rasa's. What Rasa's message was for, our own test does: tests/unit/test_responses.py
proves every response is used by a rule, the form or an action.
"""

from __future__ import annotations

import re
import warnings

import rasa.shared.utils.io
from rasa.validator import Validator

from patches import install

_original = Validator.verify_utterances_in_stories
UNUSED_RESPONSE = re.compile(r"The utterance '[^']+' is not used in any story or rule\.")


def verify_utterances_in_stories(self: Validator, ignore_warnings: bool = True) -> bool:
    """Rasa's check, without the warning for responses that no story or rule names."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        everything_is_alright = _original(self, ignore_warnings=ignore_warnings)
    for warning in caught:
        if not UNUSED_RESPONSE.fullmatch(str(warning.message)):
            rasa.shared.utils.io.raise_warning(str(warning.message), category=warning.category)
    return everything_is_alright


def apply() -> None:
    """Install the filtered check (idempotent; only on the Rasa version the patches target)."""
    install(Validator, "verify_utterances_in_stories", verify_utterances_in_stories, __name__)


def is_applied() -> bool:
    return Validator.verify_utterances_in_stories is verify_utterances_in_stories

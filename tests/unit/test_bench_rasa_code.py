"""The profile keys of `make bench` (benchmarks/rasa_code.py): every part the cProfile report names
resolves to our patched function and to Rasa's own, also where one patch module replaces several
of Rasa's functions (patches/turn_failure.py), which once stopped `make bench` at its last step."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.cprofile_load import CPROFILE_PARTS
from benchmarks.rasa_code import code_key


@pytest.mark.parametrize("module, qualname", [part[1:] for part in CPROFILE_PARTS])
def test_every_profiled_part_has_rasas_own_code(module: str, qualname: str) -> None:
    rasas = code_key(module, qualname, patched=False)
    assert "site-packages/rasa/" in rasas[0], rasas
    assert rasas[2] == qualname.split(".")[-1]
    ours = code_key(module, qualname, patched=True)
    assert Path(ours[0]).exists()


def test_run_is_patched_and_its_original_is_rasas() -> None:
    ours = code_key("rasa.core.actions.action", "RemoteAction.run", patched=True)
    assert "/patches/" in ours[0]
    assert "/patches/" not in code_key("rasa.core.actions.action", "RemoteAction.run", patched=False)[0]

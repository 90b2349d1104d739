"""The widget's privacy note says how long not-understood messages are kept, from the same settings
the store uses (ADVIESLIJN_STORE_FALLBACKS, ADVIESLIJN_RETENTION_DAYS), by the real build
(web/scripts/build.mjs, node) and the real widget code run by node."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Dict

import pytest

from store.known_settings import RETENTION_DAYS, STORE_FALLBACKS
from store.settings import OFF_WORDS, ON_WORDS, Setting

REPO = Path(__file__).resolve().parents[2]
# Runs the built widget.js just far enough to read FACTS: the build wraps the widget in one function
# that starts with the FACTS line.
READ_FACTS = r"""
const src = require("fs").readFileSync(process.argv[1], "utf8");
const line = src.split("\n").find((l) => l.trim().startsWith("var FACTS = "));
console.log(JSON.stringify(eval("(" + line.trim().slice("var FACTS = ".length).replace(/;$/, "") + ")")));
"""


def build(tmp_path: Path, settings: Dict[str, str]) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items()
           if key not in ("ADVIESLIJN_STORE_FALLBACKS", "ADVIESLIJN_RETENTION_DAYS")}
    return subprocess.run(["node", "web/scripts/build.mjs", "--out", str(tmp_path), "--server-url", "http://127.0.0.1:1"],
                          cwd=REPO, env={**env, **settings}, capture_output=True, text=True)


def facts(tmp_path: Path) -> Dict[str, object]:
    read = subprocess.run(["node", "-e", READ_FACTS, str(tmp_path / "widget.js")], capture_output=True, text=True,
                          check=True)
    return json.loads(read.stdout)


@pytest.mark.parametrize("settings, days", [
    ({}, 30),
    ({"ADVIESLIJN_RETENTION_DAYS": "45"}, 45),
    ({"ADVIESLIJN_STORE_FALLBACKS": "off", "ADVIESLIJN_RETENTION_DAYS": "45"}, 0),
    ({"ADVIESLIJN_STORE_FALLBACKS": "0"}, 0),
])
def test_the_privacy_note_follows_the_store_settings(tmp_path: Path, settings: Dict[str, str], days: int) -> None:
    built = build(tmp_path, settings)
    assert built.returncode == 0, built.stderr
    assert facts(tmp_path)["fallbackDays"] == days


@pytest.mark.parametrize("setting, value", [(RETENTION_DAYS, "dertig"), (RETENTION_DAYS, "0"), (RETENTION_DAYS, "1.5"),
                                            (STORE_FALLBACKS, "maybe"), (STORE_FALLBACKS, "uit")])
def test_a_bad_setting_stops_the_build_with_the_processes_own_error(tmp_path: Path, setting: Setting,
                                                                    value: str) -> None:
    built = build(tmp_path, {setting.name: value})
    with pytest.raises(ValueError) as refused:  # what the staff app and the action server refuse to start with
        setting.value({setting.name: value})
    assert built.returncode != 0 and built.stderr.strip() == f"build: {refused.value}"


@pytest.mark.parametrize("word, days", [*((w, 0) for w in OFF_WORDS), *((w.upper(), 30) for w in ON_WORDS)])
def test_the_build_knows_the_on_and_off_words_of_the_store(tmp_path: Path, word: str, days: int) -> None:
    built = build(tmp_path, {"ADVIESLIJN_STORE_FALLBACKS": word})
    assert built.returncode == 0, built.stderr
    assert facts(tmp_path)["fallbackDays"] == days

"""Bad set-up input ends in one clear line saying what is wrong and what to do."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from harness.servers import PROJECT_ROOT, BotServers, ServerError, free_port


def run_bot(env_extra: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "harness.run_bot"], cwd=PROJECT_ROOT,
        env={**os.environ, **env_extra}, capture_output=True, text=True, timeout=60,
    )


def test_make_run_names_a_port_in_use_and_what_to_do() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_bot({"RASA_PORT": str(port), "ACTION_PORT": str(free_port()), "WEB_PORT": str(free_port())})
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert f"port {port} (RASA_PORT)" in lines[0] and f"RASA_PORT={port + 1}" in lines[0]


def test_make_run_refuses_a_port_that_is_not_a_number() -> None:
    result = run_bot({"RASA_PORT": "vijf"})
    assert result.returncode == 1
    assert "RASA_PORT='vijf' is not a port number" in result.stderr


def test_servers_without_a_model_say_to_train(tmp_path: Path) -> None:
    with pytest.raises(ServerError, match="make train"):
        BotServers(tmp_path / "missing.tar.gz")


def test_no_spacy_pipeline_names_the_install_command() -> None:
    from rasa.nlu.model import InvalidModelError

    from components.dutch_spacy import choose_pipeline

    with pytest.raises(InvalidModelError, match="make install"):
        choose_pipeline("nl_no_such_model", "nl_no_such_offline_model")


@pytest.mark.skipif(
    importlib.util.find_spec("nl_offline_lookup") is None, reason="the official model is installed here"
)
def test_the_offline_pipeline_is_chosen_when_the_official_model_is_missing() -> None:
    from components.dutch_spacy import choose_pipeline

    assert choose_pipeline("nl_no_such_model", "nl_offline_lookup") == "nl_offline_lookup"

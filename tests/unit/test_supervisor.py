"""The supervisor of `make run` (harness/supervisor.py) with real processes (`sleep`)."""

from __future__ import annotations

import os
import signal
import time
from typing import List

from harness.servers import ManagedProcess
from harness.supervisor import Supervisor


def _sleeper(name: str, tmp_path) -> ManagedProcess:
    process = ManagedProcess(name, ["sleep", "300"], dict(os.environ), tmp_path / f"{name}.log")
    process.start()
    return process


def _wait(condition, timeout_s: float = 10) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_killed_process_is_restarted_and_the_others_keep_running(tmp_path) -> None:
    lines: List[str] = []
    first, second = _sleeper("first", tmp_path), _sleeper("second", tmp_path)
    second_pid, killed_pid = second.pid, first.pid
    supervisor = Supervisor([first, second], initial_delay_s=0.1, poll_s=0.05, log=lines.append)
    try:
        os.killpg(killed_pid, signal.SIGKILL)
        first.process.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not (first.running() and first.pid != killed_pid):
            supervisor.check()
            time.sleep(0.05)
        assert first.running() and first.pid != killed_pid
        assert second.running() and second.pid == second_pid
        assert lines[0] == f"supervisor: first stopped (exit code {-signal.SIGKILL}); restarting in 0.1 s"
        assert lines[1].startswith("supervisor: first restarted (pid ")
    finally:
        supervisor.stop_all()
    assert not first.running() and not second.running()


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_restarts_in_a_row_wait_twice_as_long_up_to_the_maximum_and_reset_when_stable(tmp_path) -> None:
    clock, lines = _Clock(), []
    process = _sleeper("flaky", tmp_path)
    supervisor = Supervisor(
        [process], initial_delay_s=1, max_delay_s=4, stable_after_s=60, log=lines.append, clock=clock
    )
    delays = []
    try:
        for _ in range(4):
            process.stop()
            supervisor.check()  # notices the stop: schedules the restart
            delays.append(lines[-1].rsplit("in ", 1)[1])
            clock.now += 0.5
            supervisor.check()
            assert not process.running(), "restarted before its delay"
            clock.now += 10
            supervisor.check()
            assert process.running()
        assert delays == ["1 s", "2 s", "4 s", "4 s"]
        clock.now += 61
        supervisor.check()  # stayed up long enough: the next restart waits the first delay again
        process.stop()
        supervisor.check()
        assert lines[-1].endswith("restarting in 1 s")
    finally:
        supervisor.stop_all()


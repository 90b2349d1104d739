"""Keep a set of server processes running: restart one that stops, with exponential backoff.

Used by `make run` (harness/run_bot.py: Rasa server, action server, demo page) and meant for any
other topology on this machine (several Rasa replicas, action servers, nginx, Redis): give it the
processes, call `run()` (blocks) or `check()` from your own loop, and `stop_all()` at the end.

A process is anything with `name`, `start()`, `running()`, `stop()` and `returncode` (see
`harness.servers.ManagedProcess`). When one stops (a crash, `kill -9`), the others keep running;
it is started again after a delay that doubles with every restart in a row (`initial_delay_s` up
to `max_delay_s`) and falls back to the first delay once the process has stayed up for
`stable_after_s`. Every stop and restart is one log line naming the process, its exit code and
the delay; never anything a parent typed.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, List, Optional, Protocol


class Supervised(Protocol):
    name: str

    def start(self) -> None: ...

    def running(self) -> bool: ...

    def stop(self) -> None: ...

    @property
    def returncode(self) -> Optional[int]: ...

    @property
    def pid(self) -> Optional[int]: ...


@dataclass
class _Watch:
    process: Supervised
    restarts: int = 0  # restarts in a row (reset once the process stays up)
    started_at: float = field(default_factory=time.monotonic)
    restart_at: Optional[float] = None  # when a stopped process is due to start again


class Supervisor:
    """Restarts stopped processes with exponential backoff; `stop_all()` stops every one."""

    def __init__(
        self,
        processes: Iterable[Supervised],
        *,
        initial_delay_s: float = 1.0,
        max_delay_s: float = 30.0,
        stable_after_s: float = 60.0,
        poll_s: float = 0.5,
        log: Callable[[str], None] = print,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._watches: List[_Watch] = [_Watch(p, started_at=clock()) for p in processes]
        self.initial_delay_s = initial_delay_s
        self.max_delay_s = max_delay_s
        self.stable_after_s = stable_after_s
        self.poll_s = poll_s
        self._log = log
        self._clock = clock
        self._stopping = threading.Event()

    @property
    def processes(self) -> List[Supervised]:
        return [watch.process for watch in self._watches]

    def delay_for(self, restarts: int) -> float:
        """The wait before restart number `restarts + 1` in a row."""
        return min(self.max_delay_s, self.initial_delay_s * (2 ** restarts))

    def check(self) -> None:
        """One round: notice stopped processes, restart those whose delay has passed."""
        now = self._clock()
        for watch in self._watches:
            process = watch.process
            if self._stopping.is_set():
                return
            if process.running():
                if watch.restarts and now - watch.started_at >= self.stable_after_s:
                    watch.restarts = 0
                continue
            if watch.restart_at is None:
                delay = self.delay_for(watch.restarts)
                watch.restart_at = now + delay
                self._log(
                    f"supervisor: {process.name} stopped (exit code {process.returncode}); "
                    f"restarting in {delay:g} s"
                )
            elif now >= watch.restart_at:
                watch.restart_at = None
                watch.restarts += 1
                watch.started_at = now
                try:
                    process.start()
                except OSError as error:  # e.g. the program vanished; try again after a longer delay
                    self._log(f"supervisor: {process.name} could not start: {error}")
                    continue
                self._log(f"supervisor: {process.name} restarted (pid {process.pid}, restart {watch.restarts} in a row)")

    def run(self) -> None:
        """Check every `poll_s` until `stop_all()` is called (from a signal handler or a thread)."""
        while not self._stopping.wait(self.poll_s):
            self.check()

    def stop_all(self) -> None:
        """Stop supervising and stop every process, the last started first."""
        self._stopping.set()
        for watch in reversed(self._watches):
            watch.process.stop()

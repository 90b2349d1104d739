"""Which Rasa code a benchmark runs: ours (Rasa with the project's patches/) or stock Rasa (the baseline).

This is the one place in benchmarks/ that knows how the patches get into Rasa. Today the Rasa
server applies them when it imports our channels (credentials.yml), and this process applies them by
importing `channels` the same way. When the `python -m patches` entry point lands (issue 13), change
`rasa_command` to return [PYTHON, "-m", "patches"] when `patched` and `apply_patches_here` to call
its installer; nothing else in benchmarks/ has to change.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from pathlib import Path
from typing import Any, Callable, List, Tuple

from benchmarks import common


def rasa_command(*, patched: bool) -> List[str]:
    """The command that starts the `rasa` CLI: with our patches/ (ours) or as shipped (the baseline).

    Today both are the `rasa` script: a server gets the patches from our channels, which the
    baseline's server does not load (benchmarks.server_control gives it Rasa's own REST channel)."""
    return [str(common.RASA)]


def under_cprofile(command: List[str], profile_path: Path) -> List[str]:
    """`command` (a rasa_command plus its arguments) run under cProfile, writing `profile_path`."""
    profiler = [str(common.PYTHON), "-m", "cProfile", "-o", str(profile_path)]
    return profiler + (command[1:] if command[0] == str(common.PYTHON) else command)


def apply_patches_here() -> str:
    """Apply our patches/ in this process as the Rasa server does, so that timings and profile keys
    here refer to the code the server runs. Returns the module that provides
    RemoteAction._validate_action_result here."""
    try:
        importlib.import_module("channels")
    except Exception as error:  # noqa: BLE001 - measure Rasa unpatched, and say so
        common.say("bench", f"could not import channels ({error}); timing Rasa's unpatched code")
    from rasa.core.actions.action import RemoteAction

    return str(RemoteAction._validate_action_result.__module__)


def unpatched(function: Any) -> Any:
    """Rasa's own function where one of our patches/ replaced it (each keeps it as `_original`)."""
    module = getattr(function, "__module__", "") or ""
    if module.startswith("patches."):
        return getattr(sys.modules[module], "_original")
    return function


def validation_function(patched: bool) -> Callable[..., Any]:
    """RemoteAction._validate_action_result as the server runs it: ours (patched) or Rasa's."""
    from rasa.core.actions.action import RemoteAction

    apply_patches_here()
    function = RemoteAction._validate_action_result
    return function if patched else unpatched(function)


def code_key(module: str, qualname: str, *, patched: bool = True) -> Tuple[str, int, str]:
    """(file, first line, name) of a function, as cProfile keys it: our patched version or Rasa's."""
    apply_patches_here()
    target: Any = importlib.import_module(module)
    for part in qualname.split("."):
        target = getattr(target, part)
    if not patched:
        target = unpatched(target)
    code = inspect.unwrap(target).__code__
    return code.co_filename, code.co_firstlineno, code.co_name

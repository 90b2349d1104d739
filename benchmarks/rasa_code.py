"""Which Rasa code a benchmark runs: ours (Rasa with the project's patches/) or stock Rasa (the baseline).

The one place in benchmarks/ that knows how the patches get into Rasa: a Rasa process of ours is
started through the project's entry point (`python -m patches`, harness.servers.RASA_CLI), the
baseline's through Rasa's own `rasa` script (and, as a server, with Rasa's own REST channel: see
benchmarks.server_control), and this process applies the patches with `patches.apply_all()` where it
times or profiles Rasa code as ours runs it. `make eval` does the same for its NLU runs (training,
held-out test, and the cross-validation through benchmarks.seeded_rasa).
"""

from __future__ import annotations

import importlib
import inspect
import sys
from pathlib import Path
from typing import Any, Callable, List, Tuple

from harness.servers import RASA_CLI, VENV_BIN

PYTHON = str(VENV_BIN / "python")
STOCK_RASA = VENV_BIN / "rasa"  # Rasa's own script, as installed


def rasa_command(*, patched: bool) -> List[str]:
    """The command that starts the `rasa` CLI: with our patches/ (ours) or as shipped (the baseline)."""
    return list(RASA_CLI) if patched else [str(STOCK_RASA)]


def under_cprofile(command: List[str], profile_path: Path) -> List[str]:
    """`command` (a rasa_command plus its arguments) run under cProfile, writing `profile_path`."""
    profiler = [PYTHON, "-m", "cProfile", "-o", str(profile_path)]
    return profiler + (command[1:] if command[0] == PYTHON else command)


def apply_patches_here() -> str:
    """Apply our patches/ in this process as `python -m patches` does in ours, so that timings and
    profile keys here refer to the code that server runs. Returns the module that provides
    RemoteAction._validate_action_result here."""
    import patches
    from rasa.core.actions.action import RemoteAction

    patches.apply_all()
    return str(RemoteAction._validate_action_result.__module__)


def unpatched(function: Any, qualname: str = "") -> Any:
    """Rasa's own function where one of our patches/ replaced it. Each patch keeps Rasa's function
    in a module variable named `_original...` (`_original`, or `_original_run` where a patch replaces
    several); `qualname` ("RemoteAction.run") picks the right one among several."""
    module = getattr(function, "__module__", "") or ""
    if not module.startswith("patches."):
        return function
    kept = [value for name, value in vars(sys.modules[module]).items() if name.startswith("_original") and callable(value)]
    matching = [value for value in kept if getattr(inspect.unwrap(value), "__qualname__", None) == qualname]
    if len(matching) == 1:
        return matching[0]
    if len(kept) == 1:
        return kept[0]
    raise LookupError(f"{module} keeps {len(kept)} of Rasa's functions; none is {qualname or '(no name given)'}")


def validation_function(patched: bool) -> Callable[..., Any]:
    """RemoteAction._validate_action_result as the server runs it: ours (patched) or Rasa's."""
    from rasa.core.actions.action import RemoteAction

    apply_patches_here()
    function = RemoteAction._validate_action_result
    return function if patched else unpatched(function, "RemoteAction._validate_action_result")


def code_key(module: str, qualname: str, *, patched: bool = True) -> Tuple[str, int, str]:
    """(file, first line, name) of a function, as cProfile keys it: our patched version or Rasa's."""
    apply_patches_here()
    target: Any = importlib.import_module(module)
    for part in qualname.split("."):
        target = getattr(target, part)
    if not patched:
        target = unpatched(target, qualname)
    code = inspect.unwrap(target).__code__
    return code.co_filename, code.co_firstlineno, code.co_name

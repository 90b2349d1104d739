"""store/known_settings.py is the one list of ADVIESLIJN_* settings: every name the code, scripts and
the widget build use is in it (or among the development tools' own), and nothing but store/settings.py
reads one of them from the environment by hand."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, Set

from store import known_settings as known

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("actions", "channels", "components", "harness", "insight", "patches", "staff", "store", "stores",
           "benchmarks", "scripts", "web/scripts")
NAME = re.compile(r"ADVIESLIJN_[A-Z0-9_]*[A-Z0-9]")
BY_HAND = re.compile(r"""(?:environ(?:\.get)?|getenv)\s*[\[(]\s*["'](ADVIESLIJN_[A-Z0-9_]+)""")


def names_in_sources() -> Dict[str, Set[Path]]:
    found: Dict[str, Set[Path]] = {}
    for folder in SOURCES:
        for path in (PROJECT_ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".sh", ".mjs") and "node_modules" not in path.parts:
                for name in NAME.findall(path.read_text(encoding="utf-8")):
                    found.setdefault(name, set()).add(path.relative_to(PROJECT_ROOT))
    return found


def test_every_name_in_the_code_is_a_known_setting() -> None:
    known_names = {setting.name for setting in known.EVERY_SETTING} | set(known.TOOL_SETTINGS)
    unknown = {name: sorted(map(str, paths)) for name, paths in names_in_sources().items() if name not in known_names}
    assert not unknown, f"add these to store/known_settings.py: {unknown}"


def test_the_lists_are_found_in_the_code() -> None:
    assert len(names_in_sources()) >= 20  # the scan reads the files (a broken pattern would find nothing)


def test_no_setting_of_a_process_is_read_by_hand() -> None:
    served = {setting.name for setting in known.EVERY_SETTING}
    by_hand = []
    for folder in SOURCES:
        for path in (PROJECT_ROOT / folder).rglob("*.py"):
            by_hand += [f"{path.relative_to(PROJECT_ROOT)}: {name}"
                        for name in BY_HAND.findall(path.read_text(encoding="utf-8")) if name in served]
    assert not by_hand, f"read these through store/known_settings.py (Setting.value): {by_hand}"


def test_each_process_list_holds_each_setting_once() -> None:
    for process in (known.STAFF_APP, known.ACTION_SERVER, known.RASA_SERVER, known.STORE_COMMANDS):
        names = [setting.name for setting in process]
        assert len(names) == len(set(names))


def test_the_readme_lists_every_setting() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("<!-- settings:start -->"):readme.index("<!-- settings:end -->")]
    assert sorted(set(NAME.findall(table))) == sorted(setting.name for setting in known.EVERY_SETTING)

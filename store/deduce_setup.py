"""Install step for redaction: deduce's base_config.json and its lookup cache (scripts/setup.sh).

deduce 3.0.4's wheel does not contain the base_config.json its constructor reads; its sdist on
PyPI does. We download that sdist with pip (no third-party file enters the repository), take the
one file into .venv/share/deduce/, and build deduce's lookup cache once (1-4 minutes) so that the
first redaction at run time takes seconds.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from store.redaction import DEDUCE_CONFIG, redact

VERSION = "3.0.4"


def ensure_config() -> None:
    if DEDUCE_CONFIG.exists():
        return
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                        f"deduce=={VERSION}", "-d", folder], check=True)
        with tarfile.open(Path(folder) / f"deduce-{VERSION}.tar.gz") as archive:
            member = archive.extractfile(f"deduce-{VERSION}/base_config.json")
            assert member is not None, "deduce's sdist has no base_config.json"
            DEDUCE_CONFIG.parent.mkdir(parents=True, exist_ok=True)
            DEDUCE_CONFIG.write_bytes(member.read())


if __name__ == "__main__":
    ensure_config()
    assert "[PERSOON" in redact("Mijn zoon heet Jan de Vries.")
    print("setup: deduce ready (config and lookup cache)")

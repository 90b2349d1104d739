"""Custom actions of the advieslijn bot.

Pure logic (decision table, schedule, parsing, summary, message values) lives in small modules;
the `*_actions.py` modules are thin rasa-sdk wrappers around them. The action server imports this
package and registers every `Action` subclass it finds.
"""

from actions.facts import load_facts as _load_facts
from actions.opening_settings import schedule_from_facts as _schedule_from_facts
from store.known_settings import FACTS as _FACTS
from store.settings import refuse_bad_settings as _refuse_bad_settings

# The package is imported before actions/server.py's own check of its settings runs (and by the
# Rasa server's service message), and reads the facts file right here: its path is checked first,
# so a wrong ADVIESLIJN_FACTS stops the process with the operator error, not a traceback.
_refuse_bad_settings("actions", (_FACTS,))
# Check the facts file when the action server starts, so that a wrong value stops it at once with
# a message naming the key, instead of failing in the middle of a conversation.
_schedule_from_facts(_load_facts())

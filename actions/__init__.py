"""Custom actions of the advieslijn bot.

Pure logic (decision table, schedule, parsing, summary, message values) lives in small modules;
the `*_actions.py` modules are thin rasa-sdk wrappers around them. The action server imports this
package and registers every `Action` subclass it finds.
"""

from actions.facts import load_facts as _load_facts
from actions.opening_settings import schedule_from_facts as _schedule_from_facts

# Check the facts file when the action server starts, so that a wrong value stops it at once with
# a message naming the key, instead of failing in the middle of a conversation.
_schedule_from_facts(_load_facts())

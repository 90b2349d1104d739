"""Custom actions of the advieslijn bot.

Pure logic (decision table, schedule, parsing, summary, message values) lives in small modules;
the `*_actions.py` modules are thin rasa-sdk wrappers around them. The action server imports this
package and registers every `Action` subclass it finds.
"""

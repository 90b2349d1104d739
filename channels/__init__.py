"""Input channels of the Rasa server (see credentials.yml).

Rasa imports this package when it loads the channels at server start, which makes it the place to
apply our documented fixes to Rasa itself (patches/): they must be active in the server process.
"""

from patches import action_session, action_validation, domain_empty, event_lookup, graph_runner

action_session.apply()
action_validation.apply()
domain_empty.apply()
event_lookup.apply()
graph_runner.apply()
